/** Which stored buckets a range reads: the resolution, the first and last bucket, and whole days. */
import { type Aggregation, type Resolution, bucketStart, nextBucket } from '../core/domain/buckets.js';
import type { RangeQuery } from './params.js';

const DAY_MS = 86_400_000;

/** The counters of the matching resolution: a month is the sum of its days. */
export function storedBuckets(q: RangeQuery): { resolution: Resolution; firstBucket: number; lastBucket: number } {
  const resolution: Resolution = q.aggregation === 'month' ? 'day' : q.aggregation;
  const firstBucket = bucketStart(q.from, q.aggregation);
  // The last stored bucket of the last aggregation bucket that overlaps the range.
  const lastBucket = q.aggregation === 'month' ? nextBucket(bucketStart(q.to - 1, 'month'), 'month') - DAY_MS : bucketStart(q.to - 1, resolution);
  return { resolution, firstBucket, lastBucket };
}

/** Every day that overlaps the range's aggregation buckets (visitors are counted per day). */
export function overlappingDays(q: RangeQuery): { firstBucket: number; lastBucket: number } {
  const { firstBucket, lastBucket } = storedBuckets(q);
  return { firstBucket: bucketStart(firstBucket, 'day'), lastBucket: bucketStart(lastBucket, 'day') };
}

/** The aggregation bucket a stored bucket is reported in. */
export function timeframeOf(bucket: number, aggregation: Aggregation): number {
  return aggregation === 'month' ? bucketStart(bucket, 'month') : bucket;
}
