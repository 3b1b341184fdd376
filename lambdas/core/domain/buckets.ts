/**
 * Time buckets. Counters are kept at three resolutions; a month is the sum of its days.
 * All buckets are UTC, and a bucket is named by the ISO-8601 string of its start, which sorts
 * chronologically as a DynamoDB sort key.
 */
export type Resolution = 'minute' | 'hour' | 'day';
export type Aggregation = Resolution | 'month';
export const resolutions: readonly Resolution[] = ['minute', 'hour', 'day'];
export const aggregations: readonly Aggregation[] = ['minute', 'hour', 'day', 'month'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Start of the bucket that contains `time`. */
export function bucketStart(time: number, aggregation: Aggregation): number {
  switch (aggregation) {
    case 'minute':
      return time - mod(time, MINUTE);
    case 'hour':
      return time - mod(time, HOUR);
    case 'day':
      return time - mod(time, DAY);
    case 'month': {
      const d = new Date(time);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    }
  }
}

/** Start of the bucket after the one that starts at `start`. */
export function nextBucket(start: number, aggregation: Aggregation): number {
  switch (aggregation) {
    case 'minute':
      return start + MINUTE;
    case 'hour':
      return start + HOUR;
    case 'day':
      return start + DAY;
    case 'month': {
      const d = new Date(start);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
  }
}

/** The starts of every bucket that overlaps [from, to). */
export function bucketsOverlapping(from: number, to: number, aggregation: Aggregation): number[] {
  const starts: number[] = [];
  for (let start = bucketStart(from, aggregation); start < to; start = nextBucket(start, aggregation)) {
    starts.push(start);
  }
  return starts;
}

/** How many buckets overlap [from, to), without listing them (for limits on huge ranges). */
export function countBucketsOverlapping(from: number, to: number, aggregation: Aggregation): number {
  if (to <= from) return 0;
  const first = bucketStart(from, aggregation);
  const last = bucketStart(to - 1, aggregation);
  if (aggregation === 'month') {
    const a = new Date(first);
    const b = new Date(last);
    return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) + 1;
  }
  const size = aggregation === 'minute' ? MINUTE : aggregation === 'hour' ? HOUR : DAY;
  return (last - first) / size + 1;
}

export function toIso(time: number): string {
  return new Date(time).toISOString();
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
