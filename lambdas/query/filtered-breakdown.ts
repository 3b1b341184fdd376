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
import { addDays, localDayOf } from '../core/domain/zones.js';
import type { CounterReader } from '../core/store/counters.js';
import { type VisitorDaysDeps, forEachVisitorDay, visitorDayShards } from '../core/store/visitor-days.js';
import type { BreakdownProperty, BreakdownRow, GoalRow, Sampled } from './answers.js';
import type { Filter, RangeQuery } from './params.js';
import { overlappingDays, readVisitorDaysInRange } from './range.js';
import { RowTally, topRows } from './rows.js';

/** The visits of a visitor-day that the filter keeps. */
export function filteredVisits(day: VisitorDay, visits: readonly Visit[], filter: Filter): Visit[] {
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

/**
 * A breakdown (any property but `event`) over the visits the filter keeps, fed one visitor-day at
 * a time as they are read, so a long range is never held in memory at once.
 */
export class FilteredBreakdown {
  private readonly counted = new RowTally(['visitors', 'visits', 'pageviews'] as const);

  constructor(
    private readonly property: Exclude<BreakdownProperty, 'event'>,
    private readonly filter: Filter,
  ) {}

  add(day: VisitorDay): void {
    const visits = visitsOf(day.views);
    const kept = filteredVisits(day, visits, this.filter);
    if (kept.length === 0) return;
    const rows = this.counted;
    rows.nextVisitorDay();
    if (this.property === 'page') {
      // A page's views, visits and visitors within the kept visits.
      const keptSet = new Set(kept);
      for (const view of day.views) {
        if (view.kind !== 'pageview') continue;
        const visit = visitOf(visits, view.time);
        if (visit && keptSet.has(visit)) {
          rows.addVisitor(view.page, 'visitors');
          rows.add(view.page, 'pageviews', 1);
        }
      }
      for (const visit of kept)
        for (const page of visit.pages) {
          rows.addVisitor(page, 'visitors');
          rows.add(page, 'visits', 1);
        }
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
      if (value === undefined) continue;
      rows.addVisitor(value, 'visitors');
      rows.add(value, 'visits', 1);
      rows.add(value, 'pageviews', visit.pageviews);
    }
  }

  rows(): BreakdownRow[] {
    return this.counted.rows();
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

/**
 * Reads the visitor-days of every day that overlaps the range into `counted`, one at a time, and
 * answers its top rows. A range with more visitor-days than `maxVisitorDays` (the day counters
 * say how many) is counted from a uniform sample of its visitors and scaled up, and says so in
 * `sample_percent`. `itemsRead` is the visitor-days and counter items read.
 */
export async function readFilteredRange<Row extends BreakdownRow | GoalRow>(
  deps: CounterReader & VisitorDaysDeps,
  orgId: string,
  q: RangeQuery & { limit: number },
  maxVisitorDays: number,
  counted: { add: (visitorDay: VisitorDay) => void; rows: () => Row[] },
): Promise<{ data: Row[]; itemsRead: number } & Sampled> {
  const overlapping = overlappingDays(q);
  const days: string[] = [];
  for (
    let day = localDayOf(overlapping.firstBucket, q.zone), last = localDayOf(overlapping.lastBucket, q.zone);
    day <= last;
    day = addDays(day, 1)
  )
    days.push(day);
  const site = await readVisitorDaysInRange(deps, orgId, overlapping);
  const shards = sampledShards(site.visitors, maxVisitorDays, visitorDayShards);
  const share = shards / visitorDayShards;
  const visitorDaysRead = await forEachVisitorDay(
    deps,
    orgId,
    days,
    (visitorDay) => counted.add(visitorDay),
    {
      shards,
    },
  );
  return {
    data: topRows(scaledUp(counted.rows(), share), q.limit),
    ...(share < 1 ? { sample_percent: 100 * share } : {}),
    itemsRead: site.itemsRead + visitorDaysRead,
  };
}
