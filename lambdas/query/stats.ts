/**
 * GET /stats: visitors, visits, page views, bounces and visit duration per bucket, and totals.
 * Reads the whole-site counters: one item per bucket, plus the day items of the range for its
 * visitors (a visitor is one id on one day, so a range's visitors are the sum of its days').
 * With filters, the same figures of only the visits they keep, from the engine (explore/): SQL
 * over the archive plus the open days' visitor-days, shaped as the counters would have been.
 */
import { toIso } from '../core/domain/buckets.js';
import { visitMetrics } from '../core/counters/definition.js';
import { siteCounter, siteMetrics } from '../core/counters/site.js';
import { BadRequestError } from '../core/http/errors.js';
import type { CounterBucket, CounterReader } from '../core/store/counters.js';
import type { StatsAnswer, StatsPoint } from './answers.js';
import { type ExploreDeps, exploreStats } from './explore/explore.js';
import type { StatsRow } from './explore/rows.js';
import { type Filter, parseFilters } from './filters.js';
import { type RangeQuery, checkParameters, parseRange } from './params.js';
import {
  type ReportedBucket,
  daysOf,
  overlappingDays,
  readRange,
  reportedDay,
  storedBuckets,
} from './range.js';

const statsParameters = ['aggregation', 'dateFrom', 'dateTo', 'filter', 'format'] as const;

export interface StatsQuery extends RangeQuery {
  /** All must hold; none: the counters answer. */
  filters: Filter[];
  /** When it was asked: which days are still open. */
  now: number;
}

export function parseStatsQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
  filterTexts: readonly string[] = [],
): StatsQuery {
  checkParameters('GET /stats', statsParameters, query, parameterCount);
  if (filterTexts.length > 0 && query.aggregation === 'minute')
    throw new BadRequestError('filter is answered at hour, day and month aggregation; choose one of those.');
  return { ...parseRange(query, now, zone), filters: parseFilters(filterTexts), now };
}

interface Sums {
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  duration: number;
  /** Page views past a visitor-day's cap: in no visit. */
  pastCap: number;
}

// The whole site's counters and every filterable dimension's share the visit metric codes (counters/definition.ts).
const m = visitMetrics;

export async function queryStats(
  orgId: string,
  q: StatsQuery,
  deps: CounterReader & ExploreDeps,
): Promise<StatsAnswer & { itemsRead: number }> {
  const metricOf = (bucket: CounterBucket, metric: string) => bucket.metrics.get(metric)?.get('') ?? 0;
  const filtered = q.filters.length > 0;
  const [{ series, days }, siteDays] = await Promise.all([
    filtered ? filteredBuckets(orgId, q, deps) : siteBuckets(orgId, q, deps),
    // Bot views are in no visit: a filtered answer takes them from the whole site's day items.
    filtered ? readRange(deps, orgId, siteCounter.dimension, overlappingDays(q)) : undefined,
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
      pastCap: 0,
    };
    sums.visitors += metricOf(bucket, m.visitors);
    sums.visits += metricOf(bucket, m.visits);
    sums.pageviews += metricOf(bucket, m.pageviews);
    sums.bounces += metricOf(bucket, m.bounces);
    sums.duration += metricOf(bucket, m.duration);
    sums.pastCap += metricOf(bucket, siteMetrics.pastCap);
    byTimeframe.set(timeframe, sums);
  }

  const points: StatsPoint[] = [];
  const total: Sums = { visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0, pastCap: 0 };
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
    total.pastCap += s.pastCap;
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
      // Of the page views in visits: views past a visitor-day's cap are in none.
      views_per_visit:
        total.visits === 0 ? 0 : Math.round((100 * (total.pageviews - total.pastCap)) / total.visits) / 100,
      bots,
    },
    series: points,
    itemsRead: series.itemsRead + (days?.itemsRead ?? 0) + (siteDays?.itemsRead ?? 0),
  };
}

type Read = { buckets: ReportedBucket[]; itemsRead: number };

/** The whole site's counters: the range's buckets, and its days when those are not the buckets. */
async function siteBuckets(orgId: string, q: StatsQuery, deps: CounterReader) {
  const stored = storedBuckets(q);
  const [series, days] = await Promise.all([
    readRange(deps, orgId, siteCounter.dimension, stored),
    stored.resolution === 'day'
      ? undefined
      : readRange(deps, orgId, siteCounter.dimension, overlappingDays(q)),
  ]);
  return { series, days } as { series: Read; days: Read | undefined };
}

/** The engine's rows of the kept visits, as the site's counters would hold them. */
async function filteredBuckets(orgId: string, q: StatsQuery, deps: ExploreDeps) {
  const stored = storedBuckets(q);
  const daysRange = overlappingDays(q);
  const { rows, itemsRead } = await exploreStats(orgId, daysOf(daysRange), q.filters, deps, q);
  const asBucket = (row: StatsRow, bucket: number, timeframe: number): ReportedBucket => ({
    bucket,
    timeframe,
    metrics: new Map([
      [m.visitors, new Map([['', row.visitors]])],
      [m.visits, new Map([['', row.visits]])],
      [m.pageviews, new Map([['', row.pageviews]])],
      [m.bounces, new Map([['', row.bounces]])],
      [m.duration, new Map([['', row.duration]])],
    ]),
  });
  const days = rows
    .filter((row) => row.hour === null)
    .map((row) => {
      const { bucket, timeframe } = reportedDay(row.day, daysRange);
      return asBucket(row, bucket, timeframe);
    });
  const series =
    stored.resolution === 'hour'
      ? rows
          .filter(
            (row) => row.hour !== null && row.hour >= stored.firstBucket && row.hour <= stored.lastBucket,
          )
          .map((row) => asBucket(row, row.hour!, row.hour!))
      : rows
          .filter((row) => row.hour === null)
          .map((row) => {
            const { bucket, timeframe } = reportedDay(row.day, stored);
            return asBucket(row, bucket, timeframe);
          });
  return {
    series: { buckets: series.sort((a, b) => a.bucket - b.bucket), itemsRead },
    days: { buckets: days, itemsRead: 0 },
  };
}

/** round(a / b), and 0 when there is nothing to divide by. */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : Math.round(a / b);
}
