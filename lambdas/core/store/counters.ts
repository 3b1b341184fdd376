/**
 * Key design of the Counters table.
 *
 *   pk = <orgId>#<resolution>#<period>   sk = <bucket start ISO>#<pageUrl>
 *
 * The period spreads an org's counters over partitions that stop growing: a minute counter
 * lives in its day's partition (at most 1,440 buckets), an hour counter in its month's, a day
 * counter in its year's. The sort key puts the pages of one bucket side by side, so a range
 * of buckets is one `BETWEEN` per partition and the items read are the (page, bucket) pairs
 * that the answer holds.
 */
import { type Resolution, bucketStart, nextBucket, toIso } from '../domain/buckets.js';

const periodOf: Record<Resolution, (iso: string) => string> = {
  minute: (iso) => iso.slice(0, 10), // YYYY-MM-DD
  hour: (iso) => iso.slice(0, 7), // YYYY-MM
  day: (iso) => iso.slice(0, 4), // YYYY
};

export function counterPartition(orgId: string, resolution: Resolution, bucketIso: string): string {
  return `${orgId}#${resolution}#${periodOf[resolution](bucketIso)}`;
}

export function counterKey(orgId: string, resolution: Resolution, time: number, pageUrl: string) {
  const bucket = toIso(bucketStart(time, resolution));
  return { pk: counterPartition(orgId, resolution, bucket), sk: `${bucket}#${pageUrl}` };
}

/** Splits a counter sort key back into its bucket and page. */
export function parseCounterSortKey(sk: string): { bucket: string; pageUrl: string } {
  // An ISO bucket start is always 24 characters: 2023-11-01T00:00:00.000Z
  return { bucket: sk.slice(0, 24), pageUrl: sk.slice(25) };
}

/**
 * The Query ranges that cover every bucket from `firstBucket` to `lastBucket` (both bucket
 * starts, inclusive) at one resolution: one per partition, to be read in parallel.
 */
export function partitionRanges(orgId: string, resolution: Resolution, firstBucket: number, lastBucket: number) {
  const ranges: { pk: string; fromSk: string; toSk: string }[] = [];
  let start = firstBucket;
  while (start <= lastBucket) {
    const pk = counterPartition(orgId, resolution, toIso(start));
    let end = start;
    // Walk to the last bucket in the same partition; partitions hold at most ~1,440 buckets.
    for (let next = nextBucket(end, resolution); next <= lastBucket && counterPartition(orgId, resolution, toIso(next)) === pk; next = nextBucket(next, resolution)) {
      end = next;
    }
    // The highest code point sorts after any page URL, so the range ends after the last bucket's pages.
    ranges.push({ pk, fromSk: `${toIso(start)}#`, toSk: `${toIso(end)}#\u{10FFFF}` });
    start = nextBucket(end, resolution);
  }
  return ranges;
}
