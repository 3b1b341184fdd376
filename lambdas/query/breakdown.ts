/**
 * GET /breakdown: the top values of a property over whole days, with their visitors, visits
 * and page views. Reads the day counters of the property's dimension for the days in range;
 * with a filter, the visitor-days of those days instead (filtered-breakdown.ts).
 */
import { engagementCounter, engagementMetrics } from '../core/counters/engagement.js';
import { eventCounter, eventMetrics } from '../core/counters/events.js';
import { pageCounter, pageMetrics } from '../core/counters/page.js';
import { siteCounter, siteMetrics } from '../core/counters/site.js';
import { visitPropertyMetrics } from '../core/counters/visit-properties.js';
import { type VisitProperty, visitProperties } from '../core/domain/visit-properties.js';
import type { VisitorDay } from '../core/domain/visitor-day.js';
import { BadRequestError } from '../core/http/errors.js';
import type { CounterReader } from '../core/store/counters.js';
import {
  type BreakdownAnswer,
  type BreakdownProperty,
  type BreakdownRow,
  type GoalRow,
  type GoalsAnswer,
  type PageRow,
  breakdownProperties,
  conversionRate,
  firstFilteredDay,
} from './answers.js';
import { type Filter, type RangeQuery, checkParameters, parseFilterParameter, parseRange } from './params.js';
import { FilteredBreakdown, FilteredGoals, sampledShards, scaledUp } from './filtered-breakdown.js';
import { addDays, localDayOf } from '../core/domain/zones.js';
import { filteredBreakdowns, retention } from '../core/settings.js';
import { type VisitorDaysDeps, forEachVisitorDay, visitorDayShards } from '../core/store/visitor-days.js';
import { type StoredRange, overlappingDays, readRange } from './range.js';

const breakdownParameters = ['property', 'dateFrom', 'dateTo', 'limit', 'filter', 'format'] as const;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

export interface BreakdownQuery extends RangeQuery {
  property: BreakdownProperty;
  limit: number;
  filter?: Filter;
}

/** What a breakdown reads: the counters, and the visitor-days for a filtered one. */
export type BreakdownDeps = CounterReader & VisitorDaysDeps;

/** Where each property's rows come from: a dimension and the metrics that make a row. */
const sources: Record<
  Exclude<BreakdownProperty, 'event'>,
  { dimension: string; visitors: string; visits: string; pageviews: string }
> = {
  page: {
    dimension: pageCounter.dimension,
    visitors: pageMetrics.visitors,
    visits: pageMetrics.visits,
    pageviews: pageMetrics.pageviews,
  },
  entry_page: {
    dimension: pageCounter.dimension,
    visitors: pageMetrics.entryVisitors,
    visits: pageMetrics.entryVisits,
    pageviews: pageMetrics.entryPageviews,
  },
  exit_page: {
    dimension: pageCounter.dimension,
    visitors: pageMetrics.exitVisitors,
    visits: pageMetrics.exitVisits,
    pageviews: pageMetrics.exitPageviews,
  },
  ...(Object.fromEntries(
    visitProperties.map((property) => [
      property,
      {
        dimension: property,
        visitors: visitPropertyMetrics.visitors,
        visits: visitPropertyMetrics.visits,
        pageviews: visitPropertyMetrics.pageviews,
      },
    ]),
  ) as Record<VisitProperty, { dimension: string; visitors: string; visits: string; pageviews: string }>),
};

export function parseBreakdownQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
): BreakdownQuery {
  checkParameters('GET /breakdown', breakdownParameters, query, parameterCount);
  const property = query.property as BreakdownProperty;
  if (!breakdownProperties.includes(property)) {
    throw new BadRequestError(
      `property must be one of ${breakdownProperties.join(', ')}; got ${JSON.stringify(String(query.property ?? '').slice(0, 40))}.`,
    );
  }
  let limit = DEFAULT_LIMIT;
  if (query.limit !== undefined) {
    limit = /^\d{1,4}$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT))
      throw new BadRequestError(
        `limit must be a whole number from 1 to ${MAX_LIMIT}; got ${JSON.stringify(query.limit.slice(0, 40))}.`,
      );
  }
  // A breakdown counts whole days: every day that overlaps the range.
  const range = parseRange(query, now, zone, 'day');
  if (query.filter === undefined) return { ...range, property, limit };
  const filter = parseFilterParameter(query.filter);
  const oldest = firstFilteredDay(now, zone);
  if (localDayOf(overlappingDays(range).firstBucket, zone) < oldest) {
    throw new BadRequestError(
      `A breakdown with a filter is counted from the visits themselves, which are kept ${retention.rawVisitDays} days: dateFrom must be ${oldest} or later. Without a filter, any range is answered.`,
    );
  }
  return { ...range, property, limit, filter };
}

