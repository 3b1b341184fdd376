/**
 * Daily salts for cookieless visitor ids (domain/visitor.ts), kept in the Orgs table:
 *
 *   pk = salt#<YYYY-MM-DD>   sk = salt   value, expiresAt (settings.salts.keptDays after the date's UTC midnight)
 */
import { randomBytes } from 'node:crypto';
import { salts as saltSettings, ttlAttribute } from '../settings.js';
import type { ItemCalls } from './item-calls.js';

/** The partition keys of salt items, as IAM's dynamodb:LeadingKeys pattern: only ingest reads and makes them. */
export const saltItemsPattern = 'salt#*';

/**
 * The salt of each date, made by whichever function needs it first (a conditional put, so
 * concurrent cold starts agree on one) and cached for the rest of the day. A site hashes its
 * visitors with the salt of its own local date.
 */
export function createDailySalts(deps: { items: ItemCalls; orgsTable: string }) {
  const cache = new Map<string, string>();
  return async function saltFor(day: string): Promise<string> {
    const cached = cache.get(day);
    if (cached) return cached;
    const key = { pk: `salt#${day}`, sk: 'salt' };
    const existing = await deps.items.getItem({ TableName: deps.orgsTable, Key: key, ConsistentRead: true });
    let salt = existing.Item?.value as string | undefined;
    if (!salt) {
      const fresh = randomBytes(32).toString('base64url');
      const expiresAt = Math.floor(Date.parse(day) / 1000) + saltSettings.keptDays * 86_400;
      try {
        await deps.items.putItem({
          TableName: deps.orgsTable,
          Item: { ...key, value: fresh, [ttlAttribute]: expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        });
        salt = fresh;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        const winner = await deps.items.getItem({
          TableName: deps.orgsTable,
          Key: key,
          ConsistentRead: true,
        });
        salt = winner.Item?.value as string;
      }
    }
    if (cache.size > 3) cache.clear();
    cache.set(day, salt);
    return salt;
  };
}
