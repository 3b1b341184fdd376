/**
 * Each org's accepted views of a day, for its daily limit, kept in the Orgs table:
 *
 *   pk = usage#<orgId>#<YYYY-MM-DD>   sk = usage   accepted, expiresAt
 *
 * A warm ingest function does not write per view: it counts locally and adds its count to the
 * item every `flush.views` views or `flush.ms` after its last look, learning everyone's total
 * from the answer. So the cost is about one write per 100 views (or per minute of a quiet
 * instance), and an org can overshoot its limit by at most one batch per running instance.
 * Within one instance the limit is exact.
 */
import { ttlAttribute } from '../settings.js';
import type { ItemCalls } from './item-calls.js';

export interface DailyUsageDeps {
  items: ItemCalls;
  orgsTable: string;
  now(): number;
}

export interface DailyUsageOptions {
  flush: { views: number; ms: number };
  keptDays: number;
  /** Days remembered per warm function (every org's today); past it the memory is cleared. */
  maxEntries?: number;
}

/** The key of an org's usage of a day. */
export const usageKey = (orgId: string, day: string) => ({ pk: `usage#${orgId}#${day}`, sk: 'usage' });
/** Its partition keys as IAM's dynamodb:LeadingKeys pattern: only ingest reads and updates them. */
export const usageItemsPattern = 'usage#*';

interface DayUsage {
  /** Everyone's total as of this instance's last look (its own flushed views included). */
  known: number;
  /** Views this instance accepted since. */
  pending: number;
  lookedAt: number;
  looking?: Promise<void>;
}

/**
 * `tryAccept(orgId, day, limit)`: true when one more view fits in the org's limit of the day
 * (and counts it), false when the limit is reached.
 */
export function createDailyUsage(deps: DailyUsageDeps, options: DailyUsageOptions) {
  const days = new Map<string, DayUsage>();
  const maxEntries = options.maxEntries ?? 10_000;

  /** Adds this instance's pending views (or only reads, when there are none) and learns the total. */
  async function add(orgId: string, day: string, usage: DayUsage): Promise<void> {
    const Key = usageKey(orgId, day);
    // Views accepted while the request is out stay pending for the next look.
    const adding = usage.pending;
    if (adding === 0) {
      const { Item } = await deps.items.getItem({ TableName: deps.orgsTable, Key, ConsistentRead: true });
      usage.known = Number(Item?.accepted ?? 0);
    } else {
      const expiresAt = Math.floor(Date.parse(day) / 1000) + options.keptDays * 86_400;
      const { Attributes } = await deps.items.updateItem({
        TableName: deps.orgsTable,
        Key,
        UpdateExpression: 'ADD accepted :n SET #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#ttl': ttlAttribute },
        ExpressionAttributeValues: { ':n': adding, ':ttl': expiresAt },
        ReturnValues: 'UPDATED_NEW',
      });
      usage.known = Number(Attributes?.accepted);
      usage.pending -= adding;
    }
    usage.lookedAt = deps.now();
  }

  /** One look at a time per org-day (the local API serves requests concurrently; Lambda does not). */
  function look(orgId: string, day: string, usage: DayUsage): Promise<void> {
    usage.looking ??= add(orgId, day, usage).finally(() => {
      usage.looking = undefined;
    });
    return usage.looking;
  }

  return async function tryAccept(orgId: string, day: string, limit: number): Promise<boolean> {
    const id = `${orgId}#${day}`;
    let usage = days.get(id);
    if (!usage) {
      if (days.size >= maxEntries) days.clear();
      usage = { known: 0, pending: 0, lookedAt: Number.NEGATIVE_INFINITY };
      days.set(id, usage);
    }
    const stale = deps.now() - usage.lookedAt >= options.flush.ms;
    // At the limit with views of its own not yet added: add them and learn the total before
    // refusing. Refusals after that cost nothing until the next look, a minute later.
    if (stale || (usage.pending > 0 && usage.known + usage.pending >= limit)) await look(orgId, day, usage);
    if (usage.known + usage.pending >= limit) return false;
    usage.pending += 1;
    if (usage.pending >= options.flush.views) await look(orgId, day, usage);
    return true;
  };
}
