/** The consumer against DynamoDB Local: exactly-once counting, partial failures, duplicates. */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createResources, type StackResources } from '../../local/resources.js';
import type { Visit } from '../core/domain/visit.js';
import { type ConsumeDeps, type QueueRecord, consumeBatch } from './consume.js';

const clientConfig = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
let doc: DynamoDBDocumentClient;
let resources: StackResources;

beforeAll(async () => {
  const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: inject('dynamoEndpoint') });
  doc = DynamoDBDocumentClient.from(dynamo);
  const sqs = new SQSClient({ ...clientConfig, endpoint: inject('sqsEndpoint'), useQueueUrlAsEndpoint: false });
  resources = await createResources(dynamo, sqs, { prefix: `consume-${randomUUID().slice(0, 8)}-`, visibilityTimeoutSeconds: 30 });
});

const depsWith = (client: DynamoDBDocumentClient): ConsumeDeps => ({
  doc: client,
  countersTable: resources.countersTable,
  visitsTable: resources.visitsTable,
  sleep: async () => undefined,
});

function sqsRecord(visit: Partial<Visit> & { orgId: string }): QueueRecord {
  const body: Visit = {
    eventId: randomUUID(),
    pageUrl: 'https://example.com/',
    visitedAt: new Date().toISOString(),
    visitorId: 'v1',
    ...visit,
  };
  return { messageId: randomUUID(), body: JSON.stringify(body) };
}

async function dayCounts(orgId: string): Promise<Record<string, number>> {
  const { Items = [] } = await doc.send(new ScanCommand({ TableName: resources.countersTable, ConsistentRead: true }));
  return Object.fromEntries(
    Items.filter((i) => (i.pk as string).startsWith(`${orgId}#day#`)).map((i) => [(i.sk as string).slice(25), Number(i.n)]),
  );
}

