/**
 * DynamoDB's GetItem, PutItem and UpdateItem for the ingest path (store/item-calls.ts), over the
 * JSON protocol, with values marshalled as the SDK's document client does it with
 * `removeUndefinedValues` (numbers come back as numbers, sets as Sets).
 */
import type { Item, ItemCalls } from '../../store/item-calls.js';
import { type JsonCall, createJsonService, serviceEnvironment } from './json-protocol.js';

type AttributeValue = Record<string, unknown>;

export function toAttribute(value: unknown): AttributeValue | undefined {
  if (value === undefined) return undefined;
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error(`DynamoDB numbers are finite; got ${value}`);
    return { N: String(value) };
  }
  if (value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { L: value.flatMap((v) => toAttribute(v) ?? []) };
  if (value instanceof Set) {
    const members = [...value];
    if (members.length === 0) throw new Error('DynamoDB has no empty sets');
    if (members.every((m) => typeof m === 'string')) return { SS: members };
    if (members.every((m) => typeof m === 'number')) return { NS: members.map(String) };
    throw new Error('A set holds only strings or only numbers here');
  }
  if (typeof value === 'object') return { M: toAttributes(value as Item) };
  throw new Error(`Cannot store a ${typeof value} in DynamoDB`);
}

export function toAttributes(item: Item): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) {
    const attribute = toAttribute(value);
    if (attribute) out[name] = attribute;
  }
  return out;
}

export function fromAttribute(attribute: AttributeValue): unknown {
  const [type, value] = Object.entries(attribute)[0] ?? [];
  switch (type) {
    case 'S':
      return value;
    case 'N':
      return Number(value);
    case 'BOOL':
      return value;
    case 'NULL':
      return null;
    case 'B':
      return new Uint8Array(Buffer.from(value as string, 'base64'));
    case 'L':
      return (value as AttributeValue[]).map(fromAttribute);
    case 'M':
      return fromAttributes(value as Record<string, AttributeValue>);
    case 'SS':
      return new Set(value as string[]);
    case 'NS':
      return new Set((value as string[]).map(Number));
    case 'BS':
      return new Set((value as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64'))));
    default:
      throw new Error(`Unknown DynamoDB attribute type ${type}`);
  }
}

export function fromAttributes(attributes: Record<string, AttributeValue>): Item {
  const out: Item = {};
  for (const [name, attribute] of Object.entries(attributes)) out[name] = fromAttribute(attribute);
  return out;
}

/** ExpressionAttributeValues and the rest, marshalled. */
function withExpressions<T extends { ExpressionAttributeValues?: Item }>(input: T) {
  const { ExpressionAttributeValues, ...rest } = input;
  return ExpressionAttributeValues
    ? { ...rest, ExpressionAttributeValues: toAttributes(ExpressionAttributeValues) }
    : rest;
}

export function dynamoItemCalls(call: JsonCall): ItemCalls {
  return {
    async getItem({ Key, ...rest }) {
      const output = await call('GetItem', { ...rest, Key: toAttributes(Key) });
      return output.Item ? { Item: fromAttributes(output.Item as Record<string, AttributeValue>) } : {};
    },
    async putItem({ Item, ...rest }) {
      await call('PutItem', { ...withExpressions(rest), Item: toAttributes(Item) });
    },
    async updateItem({ Key, ...rest }) {
      const output = await call('UpdateItem', { ...withExpressions(rest), Key: toAttributes(Key) });
      return output.Attributes
        ? { Attributes: fromAttributes(output.Attributes as Record<string, AttributeValue>) }
        : {};
    },
  };
}

/** DynamoDB where the environment says (AWS_ENDPOINT_URL_DYNAMODB locally, else the region's endpoint). */
export function createItemCalls(env: NodeJS.ProcessEnv = process.env): ItemCalls {
  return dynamoItemCalls(
    createJsonService({
      service: 'dynamodb',
      targetPrefix: 'DynamoDB_20120810',
      ...serviceEnvironment('DYNAMODB', 'dynamodb', env),
    }),
  );
}
