/**
 * Orgs and their keys, in the Orgs table:
 *
 *   pk = org#<orgId>      sk = org           the org: name, allowed domains, time zone
 *   pk = org#<orgId>      sk = key#<keyId>   the org's view of one key (for listing and revoking)
 *   pk = key#<sha256>     sk = key           what a request's key resolves to, with copies of
 *                                            the org's domains and zone (one read per request)
 *
 * Keys are stored only as hashes; the plain key is returned once, when it is made.
 */
import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type KeyKind, generateKey, hashKey, keyIdOf } from '../domain/keys.js';
import { type CopiedToKeys, copiedOf, keyPk } from './key-resolver.js';
import { canonicalTimeZone, utc } from '../domain/zones.js';
import { orgRetention } from '../settings.js';

export interface OrgsDeps {
  doc: DynamoDBDocumentClient;
  orgsTable: string;
}

export interface Org extends CopiedToKeys {
  orgId: string;
  name: string;
  /** Months of history kept (older days are removed by the archiver); absent: kept forever. */
  retentionMonths?: number;
}

export interface KeySummary {
  keyId: string;
  kind: KeyKind;
  createdAt: string;
  revokedAt?: string;
}

const orgPk = (orgId: string) => `org#${orgId}`;

/** Lower-cases and strips a scheme, port or path, so `https://Example.com/` becomes `example.com`. */
function normalizeDomain(domain: string): string {
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
        {
          Put: {
            TableName: deps.orgsTable,
            Item: { pk: orgPk(orgId), sk: 'org', name: input.name, domains, timezone: utc, createdAt: now },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        // The org's first two keys: the site key its pages send, and the read key of its dashboard.
        ...[
          { kind: 'site' as const, key: siteKey },
          { kind: 'read' as const, key: readKey },
        ].flatMap(({ kind, key }) =>
          keyItems(deps.orgsTable, { orgId, kind, key, copied: { domains, timezone: utc }, now }),
        ),
      ],
    }),
  );
  return { orgId, siteKey, readKey };
}

/** What is stored: an org that never set a daily limit stores none and gets the default, whatever it is then. */
type StoredCopies = Pick<Org, 'domains' | 'timezone'> & { dailyLimit?: number };

function keyItems(
  table: string,
  k: { orgId: string; kind: KeyKind; key: string; copied: StoredCopies; now: string },
) {
  const keyHash = hashKey(k.key);
  return [
    {
      Put: {
        TableName: table,
        Item: { pk: keyPk(keyHash), sk: 'key', orgId: k.orgId, kind: k.kind, ...k.copied, createdAt: k.now },
      },
    },
    {
      Put: {
        TableName: table,
        Item: { pk: orgPk(k.orgId), sk: `key#${keyIdOf(keyHash)}`, keyHash, kind: k.kind, createdAt: k.now },
      },
    },
  ];
}

export async function getOrg(deps: OrgsDeps, orgId: string): Promise<Org | undefined> {
  const { Item } = await deps.doc.send(
    new GetCommand({ TableName: deps.orgsTable, Key: { pk: orgPk(orgId), sk: 'org' } }),
  );
  return Item ? orgOf(orgId, Item) : undefined;
}

function orgOf(orgId: string, item: Record<string, unknown>): Org {
  return {
    orgId,
    name: item.name as string,
    ...copiedOf(item),
    ...(item.retentionMonths !== undefined ? { retentionMonths: item.retentionMonths as number } : {}),
  };
}

/** Adds another key of the given kind to an org and returns it (shown once). */
export async function addKey(
  deps: OrgsDeps,
  orgId: string,
  kind: KeyKind,
): Promise<{ key: string; keyId: string }> {
  const { org } = await orgItems(deps, orgId);
  const key = generateKey(kind);
  await deps.doc.send(
    new TransactWriteCommand({
      TransactItems: keyItems(deps.orgsTable, {
        orgId,
        kind,
        key,
        copied: storedCopiesOf(org),
        now: new Date().toISOString(),
      }),
    }),
  );
  return { key, keyId: keyIdOf(hashKey(key)) };
}