/** A real client whose transactions touching `failingPage` are refused, as a throttled partition would be. */
function failingFor(failingPage: string): DynamoDBDocumentClient {
  return {
    send: (command: unknown) => {
      if (command instanceof TransactWriteCommand && JSON.stringify(command.input).includes(failingPage)) {
        return Promise.reject(Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' }));
      }
      return doc.send(command as TransactWriteCommand);
    },
  } as unknown as DynamoDBDocumentClient;
}

describe('consumeBatch', () => {
  it('counts each visit once at minute, hour and day resolution', async () => {
    const orgId = randomUUID();
    const records = [
      ...Array.from({ length: 3 }, () => sqsRecord({ orgId, pageUrl: 'https://example.com/a' })),
      sqsRecord({ orgId, pageUrl: 'https://example.com/b' }),
    ];

    const outcome = await consumeBatch(records, depsWith(doc));

    expect(outcome).toMatchObject({ counted: 4, duplicates: 0, failedMessageIds: [] });
    expect(await dayCounts(orgId)).toEqual({ 'https://example.com/a': 3, 'https://example.com/b': 1 });
    const { Items = [] } = await doc.send(new ScanCommand({ TableName: resources.countersTable, ConsistentRead: true }));
    const resolutionsWritten = new Set(Items.filter((i) => (i.pk as string).startsWith(orgId)).map((i) => (i.pk as string).split('#')[1]));
    expect(resolutionsWritten).toEqual(new Set(['minute', 'hour', 'day']));
  });

  it('drops a redelivered batch instead of counting it twice', async () => {
    const orgId = randomUUID();
    const records = Array.from({ length: 20 }, (_, i) => sqsRecord({ orgId, pageUrl: `https://example.com/p${i % 4}` }));

    const first = await consumeBatch(records, depsWith(doc));
    const second = await consumeBatch(records, depsWith(doc));

    expect(first).toMatchObject({ counted: 20, duplicates: 0 });
    expect(second).toMatchObject({ counted: 0, duplicates: 20, failedMessageIds: [] });
    expect(await dayCounts(orgId)).toEqual({ 'https://example.com/p0': 5, 'https://example.com/p1': 5, 'https://example.com/p2': 5, 'https://example.com/p3': 5 });
  });

  it('counts the new visits of a batch that mixes new and already-counted ones', async () => {
    const orgId = randomUUID();
    const old = Array.from({ length: 5 }, () => sqsRecord({ orgId }));
    await consumeBatch(old, depsWith(doc));

    const fresh = Array.from({ length: 3 }, () => sqsRecord({ orgId }));
    const outcome = await consumeBatch([...old, ...fresh], depsWith(doc));

    expect(outcome).toMatchObject({ counted: 3, duplicates: 5 });
    expect(await dayCounts(orgId)).toEqual({ 'https://example.com/': 8 });
  });

  it('counts the same event sent twice in one batch once', async () => {
    const orgId = randomUUID();
    const record = sqsRecord({ orgId });
    const copy = { ...record, messageId: randomUUID() };

    const outcome = await consumeBatch([record, copy], depsWith(doc));

    expect(outcome).toMatchObject({ counted: 1, duplicates: 1 });
    expect(await dayCounts(orgId)).toEqual({ 'https://example.com/': 1 });
  });

  it('hands back only the messages of a failed chunk, and their retry makes the counts exact', async () => {
    const orgId = randomUUID();
    // Enough pages that the batch splits into several transactions.
    const records = Array.from({ length: 240 }, (_, i) => sqsRecord({ orgId, pageUrl: `https://example.com/page-${i % 12}` }));
    const failingPage = 'https://example.com/page-7';

    const outcome = await consumeBatch(records, depsWith(failingFor(failingPage)));

    // The failing page's chunk comes back whole (it may hold other pages too); every other chunk is committed.
    const failingPageIds = records.filter((r) => JSON.parse(r.body).pageUrl === failingPage).map((r) => r.messageId);
    expect(outcome.failedMessageIds).toEqual(expect.arrayContaining(failingPageIds));
    expect(outcome.failedMessageIds.length).toBeLessThan(records.length);
    expect(outcome.counted).toBe(records.length - outcome.failedMessageIds.length);
    const countsBeforeRetry = await dayCounts(orgId);
    expect(countsBeforeRetry[failingPage]).toBeUndefined();
    expect(Object.values(countsBeforeRetry).reduce((a, b) => a + b, 0)).toBe(outcome.counted);

    // The queue hands the failed messages back; this time the table accepts them.
    const retried = records.filter((r) => outcome.failedMessageIds.includes(r.messageId));
    const retry = await consumeBatch(retried, depsWith(doc));

    expect(retry).toMatchObject({ counted: outcome.failedMessageIds.length, failedMessageIds: [] });
    const counts = await dayCounts(orgId);
    expect(Object.keys(counts)).toHaveLength(12);
    expect(Object.values(counts).every((n) => n === 20)).toBe(true);
  });

  it('reports a malformed message as failed so that it ends in the dead-letter queue', async () => {
    const orgId = randomUUID();
    const good = sqsRecord({ orgId });
    const poison = { messageId: randomUUID(), body: '{"orgId": 42' };
    const wrongShape = { messageId: randomUUID(), body: JSON.stringify({ orgId, pageUrl: 'not a url' }) };

    const outcome = await consumeBatch([good, poison, wrongShape], depsWith(doc));

    expect(outcome).toMatchObject({ counted: 1, invalid: 2 });
    expect(outcome.failedMessageIds.sort()).toEqual([poison.messageId, wrongShape.messageId].sort());
  });

  it('writes about one counter update per page and bucket, not one per visit', async () => {
    const orgId = randomUUID();
    const records = Array.from({ length: 90 }, () => sqsRecord({ orgId, pageUrl: 'https://example.com/busy', visitedAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 30)).toISOString() }));

    const outcome = await consumeBatch(records, depsWith(doc));

    // 90 raw records + 3 counters (minute, hour, day).
    expect(outcome.writeActions).toBe(90 + 3);
  });
});
