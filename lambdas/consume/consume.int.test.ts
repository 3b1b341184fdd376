/** The consumer against DynamoDB Local: exactly-once counting, partial failures, duplicates. */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createResources, type StackResources } from '../../local/resources.js';
import type { QueuedView } from '../core/domain/queued-view.js';
import { bucketStart } from '../core/domain/buckets.js';
import { visitorModel } from '../core/settings.js';
import { readCounters } from '../core/store/counters.js';
import { queryVisits } from '../query/visits.js';
import { type ConsumeDeps, type QueueRecord, consumeBatch } from './consume.js';

const clientConfig = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
let doc: DynamoDBDocumentClient;
let resources: StackResources;

beforeAll(async () => {
  const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: inject('dynamoEndpoint') });
  doc = DynamoDBDocumentClient.from(dynamo);
  const sqs = new SQSClient({
    ...clientConfig,
    endpoint: inject('sqsEndpoint'),
    useQueueUrlAsEndpoint: false,
  });
  resources = await createResources(dynamo, sqs, {
    prefix: `consume-${randomUUID().slice(0, 8)}-`,
    visibilityTimeoutSeconds: 30,
  });
});

const depsWith = (client: DynamoDBDocumentClient): ConsumeDeps => ({
  doc: client,
  countersTable: resources.countersTable,
  visitsTable: resources.visitsTable,
  sleep: async () => undefined,
});

function sqsRecord(visit: Partial<QueuedView> & { orgId: string }): QueueRecord {
  const body: QueuedView = {
    eventId: randomUUID(),
    pageUrl: 'https://example.com/',
    visitedAt: new Date().toISOString(),
    visitorId: randomUUID().slice(0, 8),
    ...visit,
  };
  return { messageId: randomUUID(), body: JSON.stringify(body) };
}

/** Page views per page over the last and next day, read back as GET /visits reads them. */
async function dayCounts(orgId: string): Promise<Record<string, number>> {
  const now = Date.now();
  const { data } = await queryVisits(
    orgId,
    { aggregation: 'month', from: now - 40 * 86_400_000, to: now + 86_400_000, zone: 'UTC' },
    { doc, countersTable: resources.countersTable },
  );
  return Object.fromEntries(
    Object.entries(data).map(([page, points]) => [page, points.reduce((n, p) => n + p.visit_count, 0)]),
  );
}

async function siteDay(orgId: string, time: number) {
  const { buckets } = await readCounters(
    { doc, countersTable: resources.countersTable },
    {
      orgId,
      dimension: 'site',
      resolution: 'day',
      firstBucket: bucketStart(time, 'day'),
      lastBucket: bucketStart(time, 'day'),
    },
  );
  return Object.fromEntries(
    [...(buckets[0]?.metrics ?? new Map())].map(([metric, byValue]) => [metric, byValue.get('')]),
  );
}

