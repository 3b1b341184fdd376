/**
 * The engine's answer for days not yet archived, counted from their visitor-days as they are
 * read (one visitor-day at a time, so a range is never held in memory at once). Every figure
 * means what the same figure means in SQL over the archive (sql.ts): the visits are visitsOf's,
 * the filters filters.ts's.
 */
import { type VisitProperty, visitProperties } from '../../core/domain/visit-properties.js';
import { propValue } from '../../core/domain/event-props.js';
import { type Visit, type VisitorDay, isBounce, visitOf, visitsOf } from '../../core/domain/visitor-day.js';
import { visitValue } from '../../core/counters/visit-properties.js';
import type { BreakdownProperty } from '../answers.js';
import { type Filter, eventValues, isEventLevel, keptVisits, matches } from '../filters.js';
import { RowTally } from '../rows.js';
import type { GoalsRows, PropRow, StatsRow, ValueRow } from './rows.js';

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
    row.bounces += isBounce(visit) ? 1 : 0;
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
  const tally = new RowTally(['visitors', 'visits', 'pageviews'] as const);
  return {
    add(visitorDay) {
      const { visits, kept } = keptOf(visitorDay, filters);
      if (kept.length === 0) return;
      tally.nextVisitorDay();
      if (property === 'page') {
        // A page's views, visits and visitors within the kept visits.
        const keptSet = new Set(kept);
        for (const view of visitorDay.views) {
          if (view.kind !== 'pageview') continue;
          const visit = visitOf(visits, view.time);
          if (!visit || !keptSet.has(visit)) continue;
          tally.addVisitor(view.page, 'visitors');
          tally.add(view.page, 'pageviews', 1);
        }
        for (const visit of kept)
          for (const page of visit.pages) {
            tally.addVisitor(page, 'visitors');
            tally.add(page, 'visits', 1);
          }
        return;
      }
      for (const visit of kept) {
        const value = visitPropertyValue(visit, property);
        if (value === undefined) continue;
        tally.addVisitor(value, 'visitors');
        tally.add(value, 'visits', 1);
        tally.add(value, 'pageviews', visit.pageviews);
      }
    },
    result: () => tally.rows(),
  };
}

export function openDayGoals(filters: readonly Filter[]): OpenDayCount<GoalsRows> {
  const tally = new RowTally(['visitors', 'events'] as const);
  let visitors = 0;
  return {
    add(visitorDay) {
      const { visits, kept } = keptOf(visitorDay, filters);
      if (kept.length === 0) return;
      visitors++;
      tally.nextVisitorDay();
      const keptSet = new Set(kept);
      for (const view of visitorDay.views) {
        // Past the cap an event is in no visit (as in counters/events.ts).
        if (view.kind !== 'event' || view.name === undefined) continue;
        const visit = visitOf(visits, view.time);
        if (!visit || !keptSet.has(visit)) continue;
        tally.add(view.name, 'events', 1);
        tally.addVisitor(view.name, 'visitors');
      }
    },
    result: () => ({ rows: tally.rows(), visitors }),
  };
}

/**
 * GET /breakdown?property=props.<key> (`key`) or property=props (undefined: the keys): the events
 * of the kept visits that meet every event-level filter themselves, as props-sql.ts counts them.
 */
export function openDayProps(key: string | undefined, filters: readonly Filter[]): OpenDayCount<PropRow[]> {
  const tally = new RowTally(['visitors', 'visits', 'events'] as const);
  const eventFilters = filters.filter((filter) => isEventLevel(filter.property));
  return {
    add(visitorDay) {
      const { visits, kept } = keptOf(visitorDay, filters);
      if (kept.length === 0) return;
      tally.nextVisitorDay();
      const keptSet = new Set(kept);
      const visitsWith = new Set<string>();
      for (const view of visitorDay.views) {
        if (view.kind !== 'event' || !view.props) continue;
        const visit = visitOf(visits, view.time);
        if (!visit || !keptSet.has(visit)) continue;
        if (!eventFilters.every((filter) => matches(filter, eventValues(view, filter.property)))) continue;
        const values = key === undefined ? Object.keys(view.props) : [propValue(view.props, key)];
        for (const value of values) {
          if (value === undefined) continue;
          tally.addVisitor(value, 'visitors');
          tally.add(value, 'events', 1);
          // A visit counts once per value, however many of its events have it.
          const visitKey = `${visits.indexOf(visit)}|${value}`;
          if (!visitsWith.has(visitKey)) tally.add(value, 'visits', 1);
          visitsWith.add(visitKey);
        }
      }
    },
    result: () => tally.rows(),
  };
}