/** Marks a key revoked; ingest and query refuse it once their short caches expire. */
export async function revokeKey(deps: OrgsDeps, orgId: string, keyId: string): Promise<void> {
  const { Item } = await deps.doc.send(
    new GetCommand({ TableName: deps.orgsTable, Key: { pk: orgPk(orgId), sk: `key#${keyId}` } }),
  );
  if (!Item)
    throw new Error(`Org ${orgId} has no key ${keyId}; \`npm run org -- list\` shows each org's key ids.`);
  const now = new Date().toISOString();
  await deps.doc.send(
    new TransactWriteCommand({
      // The org's view of the key and the item requests resolve it through.
      TransactItems: [
        { pk: orgPk(orgId), sk: `key#${keyId}` },
        { pk: keyPk(Item.keyHash as string), sk: 'key' },
      ].map((Key) => ({
        Update: {
          TableName: deps.orgsTable,
          Key,
          UpdateExpression: 'SET revokedAt = :now',
          ExpressionAttributeValues: { ':now': now },
        },
      })),
    }),
  );
}

class OrgNotFoundError extends Error {
  override name = 'OrgNotFoundError';
  constructor(orgId: string) {
    super(`No org with id ${orgId}; \`npm run org -- list\` shows the orgs and their ids.`);
  }
}

/** The org's items: the org itself and its view of each key (with the hash that names the key's own item). */
async function orgItems(
  deps: OrgsDeps,
  orgId: string,
): Promise<{ org: Record<string, unknown>; keyHashes: string[] }> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.doc.send(
      new QueryCommand({
        TableName: deps.orgsTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': orgPk(orgId) },
        ExclusiveStartKey,
        ConsistentRead: true,
      }),
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
      TransactItems: [
        {
          Update: {
            TableName: deps.orgsTable,
            Key: { pk: orgPk(orgId), sk: 'org' },
            UpdateExpression: 'SET #name = :name',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: { ':name': name.trim() },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ],
    }),
  );
}

/**
 * Adds and removes allowed domains. The domains are copied onto every key item too (ingest
 * reads only the key), so those change with the org; they apply once the key cache expires.
 */
export async function updateOrgDomains(
  deps: OrgsDeps,
  orgId: string,
  change: { add?: string[]; remove?: string[] },
): Promise<string[]> {
  const { org, keyHashes } = await orgItems(deps, orgId);
  const current = (org.domains as string[] | undefined) ?? [];
  const remove = new Set((change.remove ?? []).map(normalizeDomain));
  const missing = [...remove].filter((d) => !current.includes(d));
  if (missing.length > 0)
    throw new Error(
      `Org ${orgId} has no domain ${missing.join(', ')}; its domains: ${current.join(', ') || 'none (any host)'}.`,
    );
  const domains = [
    ...new Set([...current.filter((d) => !remove.has(d)), ...(change.add ?? []).map(normalizeDomain)]),
  ];
  await setOnOrgAndKeys(deps, orgId, keyHashes, { domains });
  return domains;
}

/**
 * Sets the org's time zone (an IANA name, checked): from then on its days and months are cut
 * at local midnight, once the key cache renews. Views counted before keep the days they were
 * counted in.
 */
export async function setOrgTimezone(deps: OrgsDeps, orgId: string, timezone: string): Promise<string> {
  const zone = canonicalTimeZone(timezone);
  if (!zone)
    throw new Error(
      `"${timezone}" is not an IANA time zone name; use one such as Europe/Berlin, America/New_York, Asia/Kolkata or UTC.`,
    );
  const { keyHashes } = await orgItems(deps, orgId);
  await setOnOrgAndKeys(deps, orgId, keyHashes, { timezone: zone });
  return zone;
}

/** The copied settings as the org item stores them (a daily limit only when one was set). */
function storedCopiesOf(org: Record<string, unknown>): StoredCopies {
  const { domains, timezone } = copiedOf(org);
  return {
    domains,
    timezone,
    ...(org.dailyLimit !== undefined ? { dailyLimit: org.dailyLimit as number } : {}),
  };
}

