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
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type KeyKind, generateKey, hashKey, keyIdOf } from '../domain/keys.js';
import { keyCache } from '../settings.js';

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
  if (!org) throw new OrgNotFoundError(orgId);
  const key = generateKey(kind);
  await deps.doc.send(
    new TransactWriteCommand({ TransactItems: keyItems(deps.orgsTable, { orgId, kind, key, domains: org.domains, now: new Date().toISOString() }) }),
  );
  return { key, keyId: keyIdOf(hashKey(key)) };
}

/** Marks a key revoked; ingest and query refuse it once their short caches expire. */
export async function revokeKey(deps: OrgsDeps, orgId: string, keyId: string): Promise<void> {
  const { Item } = await deps.doc.send(new GetCommand({ TableName: deps.orgsTable, Key: { pk: orgPk(orgId), sk: `key#${keyId}` } }));
  if (!Item) throw new Error(`Org ${orgId} has no key ${keyId}; \`npm run org -- list\` shows each org's key ids.`);
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

export class OrgNotFoundError extends Error {
  override name = 'OrgNotFoundError';
  constructor(orgId: string) {
    super(`No org with id ${orgId}; \`npm run org -- list\` shows the orgs and their ids.`);
  }
}

/** The org's items: the org itself and its view of each key (with the hash that names the key's own item). */
async function orgItems(deps: OrgsDeps, orgId: string): Promise<{ org: Record<string, unknown>; keyHashes: string[] }> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.doc.send(
      new QueryCommand({ TableName: deps.orgsTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': orgPk(orgId) }, ExclusiveStartKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const org = items.find((i) => i.sk === 'org');
  if (!org) throw new OrgNotFoundError(orgId);
  return { org, keyHashes: items.filter((i) => i.sk !== 'org').map((i) => i.keyHash as string) };
}

/** Transactions hold at most 100 actions: an org with very many keys is written in steps. */
async function transactInChunks(deps: OrgsDeps, actions: object[]): Promise<void> {
  for (let i = 0; i < actions.length; i += 100) {
    await deps.doc.send(new TransactWriteCommand({ TransactItems: actions.slice(i, i + 100) as never }));
  }
}

export async function renameOrg(deps: OrgsDeps, orgId: string, name: string): Promise<void> {
  if (!name.trim()) throw new Error('The new name is empty; give one with --name "My site".');
  await orgItems(deps, orgId);
  await deps.doc.send(
    new TransactWriteCommand({
      TransactItems: [{ Update: { TableName: deps.orgsTable, Key: { pk: orgPk(orgId), sk: 'org' }, UpdateExpression: 'SET #name = :name', ExpressionAttributeNames: { '#name': 'name' }, ExpressionAttributeValues: { ':name': name.trim() }, ConditionExpression: 'attribute_exists(pk)' } }],
    }),
  );
}

/**
 * Adds and removes allowed domains. The domains are copied onto every key item too (ingest
 * reads only the key), so those change with the org; they apply once the key cache expires.
 */
export async function updateOrgDomains(deps: OrgsDeps, orgId: string, change: { add?: string[]; remove?: string[] }): Promise<string[]> {
  const { org, keyHashes } = await orgItems(deps, orgId);
  const current = (org.domains as string[] | undefined) ?? [];
  const remove = new Set((change.remove ?? []).map(normalizeDomain));
  const missing = [...remove].filter((d) => !current.includes(d));
  if (missing.length > 0) throw new Error(`Org ${orgId} has no domain ${missing.join(', ')}; its domains: ${current.join(', ') || 'none (any host)'}.`);
  const domains = [...new Set([...current.filter((d) => !remove.has(d)), ...(change.add ?? []).map(normalizeDomain)])];
  const set = (Key: Record<string, string>) => ({ Update: { TableName: deps.orgsTable, Key, UpdateExpression: 'SET domains = :domains', ExpressionAttributeValues: { ':domains': domains } } });
  await transactInChunks(deps, [set({ pk: orgPk(orgId), sk: 'org' }), ...keyHashes.map((hash) => set({ pk: keyPk(hash), sk: 'key' }))]);
  return domains;
}

/** Deletes an org and all its keys (they stop working once the key cache expires). Its counts are left in place. */
export async function deleteOrg(deps: OrgsDeps, orgId: string): Promise<{ keysDeleted: number }> {
  const { keyHashes } = await orgItems(deps, orgId);
  const del = (Key: Record<string, string>) => ({ Delete: { TableName: deps.orgsTable, Key } });
  const keyItems = keyHashes.flatMap((hash) => [del({ pk: keyPk(hash), sk: 'key' }), del({ pk: orgPk(orgId), sk: `key#${keyIdOf(hash)}` })]);
  // The org item goes last: if a step fails, the org is still there to delete again.
  await transactInChunks(deps, [...keyItems, del({ pk: orgPk(orgId), sk: 'org' })]);
  return { keysDeleted: keyHashes.length };
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
    if (cache.size > keyCache.maxEntries) cache.clear(); // bound memory under a flood of random keys
    cache.set(keyHash, { value, expires: now() + options.cacheMs });
    return value;
  };
}
