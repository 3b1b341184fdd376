/**
 * An org's named saved things (segments, funnels), in the Orgs table under their own partition:
 *
 *   pk = saved#<orgId>   sk = <kind>#<name>   name, items (the kind's list), updatedAt
 *
 * One partition per org, so listing a kind is one Query on `begins_with(sk, <kind>#)`, and the
 * query function's IAM grant can name these items alone (`savedItemsPattern`). The store keeps
 * whatever list it is given: the caller validates it (the segments route with filters.ts).
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { hasControlCharacter } from '../domain/text.js';
import { BadRequestError, ConflictError } from '../http/errors.js';

export interface SavedDeps {
  doc: DynamoDBDocumentClient;
  orgsTable: string;
  now(): number;
}

export const savedKinds = ['segment', 'funnel'] as const;
export type SavedKind = (typeof savedKinds)[number];

/** One saved thing: its name and its list (filters of a segment, steps of a funnel). */
export interface SavedItem<T = unknown> {
  name: string;
  items: T[];
  updatedAt: string;
}

export const savedLimits = {
  /** Characters (code points) of a name. */
  nameLength: 64,
  /** Saved things of one kind per org: a picker of more is not read, and a listing stays one page. */
  perOrg: 100,
} as const;

const savedPk = (orgId: string) => `saved#${orgId}`;
const savedSk = (kind: SavedKind, name: string) => `${kind}#${name}`;
/** The partition keys of saved items, as IAM's dynamodb:LeadingKeys pattern: only the query function uses them. */
export const savedItemsPattern = 'saved#*';

/** The name as stored (trimmed), or a 400 that says what a name may be. */
export function savedName(kind: SavedKind, name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  const length = [...trimmed].length;
  if (length < 1 || length > savedLimits.nameLength || hasControlCharacter(trimmed)) {
    throw new BadRequestError(
      `a ${kind}'s name must be text of 1 to ${savedLimits.nameLength} characters without control characters`,
    );
  }
  return trimmed;
}

/** The org's saved things of a kind, by name (the order DynamoDB keeps: code points). */
export async function listSaved<T = unknown>(
  deps: SavedDeps,
  orgId: string,
  kind: SavedKind,
): Promise<SavedItem<T>[]> {
  const found: SavedItem<T>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.doc.send(
      new QueryCommand({
        TableName: deps.orgsTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :kind)',
        ExpressionAttributeValues: { ':pk': savedPk(orgId), ':kind': `${kind}#` },
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      found.push({
        name: item.name as string,
        items: item.items as T[],
        updatedAt: item.updatedAt as string,
      });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return found;
}

/**
 * Creates the named thing or replaces the one of that name. A new name past the cap is a 409;
 * replacing is always allowed. The count is read first, so two creations racing at the cap can
 * both pass: the cap bounds a picker, it is not a bill.
 */
export async function putSaved<T>(
  deps: SavedDeps,
  orgId: string,
  kind: SavedKind,
  saved: { name: string; items: T[] },
): Promise<SavedItem<T>> {
  const name = savedName(kind, saved.name);
  const existing = await listSaved(deps, orgId, kind);
  if (existing.length >= savedLimits.perOrg && !existing.some((item) => item.name === name)) {
    throw new ConflictError(
      `an org keeps at most ${savedLimits.perOrg} ${kind}s: delete one (DELETE with its name) or replace one by saving under its name`,
    );
  }
  const item: SavedItem<T> = { name, items: saved.items, updatedAt: new Date(deps.now()).toISOString() };
  await deps.doc.send(
    new PutCommand({
      TableName: deps.orgsTable,
      Item: { pk: savedPk(orgId), sk: savedSk(kind, name), ...item },
    }),
  );
  return item;
}

/** Deletes the named thing; false when there was none of that name. */
export async function deleteSaved(
  deps: SavedDeps,
  orgId: string,
  kind: SavedKind,
  name: string,
): Promise<boolean> {
  const { Attributes } = await deps.doc.send(
    new DeleteCommand({
      TableName: deps.orgsTable,
      Key: { pk: savedPk(orgId), sk: savedSk(kind, savedName(kind, name)) },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return Attributes !== undefined;
}
