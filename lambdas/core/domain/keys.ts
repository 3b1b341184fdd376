/**
 * API keys. A key is 32 random bytes, shown once and stored only as its SHA-256 hash. The prefix
 * tells a person (and a secret scanner) what kind of key it is: a site key is public and can
 * only write visits; a read key is secret and can only read its own org's counts; a share key
 * reads like a read key but is meant to be handed out in a dashboard link, so it is made and
 * revoked on its own (`npm run org -- share`, `revoke-key`) without touching the owner's read key.
 */
import { createHash, randomBytes } from 'node:crypto';

export type KeyKind = 'site' | 'read' | 'share';
const prefixes: Record<KeyKind, string> = { site: 'pvs_', read: 'pvr_', share: 'pvh_' };

/** The kinds that may read an org's counts (and never write). */
export const readingKinds: readonly KeyKind[] = ['read', 'share'];

export function generateKey(kind: KeyKind): string {
  return prefixes[kind] + randomBytes(32).toString('base64url');
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A short, non-secret name for a key, derived from its hash: what `org list` shows and `revoke-key` takes. */
export function keyIdOf(keyHash: string): string {
  return keyHash.slice(0, 12);
}

/** The kind a key claims by its prefix, to give a precise error before any lookup. */
export function kindOfKey(key: string): KeyKind | undefined {
  if (key.startsWith(prefixes.site)) return 'site';
  if (key.startsWith(prefixes.read)) return 'read';
  if (key.startsWith(prefixes.share)) return 'share';
  return undefined;
}
