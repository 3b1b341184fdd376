/**
 * Cookieless visitor identity, the way Plausible does it: the visitor id is a hash of a secret
 * salt that changes every UTC day, the org, the client IP and the user agent. The same browser
 * keeps one id for a day on one site and cannot be followed across days or sites; neither the
 * IP nor the user agent is stored. Old salts expire (TTL), after which no id can be recomputed.
 * https://plausible.io/data-policy#how-we-count-unique-users-without-cookies
 */
import { createHash, randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ttlAttribute } from './settings.js';

export function visitorIdFrom(parts: { salt: string; orgId: string; ip: string; userAgent: string }): string {
  return createHash('sha256').update(`${parts.salt}\n${parts.orgId}\n${parts.ip}\n${parts.userAgent}`).digest('base64url').slice(0, 22);
}

/** A site that knows its signed-in user may pass its own identifier; it is hashed per org too. */
export function visitorIdFromIdentifier(orgId: string, identifier: string): string {
  return 'u' + createHash('sha256').update(`${orgId}\n${identifier}`).digest('base64url').slice(0, 21);
}

/**
 * The salt of each UTC day, made by whichever function needs it first (a conditional put, so
 * concurrent cold starts agree on one) and cached for the rest of the day.
 */
export function createDailySalts(deps: { doc: DynamoDBDocumentClient; orgsTable: string }) {
  const cache = new Map<string, string>();
  return async function saltFor(time: number): Promise<string> {
    const day = new Date(time).toISOString().slice(0, 10);
    const cached = cache.get(day);
    if (cached) return cached;
    const key = { pk: `salt#${day}`, sk: 'salt' };
    const existing = await deps.doc.send(new GetCommand({ TableName: deps.orgsTable, Key: key, ConsistentRead: true }));
    let salt = existing.Item?.value as string | undefined;
    if (!salt) {
      const fresh = randomBytes(32).toString('base64url');
      // Kept two days, so that late beacons of yesterday still hash with yesterday's salt.
      const expiresAt = Math.floor(Date.parse(day) / 1000) + 2 * 86_400;
      try {
        await deps.doc.send(new PutCommand({ TableName: deps.orgsTable, Item: { ...key, value: fresh, [ttlAttribute]: expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' }));
        salt = fresh;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        const winner = await deps.doc.send(new GetCommand({ TableName: deps.orgsTable, Key: key, ConsistentRead: true }));
        salt = winner.Item?.value as string;
      }
    }
    if (cache.size > 3) cache.clear();
    cache.set(day, salt);
    return salt;
  };
}
