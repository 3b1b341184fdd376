/**
 * Visitor-day items in the Visits table: one per visitor id and day of the site's zone, holding that visitor's
 * views of the day. The item is both the exactly-once ledger (a view whose event hash is in it
 * was counted) and the session state the counters are computed from. Every table access to it
 * is here.
 *
 *   pk = <orgId>#<YYYY-MM-DD>#<shard>   sk = <visitorId>[#<zone>]
 *
 *   The org's visitor-days of one day are spread over a few partitions by a hash of the visitor
 *   id, so one Query per partition reads a day's visits back (GET /breakdown with a filter).
 *   The zone is named when it is not UTC: a site that changes its zone starts new visitor-days,
 *   so no visitor-day is counted in two zones.
 *   p  = [page URL, ...]                     the day's distinct pages, referenced by index
 *   a  = [dims JSON, ...]                    the day's distinct sources/devices, by index
 *   e  = [event name, ...]                   the day's distinct custom event names, by index
 *   r  = [props JSON, ...]                   the day's distinct event properties, by index
 *   w  = "<ms in day>.<page index>.<hash>.<kind>[.<dims index>[.<name index>[.<props index>]]] ..."   base 36 numbers
 *        an engagement: "<ms in day>.<page index>.<hash>.g.<seconds>_<scroll depth>"
 *   ver = version (a write is conditioned on it, so concurrent consumers cannot interleave)
 *
 * Items are billed per 1 KB written (twice inside a transaction): the encoding keeps a few
 * views under 1 KB. A day's views past settings.visitorModel.maxViewsPerDay are not kept (see
 * ledgerPut below).
 */
import { createHash } from 'node:crypto';
import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EventProps } from '../domain/event-props.js';
import type { VisitDims } from '../domain/visit-properties.js';
import type { View, ViewKind, VisitorDay } from '../domain/visitor-day.js';
import { utc } from '../domain/zones.js';
import { retention, ttlAttribute } from '../settings.js';
import { type TransactItem, shardOf } from './counters.js';

const DAY_MS = 86_400_000;
const kindCodes: Record<ViewKind, string> = {
  pageview: 'v',
  bot: 'b',
  extra: 'x',
  event: 'e',
  'extra-event': 'y',
  engagement: 'g',
};
const kindOfCode = Object.fromEntries(
  Object.entries(kindCodes).map(([kind, code]) => [code, kind]),
) as Record<string, ViewKind>;

export interface StoredVisitorDay {
  day: VisitorDay;
  /** 0 when the item does not exist yet. */
  version: number;
}

export interface VisitorDaysDeps {
  doc: DynamoDBDocumentClient;
  visitsTable: string;
}

/** A short hash of an event id: 48 bits, so two views of one visitor-day never collide in practice. */
export function eventHash(orgId: string, eventId: string): string {
  return createHash('sha256').update(`${orgId}\n${eventId}`).digest('base64url').slice(0, 8);
}

/** Which visitor-day a view belongs to. */
export type VisitorDayKey = Pick<VisitorDay, 'orgId' | 'day' | 'zone' | 'visitorId'>;

/** Partitions of one org's day: enough to stay well under a partition's 1,000 writes a second. */
export const visitorDayShards = 8;

function visitorDayKey(d: VisitorDayKey) {
  return {
    pk: dayPartition(d.orgId, d.day, shardOf(d.visitorId, visitorDayShards)),
    sk: `${d.visitorId}${d.zone === utc ? '' : `#${d.zone}`}`,
  };
}

/** The visitor and zone a sort key names (visitorDayKey's `sk`, read back). */
function visitorOfSortKey(sk: string): Pick<VisitorDay, 'visitorId' | 'zone'> {
  const hash = sk.indexOf('#');
  return hash < 0 ? { visitorId: sk, zone: utc } : { visitorId: sk.slice(0, hash), zone: sk.slice(hash + 1) };
}

/** One id for a visitor-day's key, to key maps by. */
export function visitorDayId(d: VisitorDayKey): string {
  const { pk, sk } = visitorDayKey(d);
  return `${pk}|${sk}`;
}

const dayPartition = (orgId: string, day: string, shard: number) => `${orgId}#${day}#${shard}`;

/** Every partition of an org's day (retention deletes them). */
export const dayPartitions = (orgId: string, day: string) =>
  Array.from({ length: visitorDayShards }, (_, shard) => dayPartition(orgId, day, shard));

function encodeViews(
  day: string,
  views: readonly View[],
): { p: string[]; w: string; a?: string[]; e?: string[]; r?: string[] } {
  const start = Date.parse(day);
  const pages = new Indexed();
  const dims = new Indexed();
  const names = new Indexed();
  const props = new Indexed();
  const entries = views.map((view) => {
    let entry = `${(view.time - start).toString(36)}.${pages.of(view.page).toString(36)}.${view.hash}.${kindCodes[view.kind]}`;
    if (view.engagement)
      return `${entry}.${view.engagement.seconds.toString(36)}_${view.engagement.scrollDepth.toString(36)}`;
    if (view.dims || view.name !== undefined)
      entry += `.${view.dims ? dims.of(JSON.stringify(view.dims)).toString(36) : ''}`;
    if (view.name !== undefined) entry += `.${names.of(view.name).toString(36)}`;
    if (view.props) entry += `.${props.of(JSON.stringify(view.props)).toString(36)}`;
    return entry;
  });
  return {
    p: pages.values,
    w: entries.join(' '),
    ...(dims.values.length > 0 ? { a: dims.values } : {}),
    ...(names.values.length > 0 ? { e: names.values } : {}),
    ...(props.values.length > 0 ? { r: props.values } : {}),
  };
}

