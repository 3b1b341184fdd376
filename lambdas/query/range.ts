/**
 * Which stored buckets a range reads, and the aggregation bucket (timeframe) each is reported
 * in. Minutes and hours are UTC instants. Days and months are the site's local ones: a day
 * counter counted before the site changed its zone started at another midnight, and is reported
 * in the local day that holds its middle.
 */
import { type Aggregation, type Resolution, bucketStart, nextBucket } from '../core/domain/buckets.js';
import { siteCounter, siteMetrics } from '../core/counters/site.js';
import { type CounterBucket, type CounterReader, readCounters } from '../core/store/counters.js';
import type { RangeQuery } from './params.js';

const HOUR_MS = 3_600_000;
/** UTC offsets run from -12 to +14 hours: a day counted in any zone starts within this of the site's. */
const ZONE_SLACK_MS = 14 * HOUR_MS;

/** Stored buckets to read: a resolution, the first and last bucket start, and how to report them. */
export interface StoredRange {
  resolution: Resolution;
  firstBucket: number;
  lastBucket: number;
  aggregation: Aggregation;
  zone: string;
}

/** The counters of the matching resolution: a month is the sum of its days. */
export function storedBuckets(q: RangeQuery): StoredRange {
  const resolution: Resolution = q.aggregation === 'month' ? 'day' : q.aggregation;
  const firstBucket = bucketStart(q.from, q.aggregation, q.zone);
  // The last stored bucket of the last aggregation bucket that overlaps the range.
  const lastBucket =
    q.aggregation === 'month'
      ? bucketStart(nextBucket(bucketStart(q.to - 1, 'month', q.zone), 'month', q.zone) - 1, 'day', q.zone)
      : bucketStart(q.to - 1, resolution, q.zone);
  return { resolution, firstBucket, lastBucket, aggregation: q.aggregation, zone: q.zone };
}

/** Every day that overlaps the range's aggregation buckets (visitors are counted per day). */
export function overlappingDays(q: RangeQuery): StoredRange {
  const { firstBucket, lastBucket } = storedBuckets(q);
  return {
    resolution: 'day',
    firstBucket: bucketStart(firstBucket, 'day', q.zone),
    lastBucket: bucketStart(lastBucket, 'day', q.zone),
    aggregation: 'day',
    zone: q.zone,
  };
}

/** A stored bucket with the aggregation bucket it is reported in. */
export interface ReportedBucket extends CounterBucket {
  timeframe: number;
}

/** Reads one dimension's buckets of a range, each with its timeframe, shards summed, in time order. */
export async function readRange(
  deps: CounterReader,
  orgId: string,
  dimension: string,
  range: StoredRange,
): Promise<{ buckets: ReportedBucket[]; itemsRead: number }> {
  if (range.resolution !== 'day') {
    const { buckets, itemsRead } = await readCounters(deps, { orgId, dimension, ...range });
    return { buckets: buckets.map((b) => ({ ...b, timeframe: b.bucket })), itemsRead };
  }
  // Days counted in another zone start up to a few hours either side of the site's days.
  const { buckets, itemsRead } = await readCounters(deps, {
    orgId,
    dimension,
    resolution: 'day',
    firstBucket: range.firstBucket - ZONE_SLACK_MS,
    lastBucket: range.lastBucket + ZONE_SLACK_MS,
  });
  const reported: ReportedBucket[] = [];
  for (const bucket of buckets) {
    const day = bucketStart(bucket.bucket + 12 * HOUR_MS, 'day', range.zone);
    if (day < range.firstBucket || day > range.lastBucket) continue;
    reported.push({
      ...bucket,
      timeframe: range.aggregation === 'month' ? bucketStart(day, 'month', range.zone) : day,
    });
  }
  return { buckets: reported, itemsRead };
}

/** The site's visitors summed over the days (visitor-days), from its day counters. */
export async function readVisitorDaysInRange(
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
