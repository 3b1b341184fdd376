/**
 * GET /breakdown: the top values of a property over whole days, with their visitors, visits
 * and page views. Reads the day counters of the property's dimension for the days in range;
 * with filters, the engine's answer over the visits they keep instead (explore/). The goals
 * (`property=event`) are their own query, in goals.ts.
 */
import { engagementCounter, engagementMetrics } from '../core/counters/engagement.js';
import { pageCounter, pageMetrics } from '../core/counters/page.js';
import { visitPropertyMetrics } from '../core/counters/visit-properties.js';
import { type VisitProperty, visitProperties } from '../core/domain/visit-properties.js';
import { BadRequestError } from '../core/http/errors.js';
import type { CounterReader } from '../core/store/counters.js';
import {
  type BreakdownAnswer,
  type BreakdownProperty,
  type BreakdownRow,
  type PageRow,
  breakdownProperties,
} from './answers.js';
import { type ExploreDeps, exploreBreakdown } from './explore/explore.js';
import { type Filter, parseFilters } from './filters.js';
import { type RangeQuery, checkParameters, parseRange } from './params.js';
import { daysOf, overlappingDays, readRange } from './range.js';
import { RowTally, topRows } from './rows.js';

const breakdownParameters = ['property', 'dateFrom', 'dateTo', 'limit', 'filter', 'format'] as const;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** GET /breakdown's query, for a breakdown (`Property` all but `event`), the goals (`event`) or an event property (props.ts). */
export interface TableQuery<Property extends string> extends RangeQuery {
  property: Property;
  limit: number;
  /** All must hold; none: the counters answer. */
  filters: Filter[];
  /** When it was asked: which days are still open. */
  now: number;
}
export type BreakdownQuery = TableQuery<Exclude<BreakdownProperty, 'event'>>;

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

/**
 * GET /breakdown's parameters, for the properties `isProperty` accepts (the route answers the
 * others with the goals query). Every error names all the route's properties.
 */
export function parseTableQuery<Property extends string>(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
  isProperty: (property: string) => property is Property,
  filterTexts: readonly string[],
): TableQuery<Property> {
  checkParameters('GET /breakdown', breakdownParameters, query, parameterCount);
  const property = String(query.property ?? '');
  if (!isProperty(property)) {
    throw new BadRequestError(
      `property must be one of ${breakdownProperties.join(', ')}, props.<key> (an event property's values) or props (the keys); got ${JSON.stringify(property.slice(0, 40))}.`,
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

const isBreakdownProperty = (property: string): property is BreakdownQuery['property'] =>
  property !== 'event' && (breakdownProperties as readonly string[]).includes(property);

export function parseBreakdownQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
  filterTexts: readonly string[] = [],
): BreakdownQuery {
  return parseTableQuery(query, parameterCount, now, zone, isBreakdownProperty, filterTexts);
}

/**
 * Unfiltered: the day counters of the property's dimension. Filtered: exact, over every visit
 * the filters keep (explore/); `itemsRead` is then the open days' visitor-days read.
 */
export async function queryBreakdown(
  orgId: string,
  q: BreakdownQuery,
  deps: BreakdownDeps,
): Promise<BreakdownAnswer & { itemsRead: number }> {
  if (q.filters.length > 0) {
    const { rows, itemsRead } = await exploreBreakdown(
      orgId,
      daysOf(overlappingDays(q)),
      q.property,
      q.filters,
      deps,
      q,
    );
    return { data: topRows(rows, q.limit), itemsRead };
  }
  const source = sources[q.property];
  const { buckets, itemsRead } = await readRange(deps, orgId, source.dimension, overlappingDays(q));
  const tally = new RowTally(['visitors', 'visits', 'pageviews'] as const);
  tally.addCounters(buckets, source);
  const data = topRows(
    tally.rows().filter((row) => row.visitors !== 0 || row.visits !== 0 || row.pageviews !== 0),
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
