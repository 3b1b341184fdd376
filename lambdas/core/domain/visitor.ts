/**
 * Cookieless visitor identity, the way Plausible does it: the visitor id is a hash of a secret
 * salt that changes every UTC day, the org, the client IP and the user agent. The same browser
 * keeps one id for a day on one site and cannot be followed across days or sites; neither the
 * IP nor the user agent is stored. Old salts expire (TTL, store/salts.ts), after which no id can be
 * recomputed.
 * https://plausible.io/data-policy#how-we-count-unique-users-without-cookies
 */
import { createHash } from 'node:crypto';

export function visitorIdFrom(parts: { salt: string; orgId: string; ip: string; userAgent: string }): string {
  return createHash('sha256')
    .update(`${parts.salt}\n${parts.orgId}\n${parts.ip}\n${parts.userAgent}`)
    .digest('base64url')
    .slice(0, 22);
}

/** A site that knows its signed-in user may pass its own identifier; it is hashed per org too. */
export function visitorIdFromIdentifier(orgId: string, identifier: string): string {
  return `u${createHash('sha256').update(`${orgId}\n${identifier}`).digest('base64url').slice(0, 21)}`;
}
