/**
 * UTC bucket arithmetic. The API counts visits in UTC minute, hour, day and month buckets, so
 * every range the dashboard asks for and every point it draws is computed on the same grid.
 * Times are epoch milliseconds throughout.
 */

export const aggregations = ['minute', 'hour', 'day', 'month'] as const;
export type Aggregation = (typeof aggregations)[number];

export function isAggregation(value: unknown): value is Aggregation {
  return typeof value === 'string' && (aggregations as readonly string[]).includes(value);
}

const fixedBucketMs: Record<Exclude<Aggregation, 'month'>, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** The start of the bucket that contains `ms`. */
export function floorToBucket(ms: number, aggregation: Aggregation): number {
  if (aggregation === 'month') {
    const date = new Date(ms);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
  const size = fixedBucketMs[aggregation];
  return Math.floor(ms / size) * size;
}

/** The first bucket start at or after `ms`. */
export function ceilToBucket(ms: number, aggregation: Aggregation): number {
  const floor = floorToBucket(ms, aggregation);
  return floor === ms ? ms : addBuckets(floor, aggregation, 1);
}

/** Moves a bucket start `count` buckets forward (or back, when negative). */
export function addBuckets(bucketStart: number, aggregation: Aggregation, count: number): number {
  if (aggregation === 'month') {
    const date = new Date(bucketStart);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + count, 1);
  }
  return bucketStart + count * fixedBucketMs[aggregation];
}

/** How many buckets overlap [from, to): the number the API counts against its limits. */
export function countBuckets(from: number, to: number, aggregation: Aggregation): number {
  if (to <= from) return 0;
  const first = floorToBucket(from, aggregation);
  const end = ceilToBucket(to, aggregation);
  if (aggregation === 'month') {
    const a = new Date(first);
    const b = new Date(end);
    return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  }
  return (end - first) / fixedBucketMs[aggregation];
}

/** Every bucket start overlapping [from, to), ascending: the x axis, with empty buckets included. */
export function bucketStarts(from: number, to: number, aggregation: Aggregation): number[] {
  const starts: number[] = [];
  for (let t = floorToBucket(from, aggregation); t < to; t = addBuckets(t, aggregation, 1)) starts.push(t);
  return starts;
}
