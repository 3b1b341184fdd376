/**
 * GET /breakdown: the top values of a property over whole days, with their visitors, visits
 * and page views. Reads the day counters of the property's dimension for the days in range;
 * with filters, the engine's answer over the visits they keep instead (explore/).
 */
import { eventCounter, eventMetrics } from '../core/counters/events.js';
import { pageCounter, pageMetrics } from '../core/counters/page.js';
import { siteCounter, siteMetrics } from '../core/counters/site.js';
import { visitPropertyMetrics } from '../core/counters/visit-properties.js';
import { type VisitProperty, visitProperties } from '../core/domain/visit-properties.js';
import { BadRequestError } from '../core/http/errors.js';
import type { CounterReader } from '../core/store/counters.js';
import {
  type BreakdownAnswer,
  type BreakdownProperty,
  type BreakdownRow,
  type GoalRow,
  type GoalsAnswer,
  breakdownProperties,
  conversionRate,
} from './answers.js';
import { type ExploreDeps, exploreBreakdown, exploreGoals } from './explore/explore.js';
import { type Filter, parseFilters } from './filters.js';
import { type RangeQuery, checkParameters, parseRange } from './params.js';
import { type StoredRange, daysOf, overlappingDays, readRange } from './range.js';

export const breakdownParameters = ['property', 'dateFrom', 'dateTo', 'limit', 'filter', 'format'] as const;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

export interface BreakdownQuery extends RangeQuery {
  property: BreakdownProperty;
  limit: number;
  /** All must hold; none: the counters answer. */
  filters: Filter[];
  /** When it was asked: which days are still open. */
  now: number;
}

/** What a breakdown reads: the counters, and the engine for a filtered one. */
export type BreakdownDeps = CounterReader & ExploreDeps;

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
  filterTexts: readonly string[] = [],
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
  return { ...range, property, limit, filters: parseFilters(filterTexts), now };
}

export async function queryBreakdown(
  orgId: string,
  q: BreakdownQuery,
  deps: BreakdownDeps,
): Promise<(BreakdownAnswer | GoalsAnswer) & { itemsRead: number }> {
  if (q.filters.length > 0) return queryFilteredBreakdown(orgId, q, deps);
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
  return {
    data: topRows(
      [...rows.values()].filter((row) => row.visitors !== 0 || row.visits !== 0 || row.pageviews !== 0),
      q.limit,
    ),
    itemsRead,
  };
}

/** Sorted by visitors (descending), then value; the first `limit`. */
function topRows<Row extends { value: string; visitors: number }>(rows: Row[], limit: number): Row[] {
  return rows
    .sort((a, b) => b.visitors - a.visitors || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, limit);
}

/** A filtered breakdown: exact, over every visit the filters keep (explore/). `itemsRead` is the visitor-days of open days read. */
async function queryFilteredBreakdown(
  orgId: string,
  q: BreakdownQuery,
  deps: BreakdownDeps,
): Promise<(BreakdownAnswer | GoalsAnswer) & { itemsRead: number }> {
  const days = daysOf(overlappingDays(q));
  if (q.property === 'event') {
    const goals = await exploreGoals(orgId, days, q.filters, deps, q);
    const data = goals.rows.map((row) => ({
      ...row,
      conversion_rate: conversionRate(row.visitors, goals.visitors),
    }));
    return { data: topRows(data, q.limit), itemsRead: goals.itemsRead };
  }
  const { rows, itemsRead } = await exploreBreakdown(orgId, days, q.property, q.filters, deps, q);
  return { data: topRows(rows, q.limit), itemsRead };
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