/** A real client whose transactions touching `failingPage` are refused, as a throttled partition would be. */
function failingFor(failingPage: string): DynamoDBDocumentClient {
  return {
    send: (command: unknown) => {
      if (command instanceof TransactWriteCommand && JSON.stringify(command.input).includes(failingPage)) {
        return Promise.reject(
          Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
            name: 'ThrottlingException',
          }),
        );
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
    const { Items = [] } = await doc.send(
      new ScanCommand({ TableName: resources.countersTable, ConsistentRead: true }),
    );
    const resolutionsWritten = new Set(
      Items.filter((i) => (i.pk as string).startsWith(`${orgId}#page#`)).map(
        (i) => (i.pk as string).split('#')[2],
      ),
    );
    expect(resolutionsWritten).toEqual(new Set(['minute', 'hour', 'day']));
  });

  it('drops a redelivered batch instead of counting it twice', async () => {
    const orgId = randomUUID();
    const records = Array.from({ length: 20 }, (_, i) =>
      sqsRecord({ orgId, pageUrl: `https://example.com/p${i % 4}` }),
    );

    const first = await consumeBatch(records, depsWith(doc));
    const second = await consumeBatch(records, depsWith(doc));

    expect(first).toMatchObject({ counted: 20, duplicates: 0 });
    expect(second).toMatchObject({ counted: 0, duplicates: 20, failedMessageIds: [] });
    expect(await dayCounts(orgId)).toEqual({
      'https://example.com/p0': 5,
      'https://example.com/p1': 5,
      'https://example.com/p2': 5,
      'https://example.com/p3': 5,
    });
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

  it('counts every copy of an event counted before as one duplicate, no more', async () => {
    const orgId = randomUUID();
    const record = sqsRecord({ orgId });
    await consumeBatch([record], depsWith(doc));

    const outcome = await consumeBatch(
      [
        { ...record, messageId: randomUUID() },
        { ...record, messageId: randomUUID() },
      ],
      depsWith(doc),
    );

    expect(outcome).toMatchObject({ counted: 0, duplicates: 2, failedMessageIds: [] });
  });

  it('hands back only the messages of a failed chunk, and their retry makes the counts exact', async () => {
    const orgId = randomUUID();
    // Enough pages that the batch splits into several transactions.
    const records = Array.from({ length: 240 }, (_, i) =>
      sqsRecord({ orgId, pageUrl: `https://example.com/page-${i % 12}` }),
    );
    const failingPage = 'https://example.com/page-7';

    const outcome = await consumeBatch(records, depsWith(failingFor(failingPage)));

    // The failing page's chunk comes back whole (it may hold other pages too); every other chunk is committed.
    const failingPageIds = records
      .filter((r) => JSON.parse(r.body).pageUrl === failingPage)
      .map((r) => r.messageId);
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

  it('writes one counter update per item and bucket, not one per view', async () => {
    const orgId = randomUUID();
    const records = Array.from({ length: 90 }, () =>
      sqsRecord({
        orgId,
        pageUrl: 'https://example.com/busy',
        visitedAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 30)).toISOString(),
      }),
    );

    const outcome = await consumeBatch(records, depsWith(doc));

    // 90 visitor-days + the whole site's and the page's counters at minute, hour and day + the hour's and day's sources (all Direct / None).
    expect(outcome.writeActions).toBe(90 + 3 + 3 + 2);
  });

  it('counts visitors, visits and bounces of one visitor exactly when two consumers race on the same visitor-day', async () => {
    const orgId = randomUUID();
    const start = Date.now() - 3_600_000;
    const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
    const views = [0, 5, 10, 50, 55].map((minute, i) =>
      sqsRecord({ orgId, visitorId: 'racer', pageUrl: `https://example.com/p${i}`, visitedAt: at(minute) }),
    );

    // Two consumers at once, each with part of the views (as two pollers would be).
    const outcomes = await Promise.all([
      consumeBatch([views[0]!, views[3]!, views[4]!], depsWith(doc)),
      consumeBatch([views[1]!, views[2]!], depsWith(doc)),
    ]);

    expect(outcomes.flatMap((o) => o.failedMessageIds)).toEqual([]);
    expect(outcomes[0]!.counted + outcomes[1]!.counted).toBe(5);
    const sameDay =
      new Date(start).toISOString().slice(0, 10) === new Date(start + 55 * 60_000).toISOString().slice(0, 10);
    if (sameDay) {
      const day = await siteDay(orgId, start);
      expect(day).toMatchObject({ n: 5, u: 1, s: 2, d: 10 * 60 + 5 * 60 });
      expect(day.b ?? 0).toBe(0);
    }
  });

  it('counts the views of a visitor past the kept cap as page views, once each, however many come again', async () => {
    const orgId = randomUUID();
    const time = Date.now() - 60_000;
    const records = Array.from(
      { length: visitorModel.maxViewsPerDay + 6 * visitorModel.maxViewsPerPlan },
      (_, i) =>
        sqsRecord({
          orgId,
          visitorId: 'heavy',
          pageUrl: `https://example.com/p${i % 3}`,
          visitedAt: new Date(time + i).toISOString(),
        }),
    );

    const first = await consumeBatch(records, depsWith(doc));
    const again = await consumeBatch(records, depsWith(doc));

    expect(first).toMatchObject({ counted: records.length, failedMessageIds: [] });
    expect(again).toMatchObject({ counted: 0, duplicates: records.length, failedMessageIds: [] });
    expect(Object.values(await dayCounts(orgId)).reduce((a, b) => a + b, 0)).toBe(records.length);
    expect(await siteDay(orgId, time)).toMatchObject({ n: records.length, u: 1, s: 1 });
  });
});
