/**
 * GET /breakdown with `filter=<property>:<value>`: the breakdown of only the visits with that
 * value, computed from the visitor-days themselves. Counting every pair of (filter value,
 * breakdown value) as counters would multiply the writes of every view; reading a day's
 * visitor-days back is cheap (a Query is billed by the bytes it reads) and happens only when an
 * owner filters. The figures mean what the unfiltered breakdown's mean (counters/*.ts), over
 * the filtered visits only.
 */
import { visitValue } from '../core/counters/visit-properties.js';
import { type Visit, type VisitorDay, visitOf, visitsOf } from '../core/domain/visitor-day.js';
import { type BreakdownProperty, type BreakdownRow, type GoalRow, conversionRate } from './answers.js';
import type { Filter } from './params.js';

/** The visits of a visitor-day that the filter keeps. */
function filteredVisits(day: VisitorDay, visits: readonly Visit[], filter: Filter): Visit[] {
  if (filter.property === 'page') return visits.filter((visit) => visit.pages.has(filter.value));
  if (filter.property === 'event') {
    const withEvent = new Set<Visit>();
    for (const view of day.views) {
      if (view.kind !== 'event' || view.name !== filter.value) continue;
      const visit = visitOf(visits, view.time);
      if (visit) withEvent.add(visit);
    }
    return visits.filter((visit) => withEvent.has(visit));
  }
  const property = filter.property;
  return visits.filter((visit) => visitValue(visit, property) === filter.value);
}

/** Sums rows per value: visitors are visitor-days, so each visitor-day adds 1 at most per value. */
class Rows {
  private readonly rows = new Map<string, BreakdownRow>();
  private visitorsSeen = new Set<string>();

  /** Starts a new visitor-day. */
  nextDay(): void {
    this.visitorsSeen = new Set();
  }

  add(value: string, visits: number, pageviews: number): void {
    const row = this.rows.get(value) ?? { value, visitors: 0, visits: 0, pageviews: 0 };
    if (!this.visitorsSeen.has(value)) {
      this.visitorsSeen.add(value);
      row.visitors++;
    }
    row.visits += visits;
    row.pageviews += pageviews;
    this.rows.set(value, row);
  }

  values(): BreakdownRow[] {
    return [...this.rows.values()];
  }
}

/**
 * A breakdown (any property but `event`) over the visits the filter keeps, fed one visitor-day at
 * a time as they are read, so a long range is never held in memory at once.
 */
export class FilteredBreakdown {
  private readonly counted = new Rows();

  constructor(
    private readonly property: Exclude<BreakdownProperty, 'event'>,
    private readonly filter: Filter,
  ) {}

  add(day: VisitorDay): void {
    const visits = visitsOf(day.views);
    const kept = filteredVisits(day, visits, this.filter);
    if (kept.length === 0) return;
    const rows = this.counted;
    rows.nextDay();
    if (this.property === 'page') {
      // A page's views, visits and visitors within the kept visits.
      const keptSet = new Set(kept);
      for (const view of day.views) {
        if (view.kind !== 'pageview') continue;
        const visit = visitOf(visits, view.time);
        if (visit && keptSet.has(visit)) rows.add(view.page, 0, 1);
      }
      for (const visit of kept) for (const page of visit.pages) rows.add(page, 1, 0);
      return;
    }
    const property = this.property;
    for (const visit of kept) {
      const value =
        property === 'entry_page'
          ? visit.entryPage
          : property === 'exit_page'
            ? visit.exitPage
            : visitValue(visit, property);
      if (value !== undefined) rows.add(value, 1, visit.pageviews);
    }
  }

  rows(): BreakdownRow[] {
    return this.counted.values();
  }
}

/** Goals over the visits the filter keeps: conversion rates relative to the visitor-days with such a visit. Fed like FilteredBreakdown. */
export class FilteredGoals {
  private readonly counted = new Map<string, GoalRow>();
  private visitors = 0;

  constructor(private readonly filter: Filter) {}

  add(day: VisitorDay): void {
    const visits = visitsOf(day.views);
    const kept = new Set(filteredVisits(day, visits, this.filter));
    if (kept.size === 0) return;
    this.visitors++;
    const did = new Set<string>();
    for (const view of day.views) {
      // Past the cap an event is in no visit (as in counters/events.ts).
      if (view.kind !== 'event' || view.name === undefined) continue;
      const visit = visitOf(visits, view.time);
      if (!visit || !kept.has(visit)) continue;
      const row = this.counted.get(view.name) ?? {
        value: view.name,
        visitors: 0,
        events: 0,
        conversion_rate: 0,
      };
      row.events++;
      if (!did.has(view.name)) {
        did.add(view.name);
        row.visitors++;
      }
      this.counted.set(view.name, row);
    }
  }

  rows(): GoalRow[] {
    return [...this.counted.values()].map((row) => ({
      ...row,
      conversion_rate: conversionRate(row.visitors, this.visitors),
    }));
  }
}

/**
 * How many of a day's `shards` partitions of visitor-days a filtered breakdown reads: all of
 * them while the range has at most `maxVisitorDays`, else as many as fit (at least one). A
 * partition holds the visitors whose id hashes to it, so any number of them is a uniform sample
 * of the visitors, the same one for every breakdown of the range.
 */
export function sampledShards(visitorDaysInRange: number, maxVisitorDays: number, shards: number): number {
  if (visitorDaysInRange <= maxVisitorDays) return shards;
  return Math.max(1, Math.floor((shards * maxVisitorDays) / visitorDaysInRange));
}

/** Rows counted from a sample of `share` of the visitors, scaled up to estimates for all of them (rates are ratios and stay). */
export function scaledUp<Row extends BreakdownRow | GoalRow>(rows: Row[], share: number): Row[] {
  if (share === 1) return rows;
  const up = (n: number) => Math.round(n / share);
  return rows.map((row) =>
    'events' in row
      ? { ...row, visitors: up(row.visitors), events: up(row.events) }
      : { ...row, visitors: up(row.visitors), visits: up(row.visits), pageviews: up(row.pageviews) },
  );
}
