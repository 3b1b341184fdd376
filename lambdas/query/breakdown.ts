/**
 * GET /breakdown: the top values of a property over whole days, with their visitors, visits
 * and page views. Reads the day counters of the property's dimension for the days in range;
 * with a filter, the visitor-days of those days instead (filtered-breakdown.ts). The goals
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
  firstFilteredDay,
} from './answers.js';
import { type Filter, type RangeQuery, checkParameters, parseFilterParameter, parseRange } from './params.js';
import { FilteredBreakdown, readFilteredRange } from './filtered-breakdown.js';
import { localDayOf } from '../core/domain/zones.js';
import { filteredBreakdowns, retention } from '../core/settings.js';
import type { VisitorDaysDeps } from '../core/store/visitor-days.js';
import { overlappingDays, readRange } from './range.js';
import { RowTally, topRows } from './rows.js';

const breakdownParameters = ['property', 'dateFrom', 'dateTo', 'limit', 'filter', 'format'] as const;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** GET /breakdown's query, for a breakdown (`Property` all but `event`) or the goals (`event`). */
export interface TableQuery<Property extends BreakdownProperty> extends RangeQuery {
  property: Property;
  limit: number;
  filter?: Filter;
}
export type BreakdownQuery = TableQuery<Exclude<BreakdownProperty, 'event'>>;

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

/**
 * GET /breakdown's parameters, for the properties `isProperty` accepts (the route answers the
 * others with the goals query). Every error names all the route's properties.
 */
export function parseTableQuery<Property extends BreakdownProperty>(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
  isProperty: (property: string) => property is Property,
): TableQuery<Property> {
  checkParameters('GET /breakdown', breakdownParameters, query, parameterCount);
  const property = String(query.property ?? '');
  if (!isProperty(property)) {
    throw new BadRequestError(
      `property must be one of ${breakdownProperties.join(', ')}; got ${JSON.stringify(property.slice(0, 40))}.`,
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

const isBreakdownProperty = (property: string): property is BreakdownQuery['property'] =>
  property !== 'event' && (breakdownProperties as readonly string[]).includes(property);

export function parseBreakdownQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
): BreakdownQuery {
  return parseTableQuery(query, parameterCount, now, zone, isBreakdownProperty);
}

/**
 * Unfiltered: the day counters of the property's dimension. Filtered: the visitor-days of every
 * day in range, read back and counted, from a sample of the visitors past `maxVisitorDays`
 * (filtered-breakdown.ts).
 */
export async function queryBreakdown(
  orgId: string,
  q: BreakdownQuery,
  deps: BreakdownDeps,
  { maxVisitorDays = filteredBreakdowns.maxVisitorDays }: { maxVisitorDays?: number } = {},
): Promise<BreakdownAnswer & { itemsRead: number }> {
  if (q.filter) {
    const counted = new FilteredBreakdown(q.property, q.filter);
    return readFilteredRange(deps, orgId, q, maxVisitorDays, counted);
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