export function decodeViews(
  day: string,
  item: { p?: string[]; w?: string; a?: string[]; e?: string[]; r?: string[] },
): View[] {
  const start = Date.parse(day);
  if (!item.w) return [];
  return item.w.split(' ').map((entry) => {
    // A hash is base64url: letters, digits, '-' and '_', never '.'.
    const [time, page, hash, kind, dims, name, props] = entry.split('.') as [
      string,
      string,
      string,
      string,
      string | undefined,
      string | undefined,
      string | undefined,
    ];
    const view: View = {
      time: start + parseInt(time, 36),
      page: item.p![parseInt(page, 36)]!,
      hash,
      kind: kindOfCode[kind]!,
    };
    if (view.kind === 'engagement') {
      const [seconds, scrollDepth] = dims!.split('_') as [string, string];
      view.engagement = { seconds: parseInt(seconds, 36), scrollDepth: parseInt(scrollDepth, 36) };
      return view;
    }
    if (dims) view.dims = JSON.parse(item.a![parseInt(dims, 36)]!) as VisitDims;
    if (name !== undefined) view.name = item.e![parseInt(name, 36)]!;
    if (props !== undefined) view.props = JSON.parse(item.r![parseInt(props, 36)]!) as EventProps;
    return view;
  });
}

/** Distinct strings, each stored once and referenced by its index. */
class Indexed {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  of(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.push(value) - 1;
      this.index.set(value, i);
    }
    return i;
  }
}

/** Reads visitor-days with strongly consistent reads (the consumer must see the latest version). */
export async function readVisitorDays(
  deps: VisitorDaysDeps,
  keys: readonly VisitorDayKey[],
): Promise<Map<string, StoredVisitorDay>> {
  const found = new Map<string, StoredVisitorDay>();
  const byId = new Map(keys.map((k) => [visitorDayId(k), k]));
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [deps.visitsTable]: { Keys: keys.slice(i, i + 100).map(visitorDayKey), ConsistentRead: true },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result = await deps.doc.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of result.Responses?.[deps.visitsTable] ?? []) {
        const id = `${item.pk as string}|${item.sk as string}`;
        const k = byId.get(id)!;
        found.set(id, { day: { ...k, views: decodeViews(k.day, item) }, version: Number(item.ver) });
      }
      // Unprocessed keys (throttling) are read again after a back-off.
      request = result.UnprocessedKeys as typeof request;
    }
  }
  for (const k of keys) {
    const id = visitorDayId(k);
    if (!found.has(id)) found.set(id, { day: { ...k, views: [] }, version: 0 });
  }
  return found;
}

/** How many Queries reading visitor-days back run at once: a long range is read a few pages at a time. */
const concurrentDayReads = 8;

/**
 * Hands every visitor-day of an org's days to `onVisitorDay` as its page arrives (eventually
 * consistent: for reading, not for counting), and answers how many there were. One Query per
 * day and partition, a few at a time, so memory holds a few pages whatever the range. A Query is
 * billed by the bytes it reads, so reading many small items is cheap; the time it takes grows
 * with the days' visitors.
 */
export async function forEachVisitorDay(
  deps: VisitorDaysDeps,
  orgId: string,
  days: readonly string[],
  onVisitorDay: (visitorDay: VisitorDay) => void,
): Promise<number> {
  const partitions = days.flatMap((day) =>
    Array.from({ length: visitorDayShards }, (_, shard) => ({ day, shard })),
  );
  let next = 0;
  let read = 0;
  const reader = async () => {
    for (let partition = partitions[next++]; partition; partition = partitions[next++]) {
      const { day, shard } = partition;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await deps.doc.send(
          new QueryCommand({
            TableName: deps.visitsTable,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': dayPartition(orgId, day, shard) },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? [])
          onVisitorDay({ orgId, day, ...visitorOfSortKey(item.sk as string), views: decodeViews(day, item) });
        read += page.Items?.length ?? 0;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrentDayReads, partitions.length) }, reader));
  return read;
}

/** Writes a visitor-day's new state, only if nobody wrote it since it was read. */
export function visitorDayPut(visitsTable: string, day: VisitorDay, version: number): TransactItem {
  return {
    Put: {
      TableName: visitsTable,
      Item: {
        ...visitorDayKey(day),
        ...encodeViews(day.day, day.views),
        ver: version + 1,
        [ttlAttribute]: Math.floor((Date.parse(day.day) + DAY_MS) / 1000) + retention.rawVisitDays * 86_400,
      },
      ...(version === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'ver = :ver', ExpressionAttributeValues: { ':ver': version } }),
    },
  };
}

/**
 * A view past the visitor-day's cap is not kept in the item; its exactly-once ledger is a
 * record of its own, written only if absent.
 */
export function ledgerPut(visitsTable: string, orgId: string, eventId: string, time: number): TransactItem {
  return {
    Put: {
      TableName: visitsTable,
      Item: {
        pk: `${orgId}#event#${eventId}`,
        sk: 'event',
        [ttlAttribute]: Math.floor(time / 1000) + retention.rawVisitDays * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
