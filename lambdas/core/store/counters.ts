/**
 * The Counters table: what the counter definitions (lambdas/core/counters/) write, and reading
 * it back. Every table access to it is here.
 *
 *   pk = <orgId>#<dimension>#<resolution>#<period>   sk = <bucket start ISO>#<shard>
 *   attributes: <metric> (the whole site) or <metric>.<id> (a value: a page, ...) -> number,
 *               and @<id> -> the value itself (see valueId)
 *
 * The period spreads an org's counters over partitions that stop growing: a minute counter
 * lives in its day's partition, an hour counter in its month's, a day counter in its year's.
 * A bucket's values are packed into a few shard items, so a batch updates a few items per
 * bucket instead of one per value; a range of buckets is one Query per partition.
 *
 * Some dimensions live in another's items (hostDimensions): the channel in the site's, every
 * other visit property in the shared `visit` items, each value tagged with its dimension.
 */
import { createHash } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type Resolution, toIso } from '../domain/buckets.js';
import type { VisitProperty } from '../domain/visit-properties.js';
import { retention, ttlAttribute } from '../settings.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const periodOf: Record<Resolution, (iso: string) => string> = {
  minute: (iso) => iso.slice(0, 10), // YYYY-MM-DD
  hour: (iso) => iso.slice(0, 7), // YYYY-MM
  day: (iso) => iso.slice(0, 4), // YYYY
};

export interface CounterItemKey {
  pk: string;
  sk: string;
}

/** The dimension whose items hold every visit property's values but the channel's. */
export const visitItemDimension = 'visit';

/**
 * Dimensions counted inside another dimension's items, each value stored with its dimension's
 * tag; readCounters gives them back under their own dimension and leaves them out of the host's.
 * - The channel (issue 23) lives in the site's hour and day items, which every view writes
 *   anyway: attributes added to items already written, not item writes. One shard, as its host.
 * - Every other visit property (issue 25) shares the `visit` items: every new view changes its
 *   visit, and so each of that visit's properties; one item a bucket (two a day) is rewritten
 *   instead of one or more per property. Short tags: items are billed by size. Releases before
 *   issue 25 wrote these properties into items of their own, which are still read (legacyItems).
 */
const hostDimensions: Readonly<Record<VisitProperty, { host: string; tag: string }>> = {
  channel: { host: 'site', tag: 'channel\u0001' },
  source: { host: visitItemDimension, tag: 's:' },
  referrer: { host: visitItemDimension, tag: 'r:' },
  utm_source: { host: visitItemDimension, tag: 'us:' },
  utm_medium: { host: visitItemDimension, tag: 'um:' },
  utm_campaign: { host: visitItemDimension, tag: 'uc:' },
  utm_term: { host: visitItemDimension, tag: 'ut:' },
  utm_content: { host: visitItemDimension, tag: 'ux:' },
  country: { host: visitItemDimension, tag: 'c:' },
  browser: { host: visitItemDimension, tag: 'b:' },
  os: { host: visitItemDimension, tag: 'o:' },
  device: { host: visitItemDimension, tag: 'd:' },
};

const hostOf = (dimension: string) =>
  Object.hasOwn(hostDimensions, dimension) ? hostDimensions[dimension as VisitProperty] : undefined;

/** Whether a dimension's values were once counted in items of its own (read as well as the host's). */
const legacyItems = (dimension: string) => hostOf(dimension)?.host === visitItemDimension;

/** The value as stored in its item: tagged with its dimension when that dimension is hosted. */
export function storedValue(dimension: string, value: string): string {
  const hosted = hostOf(dimension);
  return hosted ? hosted.tag + value : value;
}

/** A stored value read back as `dimension`'s value, or undefined when it is another dimension's. */
function readValue(dimension: string, stored: string): string | undefined {
  const hosted = hostOf(dimension);
  if (hosted) return stored.startsWith(hosted.tag) ? stored.slice(hosted.tag.length) : undefined;
  for (const guest of Object.values(hostDimensions))
    if (guest.host === dimension && stored.startsWith(guest.tag)) return undefined;
  return stored;
}

