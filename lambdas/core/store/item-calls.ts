/**
 * The single-item DynamoDB calls of the ingest path, in the document client's shapes (plain
 * values, not attribute values). Ingest's store modules (orgs' key resolver, salts, daily usage)
 * take this instead of the SDK's client, so the ingest function can make these calls with its own
 * small client (runtime/aws-lite/dynamodb.ts) and not load the SDK (issue 25); everything else
 * passes the SDK's document client through `documentItemCalls` (runtime/aws.ts).
 */
export type Item = Record<string, unknown>;

interface Expressions {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

export interface GetItemInput {
  TableName: string;
  Key: Item;
  ConsistentRead?: boolean;
}

export interface PutItemInput extends Expressions {
  TableName: string;
  Item: Item;
}

export interface UpdateItemInput extends Expressions {
  TableName: string;
  Key: Item;
  UpdateExpression: string;
  ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
}

/** Named after DynamoDB's actions (and IAM's): a failed condition throws an error named ConditionalCheckFailedException. */
export interface ItemCalls {
  getItem(input: GetItemInput): Promise<{ Item?: Item }>;
  putItem(input: PutItemInput): Promise<void>;
  updateItem(input: UpdateItemInput): Promise<{ Attributes?: Item }>;
}
