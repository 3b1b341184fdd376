/**
 * Time buckets. Counters are kept at three resolutions; a month is the sum of its days.
 * Minutes and hours are UTC; days and months are the site's local ones (domain/zones.ts), UTC
 * unless the site has a zone. A bucket is named by the ISO-8601 string of its start instant,
 * which sorts chronologically as a DynamoDB sort key.
 */
import { addDays, daysBetween, firstOfMonth, localDayOf, startOfLocalDay, utc } from './zones.js';

export type Resolution = 'minute' | 'hour' | 'day';
export type Aggregation = Resolution | 'month';
export const aggregations: readonly Aggregation[] = ['minute', 'hour', 'day', 'month'];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Start of the bucket that contains `time`; days and months in `zone`. */
export function bucketStart(time: number, aggregation: Aggregation, zone: string = utc): number {
  switch (aggregation) {
    case 'minute':
      return time - mod(time, MINUTE);
    case 'hour':
      return time - mod(time, HOUR);
    case 'day':
      return zone === utc ? time - mod(time, DAY) : localDay(time, zone).start;
    case 'month':
      return startOfLocalDay(firstOfMonth(localDayOf(time, zone)), zone);
  }
}

/** Start of the bucket after the one that starts at `start`. */
export function nextBucket(start: number, aggregation: Aggregation, zone: string = utc): number {
  switch (aggregation) {
    case 'minute':
      return start + MINUTE;
    case 'hour':
      return start + HOUR;
    case 'day':
      return zone === utc ? start + DAY : localDay(start, zone).end;
    case 'month':
      return startOfLocalDay(firstOfMonth(localDayOf(start, zone), 1), zone);
  }
}

/** The starts of every bucket that overlaps [from, to). */
export function bucketsOverlapping(
  from: number,
  to: number,
  aggregation: Aggregation,
  zone: string = utc,
): number[] {
  const starts: number[] = [];
  for (
    let start = bucketStart(from, aggregation, zone);
    start < to;
    start = nextBucket(start, aggregation, zone)
  ) {
    starts.push(start);
  }
  return starts;
}

/** How many buckets overlap [from, to), without listing them (for limits on huge ranges). */
export function countBucketsOverlapping(
  from: number,
  to: number,
  aggregation: Aggregation,
  zone: string = utc,
): number {
  if (to <= from) return 0;
  if (aggregation === 'minute' || aggregation === 'hour') {
    const size = aggregation === 'minute' ? MINUTE : HOUR;
    return (bucketStart(to - 1, aggregation) - bucketStart(from, aggregation)) / size + 1;
  }
  const first = localDayOf(from, zone);
  const last = localDayOf(to - 1, zone);
  if (aggregation === 'day') return daysBetween(first, last) + 1;
  const [a, b] = [new Date(`${first}T00:00:00Z`), new Date(`${last}T00:00:00Z`)];
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) + 1;
}

/**
 * The local day around `time`, remembered per zone: the consumer asks for the same few days
 * thousands of times a batch, and each answer costs a few Intl calls.
 */
const lastDays = new Map<string, { start: number; end: number }>();
function localDay(time: number, zone: string): { start: number; end: number } {
  const last = lastDays.get(zone);
  if (last && time >= last.start && time < last.end) return last;
  const day = localDayOf(time, zone);
  const found = { start: startOfLocalDay(day, zone), end: startOfLocalDay(addDays(day, 1), zone) };
  if (lastDays.size > 100) lastDays.clear();
  lastDays.set(zone, found);
  return found;
}

export function toIso(time: number): string {
  return new Date(time).toISOString();
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
