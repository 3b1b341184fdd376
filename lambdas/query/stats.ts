/**
 * GET /stats: visitors, visits, page views, bounces and visit duration per bucket, and totals.
 * Reads the whole-site counters: one item per bucket, plus the day items of the range for its
 * visitors (a visitor is one id on one day, so a range's visitors are the sum of its days').
 * With `filter=<property>:<value>`, the same figures of only the visits with that value, read
 * from that property's counters (hour and day) instead.
 */
import { toIso } from '../core/domain/buckets.js';
import { visitMetrics } from '../core/counters/definition.js';
import { siteCounter, siteMetrics } from '../core/counters/site.js';
import { BadRequestError } from '../core/http/errors.js';
import type { CounterBucket, CounterReader } from '../core/store/counters.js';
import type { StatsAnswer, StatsPoint } from './answers.js';
import { type Filter, type RangeQuery, checkParameters, parseFilterParameter, parseRange } from './params.js';
import { overlappingDays, readRange, storedBuckets } from './range.js';

const statsParameters = ['aggregation', 'dateFrom', 'dateTo', 'filter', 'format'] as const;

export interface StatsQuery extends RangeQuery {
  filter?: Filter;
}

export function parseStatsQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
): StatsQuery {
  checkParameters('GET /stats', statsParameters, query, parameterCount);
  if (query.filter !== undefined && query.aggregation === 'minute')
    throw new BadRequestError('filter is answered at hour, day and month aggregation; choose one of those.');
  const range = parseRange(query, now, zone);
  return query.filter === undefined ? range : { ...range, filter: parseFilterParameter(query.filter) };
}

interface Sums {
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  duration: number;
}

// The whole site's counters and every filterable dimension's share the visit metric codes (counters/definition.ts).
const m = visitMetrics;

export async function queryStats(
  orgId: string,
  q: StatsQuery,
  deps: CounterReader,
): Promise<StatsAnswer & { itemsRead: number }> {
  const stored = storedBuckets(q);
  const dimension = q.filter?.property ?? siteCounter.dimension;
  const value = q.filter?.value ?? '';
  const metricOf = (bucket: CounterBucket, metric: string) => bucket.metrics.get(metric)?.get(value) ?? 0;
  const [series, days, siteDays] = await Promise.all([
    readRange(deps, orgId, dimension, stored),
    stored.resolution === 'day' ? undefined : readRange(deps, orgId, dimension, overlappingDays(q)),
    // Bot views are never in a filtered dimension: they come from the whole site's day items.
    q.filter ? readRange(deps, orgId, siteCounter.dimension, overlappingDays(q)) : undefined,
  ]);

  const byTimeframe = new Map<number, Sums>();
  for (const bucket of series.buckets) {
    const timeframe = bucket.timeframe;
    const sums = byTimeframe.get(timeframe) ?? {
      visitors: 0,
      visits: 0,
      pageviews: 0,
      bounces: 0,
      duration: 0,
    };
    sums.visitors += metricOf(bucket, m.visitors);
    sums.visits += metricOf(bucket, m.visits);
    sums.pageviews += metricOf(bucket, m.pageviews);
    sums.bounces += metricOf(bucket, m.bounces);
    sums.duration += metricOf(bucket, m.duration);
    byTimeframe.set(timeframe, sums);
  }

  const points: StatsPoint[] = [];
  const total: Sums = { visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0 };
  for (const [timeframe, s] of [...byTimeframe.entries()].sort(([a], [b]) => a - b)) {
    // Left out when empty: every metric back at zero (a late view can move a visit to another bucket).
    if (s.visitors === 0 && s.visits === 0 && s.pageviews === 0) continue;
    points.push({
      timeframe: toIso(timeframe),
      visitors: s.visitors,
      visits: s.visits,
      pageviews: s.pageviews,
      bounces: s.bounces,
      visit_duration: ratio(s.duration, s.visits),
    });
    total.visits += s.visits;
    total.pageviews += s.pageviews;
    total.bounces += s.bounces;
    total.duration += s.duration;
  }
  const dayBuckets = days ? days.buckets : series.buckets;
  total.visitors = dayBuckets.reduce((sum, bucket) => sum + metricOf(bucket, m.visitors), 0);
  const bots = (siteDays?.buckets ?? dayBuckets).reduce(
    (sum, bucket) => sum + (bucket.metrics.get(siteMetrics.bots)?.get('') ?? 0),
    0,
  );

  return {
    totals: {
      visitors: total.visitors,
      visits: total.visits,
      pageviews: total.pageviews,
      bounces: total.bounces,
      bounce_rate: ratio(100 * total.bounces, total.visits),
      visit_duration: ratio(total.duration, total.visits),
      views_per_visit: total.visits === 0 ? 0 : Math.round((100 * total.pageviews) / total.visits) / 100,
      bots,
    },
    series: points,
    itemsRead: series.itemsRead + (days?.itemsRead ?? 0) + (siteDays?.itemsRead ?? 0),
  };
}

/** round(a / b), and 0 when there is nothing to divide by. */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round(a / b);
}
