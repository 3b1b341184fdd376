/**
 * GET /stats: visitors, visits, page views, bounces and visit duration per bucket, and totals.
 * Reads the whole-site counters: one item per bucket, plus the day items of the range for its
 * visitors (a visitor is one id on one day, so a range's visitors are the sum of its days').
 */
import { toIso } from '../core/domain/buckets.js';
import { siteCounter, siteMetrics } from '../core/counters/site.js';
import { type CounterBucket, type CounterReader, readCounters } from '../core/store/counters.js';
import type { StatsAnswer, StatsPoint } from './answers.js';
import { type RangeQuery, checkParameters, parseRange } from './params.js';
import { overlappingDays, storedBuckets, timeframeOf } from './range.js';

export const statsParameters = ['aggregation', 'dateFrom', 'dateTo', 'format'] as const;

export function parseStatsQuery(query: Record<string, string>, parameterCount: number, now: number): RangeQuery {
  checkParameters('GET /stats', statsParameters, query, parameterCount);
  return parseRange(query, now);
}

interface Sums {
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  duration: number;
}

const metricOf = (bucket: CounterBucket, metric: string) => bucket.metrics.get(metric)?.get('') ?? 0;

export async function queryStats(orgId: string, q: RangeQuery, deps: CounterReader): Promise<StatsAnswer & { itemsRead: number }> {
  const stored = storedBuckets(q);
  const dimension = siteCounter.dimension;
  const [series, days] = await Promise.all([
    readCounters(deps, { orgId, dimension, ...stored }),
    stored.resolution === 'day' ? undefined : readCounters(deps, { orgId, dimension, resolution: 'day', ...overlappingDays(q) }),
  ]);

  const byTimeframe = new Map<number, Sums>();
  for (const bucket of series.buckets) {
    const timeframe = timeframeOf(bucket.bucket, q.aggregation);
    const sums = byTimeframe.get(timeframe) ?? { visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0 };
    sums.visitors += metricOf(bucket, siteMetrics.visitors);
    sums.visits += metricOf(bucket, siteMetrics.visits);
    sums.pageviews += metricOf(bucket, siteMetrics.pageviews);
    sums.bounces += metricOf(bucket, siteMetrics.bounces);
    sums.duration += metricOf(bucket, siteMetrics.duration);
    byTimeframe.set(timeframe, sums);
  }

  const points: StatsPoint[] = [];
  const total: Sums = { visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0 };
  for (const [timeframe, s] of [...byTimeframe.entries()].sort(([a], [b]) => a - b)) {
    // Left out when empty: every metric back at zero (a late view can move a visit to another bucket).
    if (s.visitors === 0 && s.visits === 0 && s.pageviews === 0) continue;
    points.push({ timeframe: toIso(timeframe), visitors: s.visitors, visits: s.visits, pageviews: s.pageviews, bounces: s.bounces, visit_duration: ratio(s.duration, s.visits) });
    total.visits += s.visits;
    total.pageviews += s.pageviews;
    total.bounces += s.bounces;
    total.duration += s.duration;
  }
  const dayBuckets = days ? days.buckets : series.buckets;
  total.visitors = dayBuckets.reduce((sum, bucket) => sum + metricOf(bucket, siteMetrics.visitors), 0);
  const bots = dayBuckets.reduce((sum, bucket) => sum + metricOf(bucket, siteMetrics.bots), 0);

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
    itemsRead: series.itemsRead + (days?.itemsRead ?? 0),
  };
}

/** round(a / b), and 0 when there is nothing to divide by. */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round(a / b);
}
