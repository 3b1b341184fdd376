/**
 * The engine's answer for days not yet archived, counted from their visitor-days as they are
 * read (one visitor-day at a time, so a range is never held in memory at once). Every figure
 * means what the same figure means in SQL over the archive (sql.ts): the visits are visitsOf's,
 * the filters filters.ts's.
 */
import { type VisitProperty, visitProperties } from '../../core/domain/visit-properties.js';
import { type Visit, type VisitorDay, visitOf, visitsOf } from '../../core/domain/visitor-day.js';
import { visitValue } from '../../core/counters/visit-properties.js';
import type { BreakdownProperty } from '../answers.js';
import { type Filter, keptVisits } from '../filters.js';
import type { EventRow, GoalsRows, StatsRow, ValueRow } from './rows.js';

const HOUR_MS = 3_600_000;

/** Fed one visitor-day at a time; `rows()` at the end. */
export interface OpenDayCount<Result> {
  add(day: VisitorDay): void;
  result(): Result;
}

function keptOf(day: VisitorDay, filters: readonly Filter[]) {
  const visits = visitsOf(day.views);
  return { visits, kept: keptVisits(day, visits, filters) };
}

export function openDayStats(filters: readonly Filter[]): OpenDayCount<StatsRow[]> {
  const rows = new Map<string, StatsRow>();
  const add = (day: string, hour: number | null, visit: Visit, newVisitor: boolean) => {
    const key = `${day}|${hour}`;
    const row = rows.get(key) ?? { day, hour, visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0 };
    row.visitors += newVisitor ? 1 : 0;
    row.visits++;
    row.pageviews += visit.pageviews;
    row.bounces += visit.pageviews === 1 ? 1 : 0;
    row.duration += visit.durationSeconds;
    rows.set(key, row);
  };
  return {
    add(visitorDay) {
      const { kept } = keptOf(visitorDay, filters);
      const hoursSeen = new Set<number>();
      kept.forEach((visit, i) => {
        const hour = visit.start - (visit.start % HOUR_MS);
        add(visitorDay.day, null, visit, i === 0);
        add(visitorDay.day, hour, visit, !hoursSeen.has(hour));
        hoursSeen.add(hour);
      });
    },
    result: () => [...rows.values()],
  };
}

/** A visit's value of a breakdown property (not page or event, which are several per visit). */
export function visitPropertyValue(visit: Visit, property: BreakdownProperty): string | undefined {
  if (property === 'entry_page') return visit.entryPage;
  if (property === 'exit_page') return visit.exitPage;
  return visitProperties.includes(property as VisitProperty)
    ? visitValue(visit, property as VisitProperty)
    : undefined;
}

export function openDayBreakdown(
  property: Exclude<BreakdownProperty, 'event'>,
  filters: readonly Filter[],
): OpenDayCount<ValueRow[]> {
  const rows = new Map<string, ValueRow>();
  return {
    add(visitorDay) {
      const { visits, kept } = keptOf(visitorDay, filters);
      if (kept.length === 0) return;
      const seen = new Set<string>();
      const tally = (value: string, visits: number, pageviews: number) => {
        const row = rows.get(value) ?? { value, visitors: 0, visits: 0, pageviews: 0 };
        if (!seen.has(value)) {
          seen.add(value);
          row.visitors++;
        }
        row.visits += visits;
        row.pageviews += pageviews;
        rows.set(value, row);
      };
      if (property === 'page') {
        // A page's views, visits and visitors within the kept visits.
        const keptSet = new Set(kept);
        for (const view of visitorDay.views) {
          if (view.kind !== 'pageview') continue;
          const visit = visitOf(visits, view.time);
          if (visit && keptSet.has(visit)) tally(view.page, 0, 1);
        }
        for (const visit of kept) for (const page of visit.pages) tally(page, 1, 0);
        return;
      }
      for (const visit of kept) {
        const value = visitPropertyValue(visit, property);
        if (value !== undefined) tally(value, 1, visit.pageviews);
      }
    },
    result: () => [...rows.values()],
  };
}

export function openDayGoals(filters: readonly Filter[]): OpenDayCount<GoalsRows> {
  const rows = new Map<string, EventRow>();
  let visitors = 0;
  return {
    add(visitorDay) {
      const { visits, kept } = keptOf(visitorDay, filters);
      if (kept.length === 0) return;
      visitors++;
      const keptSet = new Set(kept);
      const did = new Set<string>();
      for (const view of visitorDay.views) {
        if (view.kind !== 'event' || view.name === undefined) continue;
        const visit = visitOf(visits, view.time);
        if (!visit || !keptSet.has(visit)) continue;
        const row = rows.get(view.name) ?? { value: view.name, visitors: 0, events: 0 };
        row.events++;
        if (!did.has(view.name)) {
          did.add(view.name);
          row.visitors++;
        }
        rows.set(view.name, row);
      }
    },
    result: () => ({ rows: [...rows.values()], visitors }),
  };
}
