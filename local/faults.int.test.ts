/**
 * Faults injected into the running pipeline, against the real emulators. Each ends with the
 * counters exactly equal to what was accepted: page views, and visitors, visits, bounces and
 * durations.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { queueSettings } from '../lambdas/core/settings.js';
import { type FaultProxy, startFaultProxy } from '../test/dynamo-fault-proxy.js';
import { createOrg } from '../lambdas/core/store/orgs.js';
import { getVisits, postVisit, readCounters, startTestStack, waitFor } from '../test/helpers.js';
import { approximateCount, type PollerEvent, type SqsHandler } from './sqs-poller.js';
import type { LocalStack } from './stack.js';

let stack: LocalStack;
let proxy: FaultProxy;
const pollerEvents: PollerEvent[] = [];
/** When set, the consumer commits its batch and then dies before the batch is acknowledged. */
let crashAfterCommit = false;
let invocations = 0;

beforeAll(async () => {
  proxy = await startFaultProxy(inject('dynamoEndpoint'));
  const crashable =
    (handler: SqsHandler): SqsHandler =>
    async (event, context) => {
      invocations++;
      const response = await handler(event, context);
      if (crashAfterCommit) {
        crashAfterCommit = false;
        throw new Error('consumer killed after committing, before acknowledging');
      }
      return response;
    };
  stack = await startTestStack({
    emulators: { dynamoEndpoint: proxy.endpoint, sqsEndpoint: inject('sqsEndpoint') },
    // Failed messages come back after one second instead of three minutes.
    visibilityTimeoutSeconds: 1,
    wrapConsumer: crashable,
    onPollerEvent: (event) => pollerEvents.push(event),
  });
});
afterAll(async () => {
  await stack?.stop();
  await proxy?.stop();
});

interface Posted {
  orgId: string;
  readKey: string;
  /** page -> page views expected */
  expected: Map<string, number>;
  /** GET /stats totals expected: three visitors, each with one visit of a view a minute. */
  totals: Record<string, number>;
}

/** An org of the test's own, so that its visitor counters hold only its views (made before any fault is switched on). */
const newOrg = (label: string) =>
  createOrg({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, { name: label });

/** Posts views of three visitors (a view a minute each) to the org; returns what it expects to see. */
async function postVisits(
  org: { orgId: string; siteKey: string; readKey: string },
  count: number,
  label: string,
): Promise<Posted> {
  const expected = new Map<string, number>();
  const start = Date.now() - 60 * 60_000;
  const perVisitor = [0, 0, 0];
  for (let i = 0; i < count; i++) {
    const pageUrl = `https://faults.example/${label}/${i % 3}`;
    const visitor = i % 3;
    const visitedAt = new Date(start + perVisitor[visitor]! * 60_000 + visitor).toISOString();
    perVisitor[visitor]!++;
    const body = {
      key: org.siteKey,
      pageUrl,
      eventId: randomUUID(),
      identifier: `${label}-${visitor}`,
      visitedAt,
    };
    expect((await postVisit(stack.apiUrl, body)).status).toBe(202);
    expected.set(pageUrl, (expected.get(pageUrl) ?? 0) + 1);
  }
  const visits = perVisitor.filter((n) => n > 0);
  const duration = visits.reduce((sum, n) => sum + (n - 1) * 60, 0);
  const bounces = visits.filter((n) => n === 1).length;
  const totals = {
    visitors: visits.length,
    visits: visits.length,
    pageviews: count,
    bounces,
    visit_duration: Math.round(duration / visits.length),
  };
  return { orgId: org.orgId, readKey: org.readKey, expected, totals };
}

async function dayCountsFor(posted: Posted): Promise<Map<string, number>> {
  const counters = await readCounters(stack, posted.orgId, 'day');
  return new Map([...counters].map(([sk, n]) => [sk.slice(25), n] as const));
}

const sameCounts = (posted: Posted) => async () =>
  JSON.stringify([...(await dayCountsFor(posted))].sort()) === JSON.stringify([...posted.expected].sort());

/** The visitor counters end exact too: visitors, visits, bounces and durations of the org. */
async function expectExactVisitors(posted: Posted): Promise<void> {
  const range = {
    aggregation: 'day',
    dateFrom: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    dateTo: new Date(Date.now() + 60_000).toISOString(),
  };
  const { body } = await getVisits(stack.apiUrl, posted.readKey, range, '/stats');
  expect(body.totals).toMatchObject(posted.totals);
}

it('counts a batch once when the consumer dies after committing and the whole batch comes back', async () => {
  const before = invocations;
  const org = await newOrg('crash');
  crashAfterCommit = true;

  const posted = await postVisits(org, 12, 'crash');

  await waitFor(sameCounts(posted), 20_000);
  await stack.drain();
  expect(invocations - before).toBeGreaterThanOrEqual(2); // the crashed run, then the redelivery
  expect(await sameCounts(posted)()).toBe(true);
  await expectExactVisitors(posted);
});

it.each(['throttling', 'transaction-conflict'] as const)(
  'counts exactly once DynamoDB stops refusing writes (%s)',
  async (fault) => {
    const org = await newOrg(fault);
    proxy.fail('TransactWriteItems', fault);
    const failedBefore = proxy.failedCalls();

    const posted = await postVisits(org, 9, fault);
    await waitFor(async () => proxy.failedCalls() > failedBefore, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a while of refused writes, with redeliveries
    proxy.clear();

    await waitFor(sameCounts(posted), 20_000);
    await stack.drain();
    expect(await sameCounts(posted)()).toBe(true);
    await expectExactVisitors(posted);
  },
);

it('counts a message that SQS delivers twice once', async () => {
  const visit = {
    orgId: stack.demo.orgId,
    eventId: randomUUID(),
    pageUrl: 'https://faults.example/twice/0',
    visitedAt: new Date().toISOString(),
    visitorId: 'v',
  };
  for (let i = 0; i < 2; i++)
    await stack.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queueUrl, MessageBody: JSON.stringify(visit) }),
    );

  await stack.drain();

  const counters = await readCounters(stack, stack.demo.orgId, 'day');
  expect(
    [...counters].filter(([sk]) => sk.endsWith('https://faults.example/twice/0')).map(([, n]) => n),
  ).toEqual([1]);
});

it('moves a poison message to the dead-letter queue after the max receive count, and says so', async () => {
  const posted = await postVisits(await newOrg('poison'), 3, 'poison');
  await stack.sqs.send(
    new SendMessageCommand({ QueueUrl: stack.resources.queueUrl, MessageBody: '{"orgId": "not a visit"' }),
  );

  await waitFor(
    async () => (await approximateCount(stack.sqs, stack.resources.deadLetterQueueUrl)) === 1,
    (queueSettings.maxReceiveCount + 5) * 2000,
  );
  // The poller looks at the dead-letter queue every 2 s between polls: seconds on a busy machine.
  await waitFor(async () => pollerEvents.some((e) => e.type === 'dead-letters' && e.count === 1), 15_000);

  expect(await approximateCount(stack.sqs, stack.resources.queueUrl, true)).toBe(0);
  expect(await sameCounts(posted)()).toBe(true);
  await expectExactVisitors(posted);
});
