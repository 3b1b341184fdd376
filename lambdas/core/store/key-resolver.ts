/**
 * What a request's key resolves to, read from its key item in the Orgs table
 * (`pk = key#<sha256>, sk = key`, written by orgs.ts), with the org's settings copied onto it so
 * that ingest needs one read. Apart from orgs.ts so that the ingest function, which only resolves
 * keys, loads no AWS SDK (its calls go through store/item-calls.ts).
 */
import { type KeyKind, hashKey } from '../domain/keys.js';
import { utc } from '../domain/zones.js';
import { abuseLimits, keyCache } from '../settings.js';
import type { ItemCalls } from './item-calls.js';

/** What a key item copies from its org, so that resolving a key is one read. */
export interface CopiedToKeys {
  /** Hosts whose pages may be counted; empty means any host. */
  domains: string[];
  /** The IANA zone its days and months are counted in. */
  timezone: string;
  /** Accepted views a day (of its zone) before POST /visits answers 429. */
  dailyLimit: number;
}

export interface ResolvedKey {
  orgId: string;
  kind: KeyKind;
  /** The org's domains, zone (ingest cuts visitor-days in it, the query reads ranges in it) and daily limit. */
  domains: string[];
  timezone: string;
  dailyLimit: number;
  revoked: boolean;
}

export const keyPk = (keyHash: string) => `key#${keyHash}`;
/** The partition keys of key items, as IAM's dynamodb:LeadingKeys pattern: all the API functions may read. */
export const keyItemsPattern = 'key#*';

/**
 * What an org or key item holds of the copied settings. Items made before zones existed have none
 * stored: they count in UTC; items without a daily limit get the default.
 */
export function copiedOf(item: Record<string, unknown>): CopiedToKeys {
  return {
    domains: (item.domains as string[] | undefined) ?? [],
    timezone: (item.timezone as string | undefined) ?? utc,
    dailyLimit: (item.dailyLimit as number | undefined) ?? abuseLimits.defaultDailyViews,
  };
}

/**
 * Resolves a presented key to its org, through a short in-memory cache so a warm function
 * reads the Orgs table about once a minute per key, not once per visit. Unknown keys are cached
 * too, so a flood of bad keys cannot turn into a flood of reads.
 */
export function createKeyResolver(
  deps: { items: ItemCalls; orgsTable: string },
  options: { cacheMs: number; now?: () => number },
) {
  const now = options.now ?? (() => Date.now());
  const cache = new Map<string, { value: ResolvedKey | undefined; expires: number }>();
  return async function resolveKey(key: string): Promise<ResolvedKey | undefined> {
    const keyHash = hashKey(key);
    const hit = cache.get(keyHash);
    if (hit && hit.expires > now()) return hit.value;
    const { Item } = await deps.items.getItem({
      TableName: deps.orgsTable,
      Key: { pk: keyPk(keyHash), sk: 'key' },
    });
    const value: ResolvedKey | undefined = Item
      ? {
          orgId: Item.orgId as string,
          kind: Item.kind as KeyKind,
          ...copiedOf(Item),
          revoked: Boolean(Item.revokedAt),
        }
      : undefined;
    if (cache.size > keyCache.maxEntries) cache.clear(); // bound memory under a flood of random keys
    cache.set(keyHash, { value, expires: now() + options.cacheMs });
    return value;
  };
}
