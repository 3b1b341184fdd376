/**
 * Production readiness on the local stack, over HTTP: an org's daily limit (exactly the limit
 * accepted, 429 after, the dashboard's reads still answering, counts exact) and the redrive of
 * dead letters (counted exactly once).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toQueueMessage } from '../lambdas/core/domain/queued-view.js';
import { createOrg } from '../lambdas/core/store/orgs.js';
import { redriveDeadLetters } from '../infra/redrive.js';
import { getVisits, postVisit, startTestStack } from '../test/helpers.js';
import type { LocalStack } from './stack.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** `npm run org` as the owner types it, on this stack's Orgs table. */
function org(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/org-cli.ts', ...args, '--aws'], {
    env: {
      ...process.env,
      ...stack.env,
      AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamo,
      ORGS_TABLE: stack.resources.orgsTable,
    },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

const today = () => new Date().toISOString().slice(0, 10);

describe('an org with --daily-limit 50', () => {
  it('gets 202 for 50 views and 429 after, while the dashboard reads answer and the counts stay exact', async () => {
    const created = JSON.parse(org('create', '--name', 'Capped', '--json')) as {
      orgId: string;
      siteKey: string;
      readKey: string;
    };
    expect(org('set', '--org', created.orgId, '--daily-limit', '50')).toMatch(/now accepts 50 views a day/);
    const other = await createOrg({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, { name: 'Free' });

    const post = (i: number, siteKey = created.siteKey) =>
      postVisit(stack.apiUrl, {
        key: siteKey,
        pageUrl: `https://capped.example/p${i % 10}`,
        eventId: randomUUID(),
      });
    // Ten at a time, as beacons arrive: the local API serves them concurrently.
    const first: number[] = [];
    for (let i = 0; i < 50; i += 10)
      first.push(
        ...(await Promise.all(Array.from({ length: 10 }, (_, j) => post(i + j)))).map((r) => r.status),
      );
    expect(first).toEqual(Array(50).fill(202));

    const refused = await fetch(`${stack.apiUrl}/visits`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 Chrome/131.0' },
      body: JSON.stringify({ key: created.siteKey, pageUrl: 'https://capped.example/p0' }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /^This site has reached its daily limit of 50 accepted views \(days in UTC\); views are accepted again from midnight\./,
    );
    const more = await Promise.all(Array.from({ length: 20 }, (_, i) => post(i)));
    expect(more.map((r) => r.status)).toEqual(Array(20).fill(429));
    // Another org is not held back by this one's limit.
    expect((await post(0, other.siteKey)).status).toBe(202);

    // The dashboard's reads answer while the posts are refused.
    const range = { dateFrom: today(), aggregation: 'day' };
    for (const [route, params] of [
      ['/stats', range],
      ['/visits', range],
      ['/breakdown', { dateFrom: today(), property: 'page' }],
      ['/site', {}],
      ['/realtime', {}],
    ] as const)
      expect((await getVisits(stack.apiUrl, created.readKey, params, route)).status, route).toBe(200);

    await stack.drain();
    const stats = await getVisits(stack.apiUrl, created.readKey, range, '/stats');
    expect(stats.body.totals.pageviews).toBe(50);
    const visits = await getVisits(stack.apiUrl, created.readKey, range);
    const counted = Object.values(visits.body.data as Record<string, { visit_count: number }[]>)
      .flat()
      .reduce((sum, bucket) => sum + bucket.visit_count, 0);
    expect(counted).toBe(50);
  });
});

describe('npm run org -- redrive', () => {
  it('sends dead letters back to be counted, each exactly once even when one was already counted', async () => {
    const created = await createOrg(
      { doc: stack.doc, orgsTable: stack.resources.orgsTable },
      { name: 'Dead' },
    );
    const visit = (eventId: string) =>
      toQueueMessage({
        orgId: created.orgId,
        eventId,
        pageUrl: 'https://dead.example/',
        visitedAt: new Date().toISOString(),
        visitorId: 'v-redrive',
      });
    // One visit that was counted and also dead-lettered (a consumer timed out after its commit),
    // two that were only dead-lettered.
    const counted = randomUUID();
    await stack.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.resources.queueUrl, MessageBody: visit(counted) }),
    );
    await stack.drain();
    for (const eventId of [counted, randomUUID(), randomUUID()])
      await stack.sqs.send(
        new SendMessageCommand({ QueueUrl: stack.resources.deadLetterQueueUrl, MessageBody: visit(eventId) }),
      );

    const moved = await redriveDeadLetters({
      sqs: stack.sqs,
      queueUrl: stack.resources.queueUrl,
      deadLetterQueueUrl: stack.resources.deadLetterQueueUrl,
    });
    expect(moved).toBe(3);
    await stack.drain();
    const { Attributes } = await stack.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.resources.deadLetterQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    const readKey = (
      await import('../lambdas/core/store/orgs.js').then(({ addKey }) =>
        addKey({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, created.orgId, 'read'),
      )
    ).key;
    const stats = await getVisits(stack.apiUrl, readKey, { dateFrom: today(), aggregation: 'day' }, '/stats');
    expect(stats.body.totals.pageviews).toBe(3);
    expect(
      await redriveDeadLetters({
        sqs: stack.sqs,
        queueUrl: stack.resources.queueUrl,
        deadLetterQueueUrl: stack.resources.deadLetterQueueUrl,
      }),
    ).toBe(0);
  });
});
