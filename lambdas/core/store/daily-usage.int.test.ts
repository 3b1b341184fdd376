/**
 * The daily-limit counter against DynamoDB Local: exact in one instance, bounded across several,
 * cheap. Its calls go through ingest's own client (runtime/aws-lite), as in the ingest function.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../../local/resources.js';
import { abuseLimits, ttlAttribute } from '../settings.js';
import { createItemCalls } from '../runtime/aws-lite/dynamodb.js';
import type { ItemCalls } from './item-calls.js';
import { createDailyUsage, usageKey } from './daily-usage.js';

const orgsTable = `t${randomUUID().slice(0, 8)}-orgs`;
const client = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const doc = DynamoDBDocumentClient.from(client);
const items = createItemCalls({
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
});
const day = '2026-03-10';

beforeAll(() => ensureTable(client, orgsTable));

/** A usage counter whose DynamoDB calls are counted, on a clock the test moves. */
function instance(flush: { views: number; ms: number } = abuseLimits.dailyUsageFlush) {
  const calls: string[] = [];
  const clock = { now: Date.parse('2026-03-10T12:00:00Z') };
  const counted: ItemCalls = {
    getItem: (input) => {
      calls.push('GetItem');
      return items.getItem(input);
    },
    putItem: (input) => {
      calls.push('PutItem');
      return items.putItem(input);
    },
    updateItem: (input) => {
      calls.push('UpdateItem');
      return items.updateItem(input);
    },
  };
  const tryAccept = createDailyUsage(
    { items: counted, orgsTable, now: () => clock.now },
    { flush, keptDays: abuseLimits.dailyUsageKeptDays },
  );
  return { tryAccept, calls, clock };
}

const stored = async (orgId: string) =>
  (await doc.send(new GetCommand({ TableName: orgsTable, Key: usageKey(orgId, day) }))).Item;

describe('one instance', () => {
  it('accepts exactly the limit, then refuses, with one read and one write for 50 views', async () => {
    const orgId = randomUUID();
    const { tryAccept, calls } = instance();
    const answers: boolean[] = [];
    for (let i = 0; i < 55; i++) answers.push(await tryAccept(orgId, day, 50));
    expect(answers.filter(Boolean)).toHaveLength(50);
    expect(answers.slice(50)).toEqual([false, false, false, false, false]);
    // A read on first sight, the write that learns the limit is reached, and nothing per refusal.
    expect(calls).toEqual(['GetItem', 'UpdateItem']);
    const item = await stored(orgId);
    expect(item?.accepted).toBe(50);
    expect(item?.[ttlAttribute]).toBe(Date.parse(day) / 1000 + abuseLimits.dailyUsageKeptDays * 86_400);
  });

  it('writes once per 100 views while far from the limit', async () => {
    const { tryAccept, calls } = instance();
    const orgId = randomUUID();
    for (let i = 0; i < 1000; i++) expect(await tryAccept(orgId, day, 1_000_000)).toBe(true);
    expect(calls.filter((c) => c === 'UpdateItem')).toHaveLength(10);
    expect((await stored(orgId))?.accepted).toBe(1000);
  });

  it('accepts views again when the limit is raised, and on the next day', async () => {
    const { tryAccept } = instance();
    const orgId = randomUUID();
    for (let i = 0; i < 3; i++) await tryAccept(orgId, day, 3);
    expect(await tryAccept(orgId, day, 3)).toBe(false);
    expect(await tryAccept(orgId, day, 4)).toBe(true);
    expect(await tryAccept(orgId, '2026-03-11', 4)).toBe(true);
  });

  it('counts concurrent requests once each (the local API serves them in parallel)', async () => {
    const { tryAccept } = instance({ views: 7, ms: 60_000 });
    const orgId = randomUUID();
    const answers = await Promise.all(Array.from({ length: 40 }, () => tryAccept(orgId, day, 30)));
    expect(answers.filter(Boolean)).toHaveLength(30);
    expect(await tryAccept(orgId, day, 30)).toBe(false);
    expect((await stored(orgId))?.accepted).toBe(30);
  });
});

describe('several instances', () => {
  it('overshoot the limit by at most one flush batch each, and the stored total is what they accepted', async () => {
    const flush = { views: 10, ms: 60_000 };
    const instances = [instance(flush), instance(flush), instance(flush)];
    const orgId = randomUUID();
    let accepted = 0;
    // Round-robin, as a load balancer would spread one site's beacons.
    for (let i = 0; i < 300; i++) if (await instances[i % 3]!.tryAccept(orgId, day, 100)) accepted++;
    expect(accepted).toBeGreaterThanOrEqual(100);
    expect(accepted).toBeLessThanOrEqual(100 + instances.length * flush.views);
    // What is still pending is added on each instance's next look.
    for (const { tryAccept, clock } of instances) {
      clock.now += flush.ms;
      await tryAccept(orgId, day, 100);
    }
    expect((await stored(orgId))?.accepted).toBe(accepted);
  });

  it("learns the others' views within a minute even on a quiet instance", async () => {
    const quiet = instance();
    const busy = instance({ views: 1, ms: 60_000 });
    const orgId = randomUUID();
    expect(await quiet.tryAccept(orgId, day, 10)).toBe(true);
    for (let i = 0; i < 9; i++) await busy.tryAccept(orgId, day, 10);
    quiet.clock.now += 60_000;
    expect(await quiet.tryAccept(orgId, day, 10)).toBe(false);
  });
});
