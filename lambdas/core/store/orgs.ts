/**
 * Orgs and their keys, in the Orgs table:
 *
 *   pk = org#<orgId>      sk = org           the org: name, allowed domains
 *   pk = org#<orgId>      sk = key#<keyId>   the org's view of one key (for listing and revoking)
 *   pk = key#<sha256>     sk = key           what a request's key resolves to
 *
 * Keys are stored only as hashes; the plain key is returned once, when it is made.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type KeyKind, generateKey, hashKey, keyIdOf } from '../domain/keys.js';

export interface OrgsDeps {
  doc: DynamoDBDocumentClient;
  orgsTable: string;
}

export interface Org {
  orgId: string;
  name: string;
  /** Hosts whose pages may be counted; empty means any host. */
  domains: string[];
}

export interface ResolvedKey {
  orgId: string;
  kind: KeyKind;
  /** Allowed domains of the org, copied onto the key item so that ingest needs one read. */
  domains: string[];
  revoked: boolean;
}

export interface KeySummary {
  keyId: string;
  kind: KeyKind;
  createdAt: string;
  revokedAt?: string;
}

const orgPk = (orgId: string) => `org#${orgId}`;
const keyPk = (keyHash: string) => `key#${keyHash}`;

/** Lower-cases and strips a scheme, port or path, so `https://Example.com/` becomes `example.com`. */
export function normalizeDomain(domain: string): string {
  const trimmed = domain.trim().toLowerCase();
  const host = trimmed.includes('://') ? new URL(trimmed).hostname : trimmed.split('/')[0]!.split(':')[0]!;
  if (!/^[a-z0-9.-]+$/.test(host) || (!host.includes('.') && host !== 'localhost')) {
    throw new Error(`"${domain}" is not a host name (expected something like example.com)`);
  }
  return host;
}

export async function createOrg(
  deps: OrgsDeps,
  input: { name: string; domains?: string[] },
): Promise<{ orgId: string; siteKey: string; readKey: string }> {
  const orgId = randomUUID();
  const domains = (input.domains ?? []).map(normalizeDomain);
  const siteKey = generateKey('site');
  const readKey = generateKey('read');
  const now = new Date().toISOString();
  await deps.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: deps.orgsTable, Item: { pk: orgPk(orgId), sk: 'org', name: input.name, domains, createdAt: now }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ...keyItems(deps.orgsTable, { orgId, kind: 'site', key: siteKey, domains, now }),
        ...keyItems(deps.orgsTable, { orgId, kind: 'read', key: readKey, domains, now }),
      ],
    }),
  );
  return { orgId, siteKey, readKey };
}

function keyItems(table: string, k: { orgId: string; kind: KeyKind; key: string; domains: string[]; now: string }) {
  const keyHash = hashKey(k.key);
  return [
    { Put: { TableName: table, Item: { pk: keyPk(keyHash), sk: 'key', orgId: k.orgId, kind: k.kind, domains: k.domains, createdAt: k.now } } },
    { Put: { TableName: table, Item: { pk: orgPk(k.orgId), sk: `key#${keyIdOf(keyHash)}`, keyHash, kind: k.kind, createdAt: k.now } } },
  ];
}

export async function getOrg(deps: OrgsDeps, orgId: string): Promise<Org | undefined> {
  const { Item } = await deps.doc.send(new GetCommand({ TableName: deps.orgsTable, Key: { pk: orgPk(orgId), sk: 'org' } }));
  return Item ? { orgId, name: Item.name as string, domains: (Item.domains as string[]) ?? [] } : undefined;
}

/** Adds another key of the given kind to an org and returns it (shown once). */
export async function addKey(deps: OrgsDeps, orgId: string, kind: KeyKind): Promise<{ key: string; keyId: string }> {
  const org = await getOrg(deps, orgId);
  if (!org) throw new Error(`No org with id ${orgId}`);
  const key = generateKey(kind);
  await deps.doc.send(
    new TransactWriteCommand({ TransactItems: keyItems(deps.orgsTable, { orgId, kind, key, domains: org.domains, now: new Date().toISOString() }) }),
  );
  return { key, keyId: keyIdOf(hashKey(key)) };
}

/** Marks a key revoked; ingest and query refuse it once their short caches expire. */
export async function revokeKey(deps: OrgsDeps, orgId: string, keyId: string): Promise<void> {
  const { Item } = await deps.doc.send(new GetCommand({ TableName: deps.orgsTable, Key: { pk: orgPk(orgId), sk: `key#${keyId}` } }));
  if (!Item) throw new Error(`Org ${orgId} has no key ${keyId}`);
  const now = new Date().toISOString();
  await deps.doc.send(
    new TransactWriteCommand({
      TransactItems: [
        { Update: { TableName: deps.orgsTable, Key: { pk: orgPk(orgId), sk: `key#${keyId}` }, UpdateExpression: 'SET revokedAt = :now', ExpressionAttributeValues: { ':now': now } } },
        { Update: { TableName: deps.orgsTable, Key: { pk: keyPk(Item.keyHash as string), sk: 'key' }, UpdateExpression: 'SET revokedAt = :now', ExpressionAttributeValues: { ':now': now } } },
      ],
    }),
  );
}

/** Every org with its keys (never the keys themselves). The Orgs table is small: a scan is fine here. */
export async function listOrgs(deps: OrgsDeps): Promise<(Org & { keys: KeySummary[] })[]> {
  const orgs = new Map<string, Org & { keys: KeySummary[] }>();
  const keys: { orgId: string; key: KeySummary }[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.doc.send(new ScanCommand({ TableName: deps.orgsTable, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const pk = item.pk as string;
      if (!pk.startsWith('org#')) continue;
      const orgId = pk.slice(4);
      if (item.sk === 'org') orgs.set(orgId, { orgId, name: item.name, domains: item.domains ?? [], keys: [] });
      else keys.push({ orgId, key: { keyId: (item.sk as string).slice(4), kind: item.kind, createdAt: item.createdAt, ...(item.revokedAt ? { revokedAt: item.revokedAt } : {}) } });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  for (const { orgId, key } of keys) orgs.get(orgId)?.keys.push(key);
  return [...orgs.values()];
}

/**
 * Resolves a presented key to its org, through a short in-memory cache so a warm function
 * reads the Orgs table about once a minute per key, not once per visit. Unknown keys are cached
 * too, so a flood of bad keys cannot turn into a flood of reads.
 */
export function createKeyResolver(deps: OrgsDeps, options: { cacheMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: ResolvedKey | undefined; expires: number }>();
  return async function resolveKey(key: string): Promise<ResolvedKey | undefined> {
    const keyHash = hashKey(key);
    const hit = cache.get(keyHash);
    if (hit && hit.expires > now()) return hit.value;
    const { Item } = await deps.doc.send(new GetCommand({ TableName: deps.orgsTable, Key: { pk: keyPk(keyHash), sk: 'key' } }));
    const value: ResolvedKey | undefined = Item
      ? { orgId: Item.orgId as string, kind: Item.kind as KeyKind, domains: (Item.domains as string[]) ?? [], revoked: Boolean(Item.revokedAt) }
      : undefined;
    if (cache.size > 10_000) cache.clear(); // bound memory under a flood of random keys
    cache.set(keyHash, { value, expires: now() + options.cacheMs });
    return value;
  };
}