/** The most a daily limit may be: DynamoDB numbers are exact far beyond, but a typo should not pass. */
export const maxDailyLimit = 1_000_000_000;

/**
 * Sets the org's daily limit of accepted views (a whole number from 1 to 1,000,000,000); it
 * applies once the key cache renews. The views of today already accepted count toward it.
 */
export async function setOrgDailyLimit(deps: OrgsDeps, orgId: string, limit: number): Promise<number> {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxDailyLimit)
    throw new Error(
      `The daily limit must be a whole number of views from 1 to ${maxDailyLimit.toLocaleString('en-US')}; got ${limit}.`,
    );
  const { keyHashes } = await orgItems(deps, orgId);
  await setOnOrgAndKeys(deps, orgId, keyHashes, { dailyLimit: limit });
  return limit;
}

/**
 * Sets how many months of the org's history are kept (a whole number from orgRetention.minMonths
 * to maxMonths), or with `undefined` keeps it forever again. Only the org item holds it: the
 * archiver reads it, ingest and the query do not need it.
 */
export async function setOrgRetention(
  deps: OrgsDeps,
  orgId: string,
  months: number | undefined,
): Promise<number | undefined> {
  const { minMonths, maxMonths } = orgRetention;
  if (months !== undefined && (!Number.isInteger(months) || months < minMonths || months > maxMonths))
    throw new Error(
      `The retention must be a whole number of months from ${minMonths} to ${maxMonths}, or keep; got ${months}.`,
    );
  await orgItems(deps, orgId);
  await deps.doc.send(
    new UpdateCommand({
      TableName: deps.orgsTable,
      Key: { pk: orgPk(orgId), sk: 'org' },
      ...(months === undefined
        ? { UpdateExpression: 'REMOVE retentionMonths' }
        : {
            UpdateExpression: 'SET retentionMonths = :months',
            ExpressionAttributeValues: { ':months': months },
          }),
      ConditionExpression: 'attribute_exists(pk)',
    }),
  );
  return months;
}

/** Sets attributes on the org and on every key item, which carry copies of them. */
async function setOnOrgAndKeys(
  deps: OrgsDeps,
  orgId: string,
  keyHashes: string[],
  values: Partial<CopiedToKeys>,
): Promise<void> {
  const names = Object.keys(values);
  const UpdateExpression = `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`;
  const ExpressionAttributeNames = Object.fromEntries(names.map((name) => [`#${name}`, name]));
  const ExpressionAttributeValues = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [`:${name}`, value]),
  );
  const set = (Key: Record<string, string>) => ({
    Update: {
      TableName: deps.orgsTable,
      Key,
      UpdateExpression,
      ExpressionAttributeNames,
      ExpressionAttributeValues,
    },
  });
  await transactInChunks(deps, [
    set({ pk: orgPk(orgId), sk: 'org' }),
    ...keyHashes.map((hash) => set({ pk: keyPk(hash), sk: 'key' })),
  ]);
}

/** Deletes an org and all its keys (they stop working once the key cache expires). Its counts are left in place. */
export async function deleteOrg(deps: OrgsDeps, orgId: string): Promise<{ keysDeleted: number }> {
  const { keyHashes } = await orgItems(deps, orgId);
  const del = (Key: Record<string, string>) => ({ Delete: { TableName: deps.orgsTable, Key } });
  const keyItems = keyHashes.flatMap((hash) => [
    del({ pk: keyPk(hash), sk: 'key' }),
    del({ pk: orgPk(orgId), sk: `key#${keyIdOf(hash)}` }),
  ]);
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
      if (item.sk === 'org') orgs.set(orgId, { ...orgOf(orgId, item), keys: [] });
      else
        keys.push({
          orgId,
          key: {
            keyId: (item.sk as string).slice(4),
            kind: item.kind,
            createdAt: item.createdAt,
            ...(item.revokedAt ? { revokedAt: item.revokedAt } : {}),
          },
        });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  for (const { orgId, key } of keys) orgs.get(orgId)?.keys.push(key);
  return [...orgs.values()];
}
