/**
 * Deleting items by key, for retention (lambdas/archive/retention.ts): which keys a partition
 * holds in a sort-key range, and deleting them 25 to a request. The key formats stay in the
 * modules that own them (counters.ts, visitor-days.ts); these take keys already made.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

export interface ItemKey {
  pk: string;
  sk: string;
}

/** A partition's keys, or those whose sort key is from `fromSk` to `toSk` (inclusive); at most `limit`. */
export async function queryKeys(
  doc: DynamoDBDocumentClient,
  table: string,
  range: { pk: string; fromSk?: string; toSk?: string },
  limit = Number.POSITIVE_INFINITY,
): Promise<ItemKey[]> {
  const keys: ItemKey[] = [];
  const between = range.fromSk !== undefined && range.toSk !== undefined;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: between ? 'pk = :pk AND sk BETWEEN :from AND :to' : 'pk = :pk',
        ExpressionAttributeValues: {
          ':pk': range.pk,
          ...(between ? { ':from': range.fromSk, ':to': range.toSk } : {}),
        },
        ProjectionExpression: 'pk, sk',
        ...(Number.isFinite(limit) ? { Limit: limit - keys.length } : {}),
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) keys.push({ pk: item.pk as string, sk: item.sk as string });
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && keys.length < limit);
  return keys;
}

const batchSize = 25; // BatchWriteItem's limit
const maxAttempts = 8;

/** Deletes the items (an absent one is no error), retrying what DynamoDB leaves unprocessed. */
export async function deleteKeys(
  doc: DynamoDBDocumentClient,
  table: string,
  keys: readonly ItemKey[],
): Promise<void> {
  for (let i = 0; i < keys.length; i += batchSize) {
    let requests = keys.slice(i, i + batchSize).map((Key) => ({ DeleteRequest: { Key: { ...Key } } }));
    for (let attempt = 1; requests.length > 0; attempt++) {
      if (attempt > maxAttempts)
        throw new Error(`${requests.length} deletion(s) left unprocessed after ${maxAttempts} attempts`);
      const { UnprocessedItems } = await doc.send(
        new BatchWriteCommand({ RequestItems: { [table]: requests } }),
      );
      requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
      // Throttled: back off before the rest (50 ms, 100 ms, ... up to 3 s).
      if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(3000, 50 * 2 ** attempt)));
    }
  }
}
