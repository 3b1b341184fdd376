/**
 * GET /breakdown?property=event: custom events as goals. For each event, how many visitor-days
 * did it, how often, and the share of the range's visitors that did (both sums of daily
 * visitors, so the rate compares like with like). Unfiltered from the event counters; with a
 * filter from the visitor-days, like a filtered breakdown (filtered-breakdown.ts).
 */
import { eventCounter, eventMetrics } from '../core/counters/events.js';
import type { VisitorDay } from '../core/domain/visitor-day.js';
import { visitOf, visitsOf } from '../core/domain/visitor-day.js';
import { filteredBreakdowns } from '../core/settings.js';
import { type GoalRow, type GoalsAnswer, conversionRate } from './answers.js';
import { type BreakdownDeps, type TableQuery, parseTableQuery } from './breakdown.js';
import { filteredVisits, readFilteredRange } from './filtered-breakdown.js';
import type { Filter } from './params.js';
import { overlappingDays, readRange, readVisitorDaysInRange } from './range.js';
import { RowTally, topRows } from './rows.js';

/** The breakdown property whose rows are the goals. */
export const goalsProperty = 'event';
export type GoalsQuery = TableQuery<typeof goalsProperty>;

const isGoalsProperty = (property: string): property is typeof goalsProperty => property === goalsProperty;

export function parseGoalsQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
): GoalsQuery {
  return parseTableQuery(query, parameterCount, now, zone, isGoalsProperty);
}

export async function queryGoals(
  orgId: string,
  q: GoalsQuery,
  deps: BreakdownDeps,
  { maxVisitorDays = filteredBreakdowns.maxVisitorDays }: { maxVisitorDays?: number } = {},
): Promise<GoalsAnswer & { itemsRead: number }> {
  if (q.filter) return readFilteredRange(deps, orgId, q, maxVisitorDays, new FilteredGoals(q.filter));
  const days = overlappingDays(q);
  const [events, site] = await Promise.all([
    readRange(deps, orgId, eventCounter.dimension, days),
    readVisitorDaysInRange(deps, orgId, days),
  ]);
  const tally = new RowTally(['visitors', 'events'] as const);
  tally.addCounters(events.buckets, eventMetrics);
  const data = tally
    .rows()
    .filter((row) => row.events !== 0)
    .map((row) => ({ ...row, conversion_rate: conversionRate(row.visitors, site.visitors) }));
  return { data: topRows(data, q.limit), itemsRead: events.itemsRead + site.itemsRead };
}

/**
 * Goals over the visits the filter keeps, fed one visitor-day at a time: conversion rates
 * relative to the visitor-days with such a visit.
 */
export class FilteredGoals {
  private readonly counted = new RowTally(['visitors', 'events'] as const);
  private visitors = 0;

  constructor(private readonly filter: Filter) {}

  add(day: VisitorDay): void {
    const visits = visitsOf(day.views);
    const kept = new Set(filteredVisits(day, visits, this.filter));
    if (kept.size === 0) return;
    this.visitors++;
    this.counted.nextVisitorDay();
    for (const view of day.views) {
      // Past the cap an event is in no visit (as in counters/events.ts).
      if (view.kind !== 'event' || view.name === undefined) continue;
      const visit = visitOf(visits, view.time);
      if (!visit || !kept.has(visit)) continue;
      this.counted.add(view.name, 'events', 1);
      this.counted.addVisitor(view.name, 'visitors');
    }
  }

  rows(): GoalRow[] {
    return this.counted.rows().map((row) => ({
      ...row,
      conversion_rate: conversionRate(row.visitors, this.visitors),
    }));
  }
}
