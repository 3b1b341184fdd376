/**
 * Faults injected into the running pipeline, against the real emulators. Each ends with the
 * counters exactly equal to what was accepted.
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { queueSettings } from '../lambdas/core/settings.js';
import { type FaultProxy, startFaultProxy } from '../test/dynamo-fault-proxy.js';
import { postVisit, readCounters, startTestStack, waitFor } from '../test/helpers.js';
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
  const crashable = (handler: SqsHandler): SqsHandler => async (event, context) => {
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

/** Posts visits to fresh pages and returns the page -> count it expects to see. */
async function postVisits(count: number, label: string): Promise<Map<string, number>> {
  const expected = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const pageUrl = `https://faults.example/${label}/${i % 3}`;
    expect((await postVisit(stack.apiUrl, { key: stack.demo.siteKey, pageUrl, eventId: randomUUID() })).status).toBe(202);
    expected.set(pageUrl, (expected.get(pageUrl) ?? 0) + 1);
  }
  return expected;
}

async function dayCountsFor(label: string): Promise<Map<string, number>> {
  const counters = await readCounters(stack, stack.demo.orgId, 'day');
  return new Map([...counters].map(([sk, n]) => [sk.slice(25), n] as const).filter(([page]) => page.includes(`/${label}/`)));
}

const sameCounts = (label: string, expected: Map<string, number>) => async () =>
  JSON.stringify([...(await dayCountsFor(label))].sort()) === JSON.stringify([...expected].sort());

it('counts a batch once when the consumer dies after committing and the whole batch comes back', async () => {
  const before = invocations;
  crashAfterCommit = true;

  const expected = await postVisits(12, 'crash');

  await waitFor(sameCounts('crash', expected), 20_000);
  await stack.drain();
  expect(invocations - before).toBeGreaterThanOrEqual(2); // the crashed run, then the redelivery
  expect(await sameCounts('crash', expected)()).toBe(true);
});

it.each(['throttling', 'transaction-conflict'] as const)('counts exactly once DynamoDB stops refusing writes (%s)', async (fault) => {
  proxy.fail('TransactWriteItems', fault);
  const failedBefore = proxy.failedCalls();

  const expected = await postVisits(9, fault);
  await waitFor(async () => proxy.failedCalls() > failedBefore, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 1500)); // a while of refused writes, with redeliveries
  proxy.clear();

  await waitFor(sameCounts(fault, expected), 20_000);
  await stack.drain();
  expect(await sameCounts(fault, expected)()).toBe(true);
});

it('counts a message that SQS delivers twice once', async () => {
  const visit = { orgId: stack.demo.orgId, eventId: randomUUID(), pageUrl: 'https://faults.example/twice/0', visitedAt: new Date().toISOString(), visitorId: 'v' };
  for (let i = 0; i < 2; i++) await stack.sqs.send(new SendMessageCommand({ QueueUrl: stack.resources.queueUrl, MessageBody: JSON.stringify(visit) }));

  await stack.drain();

  expect(await dayCountsFor('twice')).toEqual(new Map([['https://faults.example/twice/0', 1]]));
});

it('moves a poison message to the dead-letter queue after the max receive count, and says so', async () => {
  const expected = await postVisits(3, 'poison');
  await stack.sqs.send(new SendMessageCommand({ QueueUrl: stack.resources.queueUrl, MessageBody: '{"orgId": "not a visit"' }));

  await waitFor(async () => (await approximateCount(stack.sqs, stack.resources.deadLetterQueueUrl)) === 1, (queueSettings.maxReceiveCount + 5) * 2000);
  await waitFor(async () => pollerEvents.some((e) => e.type === 'dead-letters' && e.count === 1), 5_000);

  expect(await approximateCount(stack.sqs, stack.resources.queueUrl, true)).toBe(0);
  expect(await sameCounts('poison', expected)()).toBe(true);
});