/** The partition of a dimension's bucket: its host's, or with `own` the dimension's own (legacyItems). */
function counterPartition(
  orgId: string,
  dimension: string,
  resolution: Resolution,
  bucketIso: string,
  own = false,
): string {
  const stored = own ? dimension : (hostOf(dimension)?.host ?? dimension);
  return `${orgId}#${stored}#${resolution}#${periodOf[resolution](bucketIso)}`;
}

export function counterItemKey(
  orgId: string,
  dimension: string,
  resolution: Resolution,
  bucket: number,
  shard: number,
): CounterItemKey {
  const iso = toIso(bucket);
  return { pk: counterPartition(orgId, dimension, resolution, iso), sk: `${iso}#${shard}` };
}

/**
 * A value (a page URL, later a source or a country) is named inside an item by a short id, so a
 * long URL is stored once per item however many metrics it has: `@<id>` holds the value and
 * `<metric>.<id>` each number. The whole site's metrics are plain `<metric>` attributes.
 */
export function valueId(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 8);
}

export function counterAttribute(metric: string, value: string): string {
  return value === '' ? metric : `${metric}.${valueId(value)}`;
}

/** Which of `shards` items a value lives in: a stable hash (FNV-1a), so a value's counts stay together. */
export function shardOf(value: string, shards: number): number {
  if (shards <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/** What one transaction adds to one counter item: signed amounts per metric and value. */
export interface CounterChange {
  key: CounterItemKey;
  resolution: Resolution;
  bucket: number;
  /** metric -> value -> amount */
  amounts: Map<string, Map<string, number>>;
}

/** How many metric-value pairs a change holds (an update expression is limited to 4 KB). */
export function termsOf(change: CounterChange): number {
  let terms = 0;
  for (const byValue of change.amounts.values()) terms += byValue.size;
  return terms;
}

/** One transaction action that adds the change's signed amounts to its counter item. */
export function counterUpdate(table: string, change: CounterChange): TransactItem {
  const names: Record<string, string> = {};
  const values: Record<string, number | string> = {};
  const adds: string[] = [];
  const sets: string[] = [];
  const ids = new Map<string, string>();
  let i = 0;
  for (const [metric, byValue] of change.amounts) {
    for (const [value, amount] of byValue) {
      if (value !== '' && !ids.has(value)) {
        const token = `v${ids.size}`;
        ids.set(value, token);
        names[`#${token}`] = `@${valueId(value)}`;
        values[`:${token}`] = value;
        sets.push(`#${token} = :${token}`);
      }
      names[`#a${i}`] = counterAttribute(metric, value);
      values[`:a${i}`] = amount;
      adds.push(`#a${i} :a${i}`);
      i++;
    }
  }
  if (change.resolution === 'minute') {
    // Minute counters expire; hour and day counters are kept.
    names['#ttl'] = ttlAttribute;
    values[':ttl'] = Math.floor(change.bucket / 1000) + retention.minuteCounterDays * 86_400;
    sets.push('#ttl = :ttl');
  }
  const expression = `ADD ${adds.join(', ')}${sets.length > 0 ? ` SET ${sets.join(', ')}` : ''}`;
  return {
    Update: {
      TableName: table,
      Key: change.key,
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

export interface CounterBucket {
  /** Bucket start, epoch ms. */
  bucket: number;
  /** Sums over the bucket's shards: metric -> value ('' for the whole site) -> number. */
  metrics: Map<string, Map<string, number>>;
}

export interface CounterReader {
  doc: DynamoDBDocumentClient;
  countersTable: string;
}

/**
 * Every bucket of one dimension and resolution from `firstBucket` to `lastBucket` (bucket
 * starts, inclusive), shards summed, in time order. Also returns how many items it read.
 */
export async function readCounters(
  deps: CounterReader,
  q: { orgId: string; dimension: string; resolution: Resolution; firstBucket: number; lastBucket: number },
): Promise<{ buckets: CounterBucket[]; itemsRead: number }> {
  const ranges = storedRanges(q);
  const pages = await Promise.all(
    ranges.map(async (range) => ({ ...(await queryRange(deps, range)), own: range.own })),
  );
  const byBucket = new Map<number, Map<string, Map<string, number>>>();
  let itemsRead = 0;
  for (const page of pages) {
    itemsRead += page.itemsRead;
    for (const item of page.items) {
      const bucket = bucketOfSortKey(item.sk as string);
      const metrics = byBucket.get(bucket) ?? new Map<string, Map<string, number>>();
      byBucket.set(bucket, metrics);
      for (const [name, amount] of Object.entries(item)) {
        if (name === 'pk' || name === 'sk' || name === ttlAttribute || name.startsWith('@')) continue;
        const dot = name.indexOf('.');
        const metric = dot < 0 ? name : name.slice(0, dot);
        const stored = dot < 0 ? '' : (item[`@${name.slice(dot + 1)}`] as string);
        const value = page.own ? stored : readValue(q.dimension, stored);
        if (value === undefined) continue;
        const byValue = metrics.get(metric) ?? new Map<string, number>();
        metrics.set(metric, byValue);
        byValue.set(value, (byValue.get(value) ?? 0) + Number(amount));
      }
    }
  }
  const buckets = [...byBucket.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bucket, metrics]) => ({ bucket, metrics }));
  return { buckets, itemsRead };
}

type BucketRange = Parameters<typeof partitionRanges>[0];

/**
 * Every Query range that holds a dimension's buckets: its host's partitions, and the items of
 * older releases, which hold untagged values (one more Query per partition, empty where none were
 * written).
 */
export function storedRanges(q: BucketRange) {
  return [
    ...partitionRanges(q).map((range) => ({ ...range, own: false })),
    ...(legacyItems(q.dimension)
      ? partitionRanges(q, { own: true }).map((range) => ({ ...range, own: true }))
      : []),
  ];
}

/**
 * The Query ranges that cover every bucket starting from `firstBucket` to `lastBucket`: one per
 * partition, to be read in parallel. Partitions are UTC periods of the bucket's start instant,
 * whatever zone the buckets were cut in.
 */
export function partitionRanges(
  q: {
    orgId: string;
    dimension: string;
    resolution: Resolution;
    firstBucket: number;
    lastBucket: number;
  },
  { own = false }: { own?: boolean } = {},
) {
  const ranges: { pk: string; fromSk: string; toSk: string }[] = [];
  for (let start = q.firstBucket; start <= q.lastBucket; ) {
    const periodEnd = nextPeriod(start, q.resolution);
    const end = Math.min(q.lastBucket, periodEnd - 1);
    // '$' sorts after '#': the range ends after the last bucket's shards.
    ranges.push({
      pk: counterPartition(q.orgId, q.dimension, q.resolution, toIso(start), own),
      fromSk: `${toIso(start)}#`,
      toSk: `${toIso(end)}$`,
    });
    start = periodEnd;
  }
  return ranges;
}

/** The bucket start a counter item's sort key names. */
export const bucketOfSortKey = (sk: string) => Date.parse(sk.slice(0, sk.lastIndexOf('#')));

/** Where the partition (periodOf) holding `time` ends: the next UTC day, month or year. */
function nextPeriod(time: number, resolution: Resolution): number {
  const d = new Date(time);
  if (resolution === 'minute') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
  if (resolution === 'hour') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
}

async function queryRange(deps: CounterReader, range: { pk: string; fromSk: string; toSk: string }) {
  const items: Record<string, unknown>[] = [];
  let itemsRead = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.doc.send(
      new QueryCommand({
        TableName: deps.countersTable,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': range.pk, ':from': range.fromSk, ':to': range.toSk },
        ExclusiveStartKey,
      }),
    );
    itemsRead += page.ScannedCount ?? 0;
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { items, itemsRead };
}