export async function queryBreakdown(
  orgId: string,
  q: BreakdownQuery,
  deps: BreakdownDeps,
  { maxVisitorDays = filteredBreakdowns.maxVisitorDays }: { maxVisitorDays?: number } = {},
): Promise<(BreakdownAnswer | GoalsAnswer) & { itemsRead: number }> {
  if (q.filter) return queryFilteredBreakdown(orgId, q, q.filter, deps, maxVisitorDays);
  if (q.property === 'event') return queryGoals(orgId, q, deps);
  const source = sources[q.property];
  const { buckets, itemsRead } = await readRange(deps, orgId, source.dimension, overlappingDays(q));
  const rows = new Map<string, BreakdownRow>();
  for (const { metrics } of buckets) {
    for (const [field, metric] of [
      ['visitors', source.visitors],
      ['visits', source.visits],
      ['pageviews', source.pageviews],
    ] as const) {
      for (const [value, amount] of metrics.get(metric) ?? []) {
        const row = rows.get(value) ?? { value, visitors: 0, visits: 0, pageviews: 0 };
        row[field] += amount;
        rows.set(value, row);
      }
    }
  }
  const data = topRows(
    [...rows.values()].filter((row) => row.visitors !== 0 || row.visits !== 0 || row.pageviews !== 0),
    q.limit,
  );
  if (q.property !== 'page') return { data, itemsRead };
  const engagement = await readRange(deps, orgId, engagementCounter.dimension, overlappingDays(q));
  return { data: withEngagement(data, engagement.buckets), itemsRead: itemsRead + engagement.itemsRead };
}

/** Page rows with their time on page and scroll depth: averages over the views that reported them. */
function withEngagement(
  rows: BreakdownRow[],
  buckets: readonly { metrics: Map<string, Map<string, number>> }[],
): PageRow[] {
  const sum = (metric: string, page: string) =>
    buckets.reduce((total, { metrics }) => total + (metrics.get(metric)?.get(page) ?? 0), 0);
  const m = engagementMetrics;
  return rows.map((row) => {
    const views = sum(m.views, row.value);
    return {
      ...row,
      time_on_page: views > 0 ? Math.round(sum(m.seconds, row.value) / views) : null,
      scroll_depth: views > 0 ? Math.round(sum(m.scrollDepth, row.value) / views) : null,
    };
  });
}

/** Sorted by visitors (descending), then value; the first `limit`. */
function topRows<Row extends { value: string; visitors: number }>(rows: Row[], limit: number): Row[] {
  return rows
    .sort((a, b) => b.visitors - a.visitors || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, limit);
}

/**
 * A filtered breakdown: the visitor-days of every day in range, read back and counted. A range
 * with more visitor-days than `maxVisitorDays` (the day counters say how many) is counted from
 * a uniform sample of its visitors and scaled up, and says so in `sample_percent`. `itemsRead`
 * is the visitor-days and counter items read.
 */
async function queryFilteredBreakdown(
  orgId: string,
  q: BreakdownQuery,
  filter: Filter,
  deps: BreakdownDeps,
  maxVisitorDays: number,
): Promise<(BreakdownAnswer | GoalsAnswer) & { itemsRead: number }> {
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
  const count = async <Row extends BreakdownRow | GoalRow>(counted: {
    add: (visitorDay: VisitorDay) => void;
    rows: () => Row[];
  }) => {
    const visitorDaysRead = await forEachVisitorDay(
      deps,
      orgId,
      days,
      (visitorDay) => counted.add(visitorDay),
      { shards },
    );
    return {
      data: topRows(scaledUp(counted.rows(), share), q.limit),
      ...(share < 1 ? { sample_percent: 100 * share } : {}),
      itemsRead: site.itemsRead + visitorDaysRead,
    };
  };
  return q.property === 'event'
    ? count(new FilteredGoals(filter))
    : count(new FilteredBreakdown(q.property, filter));
}

/**
 * Custom events as goals: how many visitor-days did each, how often, and the share of the
 * range's visitors that did (both sums of daily visitors, so the rate compares like with like).
 */
async function queryGoals(
  orgId: string,
  q: BreakdownQuery,
  deps: CounterReader,
): Promise<GoalsAnswer & { itemsRead: number }> {
  const days = overlappingDays(q);
  const [events, site] = await Promise.all([
    readRange(deps, orgId, eventCounter.dimension, days),
    readVisitorDaysInRange(deps, orgId, days),
  ]);
  const rows = new Map<string, GoalRow>();
  for (const { metrics } of events.buckets) {
    for (const [field, metric] of [
      ['visitors', eventMetrics.visitors],
      ['events', eventMetrics.events],
    ] as const) {
      for (const [value, amount] of metrics.get(metric) ?? []) {
        const row = rows.get(value) ?? { value, visitors: 0, events: 0, conversion_rate: 0 };
        row[field] += amount;
        rows.set(value, row);
      }
    }
  }
  const data = [...rows.values()]
    .filter((row) => row.events !== 0)
    .map((row) => ({ ...row, conversion_rate: conversionRate(row.visitors, site.visitors) }));
  return { data: topRows(data, q.limit), itemsRead: events.itemsRead + site.itemsRead };
}

/** The site's visitors summed over the days (visitor-days), from its day counters. */
async function readVisitorDaysInRange(
  deps: CounterReader,
  orgId: string,
  days: StoredRange,
): Promise<{ visitors: number; itemsRead: number }> {
  const site = await readRange(deps, orgId, siteCounter.dimension, days);
  return {
    visitors: site.buckets.reduce(
      (n, { metrics }) => n + (metrics.get(siteMetrics.visitors)?.get('') ?? 0),
      0,
    ),
    itemsRead: site.itemsRead,
  };
}
