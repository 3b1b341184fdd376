/**
 * Ingest's own DynamoDB and SQS client against DynamoDB Local and the SQS emulator over real
 * HTTP: values round-trip as the SDK's document client gives them, errors carry the names the
 * SDK gives them, throttling is retried with backoff and then surfaced, and a message sent is
 * the message the SDK receives. The signature itself is checked against AWS's vectors in
 * sigv4.test.ts (the emulators verify none).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../../../local/resources.js';
import { type FaultProxy, startFaultProxy } from '../../../../test/dynamo-fault-proxy.js';
import { createItemCalls, dynamoItemCalls } from './dynamodb.js';
import { AwsServiceError, createJsonService, serviceEnvironment } from './json-protocol.js';
import { createSendMessage } from './sqs.js';

const env = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
  AWS_ENDPOINT_URL_SQS: inject('sqsEndpoint'),
};
const sdkConfig = { region: env.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const dynamo = new DynamoDBClient({ ...sdkConfig, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB });
const doc = DynamoDBDocumentClient.from(dynamo);
const table = `t${randomUUID().slice(0, 8)}-lite`;
const items = createItemCalls(env);
let proxy: FaultProxy;

beforeAll(async () => {
  await ensureTable(dynamo, table);
  proxy = await startFaultProxy(env.AWS_ENDPOINT_URL_DYNAMODB);
});
afterAll(async () => {
  await proxy?.stop();
});

describe('DynamoDB items', () => {
  const item = {
    pk: 'lite#1',
    sk: 'item',
    text: 'é ✓ 😀',
    count: 42,
    fraction: 0.25,
    flag: true,
    nothing: null,
    list: ['a', 1, ['nested']],
    map: { a: 'b', n: -3 },
    tags: new Set(['x', 'y']),
  };

  it('puts an item the SDK reads back as it was, and gets what the SDK wrote', async () => {
    await items.putItem({ TableName: table, Item: { ...item, dropped: undefined } });
    const read = await doc.send(new GetCommand({ TableName: table, Key: { pk: 'lite#1', sk: 'item' } }));
    expect(read.Item).toEqual(item);
    await doc.send(new PutCommand({ TableName: table, Item: { ...item, pk: 'lite#2' } }));
    const got = await items.getItem({
      TableName: table,
      Key: { pk: 'lite#2', sk: 'item' },
      ConsistentRead: true,
    });
    expect(got.Item).toEqual({ ...item, pk: 'lite#2' });
  });

  it('answers no Item for a missing key', async () => {
    expect(await items.getItem({ TableName: table, Key: { pk: 'lite#none', sk: 'item' } })).toEqual({});
  });

  it('updates with expressions and returns the new values', async () => {
    const Key = { pk: 'lite#counter', sk: 'item' };
    const add = (n: number) =>
      items.updateItem({
        TableName: table,
        Key,
        UpdateExpression: 'ADD accepted :n SET #ttl = if_not_exists(#ttl, :ttl)',
        ExpressionAttributeNames: { '#ttl': 'expiresAt' },
        ExpressionAttributeValues: { ':n': n, ':ttl': 1_900_000_000 },
        ReturnValues: 'UPDATED_NEW',
      });
    expect((await add(3)).Attributes).toEqual({ accepted: 3, expiresAt: 1_900_000_000 });
    // DynamoDB returns every attribute the expression set, kept by if_not_exists or not.
    expect((await add(4)).Attributes).toEqual({ accepted: 7, expiresAt: 1_900_000_000 });
  });

  it('names a failed condition ConditionalCheckFailedException, as the SDK does', async () => {
    const put = () =>
      items.putItem({
        TableName: table,
        Item: { pk: 'lite#once', sk: 'item', value: 'first' },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    await put();
    const error = await put().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error).toMatchObject({
      name: 'ConditionalCheckFailedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
  });

  it('surfaces a missing table at once, with the service message', async () => {
    const error = await items
      .getItem({ TableName: 'no-such-table', Key: { pk: 'a', sk: 'b' } })
      .catch((e) => e);
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toMatch(/non-existent table|not found/i);
    expect(error.$metadata.attempts).toBe(1);
  });
});

describe('retries', () => {
  const delays: number[] = [];
  const throughProxy = (onSleep = () => {}) =>
    dynamoItemCalls(
      createJsonService({
        service: 'dynamodb',
        targetPrefix: 'DynamoDB_20120810',
        ...serviceEnvironment('DYNAMODB', 'dynamodb', { ...env, AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint }),
        random: () => 1,
        sleep: async (ms) => {
          delays.push(ms);
          onSleep();
        },
      }),
    );

  it('backs off from throttling three attempts long, then throws the throttling error', async () => {
    delays.length = 0;
    proxy.fail('GetItem', 'throttling');
    const before = proxy.failedCalls();
    const error = await throughProxy()
      .getItem({ TableName: table, Key: { pk: 'lite#1', sk: 'item' } })
      .catch((e) => e)
      .finally(() => proxy.clear());
    expect(proxy.failedCalls() - before).toBe(3);
    expect(error).toMatchObject({
      name: 'ThrottlingException',
      $metadata: { attempts: 3, totalRetryDelay: 3000 },
    });
    // Throttling backs off from 500 ms, doubling (full jitter: random() is 1 here).
    expect(delays).toEqual([1000, 2000]);
  });

  it('succeeds when the throttling stops before the attempts run out', async () => {
    delays.length = 0;
    // The throttling stops during the first back-off.
    const calls = throughProxy(() => proxy.clear());
    proxy.fail('GetItem', 'throttling');
    const before = proxy.failedCalls();
    const got = await calls.getItem({ TableName: table, Key: { pk: 'lite#1', sk: 'item' } });
    expect(got).toHaveProperty('Item.text', 'é ✓ 😀');
    expect(proxy.failedCalls() - before).toBe(1);
    expect(delays).toEqual([1000]);
  });

  it('stops retrying once the retry quota is spent, so a failing table is not hammered', async () => {
    const calls = throughProxy();
    proxy.fail('GetItem', 'throttling');
    const attempts: number[] = [];
    try {
      // 500 tokens at 5 a retry: 50 calls of 3 attempts spend them all; the next fails at once.
      for (let i = 0; i < 51; i++) {
        const error = await calls
          .getItem({ TableName: table, Key: { pk: 'lite#1', sk: 'item' } })
          .catch((e) => e);
        attempts.push(error.$metadata.attempts);
      }
    } finally {
      proxy.clear();
    }
    expect(attempts.slice(0, 50).every((n) => n === 3)).toBe(true);
    expect(attempts[50]).toBe(1);
    // A success gives a token back; with the table answering again, calls succeed.
    expect((await calls.getItem({ TableName: table, Key: { pk: 'lite#1', sk: 'item' } })).Item).toBeDefined();
  });

  it('retries a connection refused, then says so', async () => {
    delays.length = 0;
    const refused = dynamoItemCalls(
      createJsonService({
        service: 'dynamodb',
        targetPrefix: 'DynamoDB_20120810',
        ...serviceEnvironment('DYNAMODB', 'dynamodb', {
          ...env,
          AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
        }),
        random: () => 0.5,
        sleep: async (ms) => {
          delays.push(ms);
        },
      }),
    );
    const error = await refused.getItem({ TableName: table, Key: { pk: 'a', sk: 'b' } }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ECONNREFUSED', $metadata: { attempts: 3 } });
    expect(delays).toEqual([100, 200]);
  });
});

describe('SQS SendMessage', () => {
  it('sends a message the SDK receives byte for byte', async () => {
    const sqs = new SQSClient({
      ...sdkConfig,
      endpoint: env.AWS_ENDPOINT_URL_SQS,
      useQueueUrlAsEndpoint: false,
    });
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: `lite-${randomUUID().slice(0, 8)}` }),
    );
    const body = JSON.stringify({ page: '/caf\\u00e9', n: 1 });
    const { messageId } = await createSendMessage(env)(QueueUrl!, body);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(received.Messages?.map((m) => [m.MessageId, m.Body])).toEqual([[messageId, body]]);
  });

  it('names a missing queue as SQS does', async () => {
    const error = await createSendMessage(env)(
      `${env.AWS_ENDPOINT_URL_SQS}/000000000000/no-such-queue`,
      'x',
    ).catch((e) => e);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(error.name).toMatch(/QueueDoesNotExist|NonExistentQueue/);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('the environment', () => {
  it('defaults to the region endpoint and carries the session token Lambda sets', () => {
    const lambdaEnv = {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'A',
      AWS_SECRET_ACCESS_KEY: 'S',
      AWS_SESSION_TOKEN: 'T',
    };
    expect(serviceEnvironment('DYNAMODB', 'dynamodb', lambdaEnv)).toEqual({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T' },
      endpoint: new URL('https://dynamodb.eu-west-1.amazonaws.com'),
    });
    expect(
      serviceEnvironment('SQS', 'sqs', { ...lambdaEnv, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }).endpoint
        .href,
    ).toBe('http://127.0.0.1:4566/');
  });

  it('says which variable is missing', () => {
    expect(() => serviceEnvironment('SQS', 'sqs', { AWS_REGION: 'us-east-1' })).toThrow(/AWS_ACCESS_KEY_ID/);
    expect(() => serviceEnvironment('SQS', 'sqs', {})).toThrow(/AWS_REGION/);
  });
});
