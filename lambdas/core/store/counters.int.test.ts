/**
 * The visit properties' shared counter items, against DynamoDB Local: each property reads back
 * only its own values (two properties with the same value stay apart), nothing is written under
 * a property's own dimension any more, and what releases before issue 25 wrote there is still read.
 */
import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../../local/stack.js';
import { startTestStack } from '../../../test/helpers.js';
import { consumeBatch } from '../../consume/consume.js';
import { visitorIdFromIdentifier } from '../domain/visitor.js';
import { counterItemKey, readCounters, valueId, visitItemDimension } from './counters.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const day = Date.UTC(2026, 10, 20);
const at = (minutes: number) => new Date(day + 10 * 3_600_000 + minutes * 60_000).toISOString();

/** Visitors (by day resolution) per value of one dimension. */
async function visitorsBy(orgId: string, dimension: string): Promise<Record<string, number>> {
  const { buckets } = await readCounters(
    { doc: stack.doc, countersTable: stack.resources.countersTable },
    { orgId, dimension, resolution: 'day', firstBucket: day, lastBucket: day },
  );
  return Object.fromEntries(buckets.flatMap((b) => [...(b.metrics.get('u') ?? new Map())]));
}

describe('visit property counters in shared items', () => {
  const orgId = randomUUID();

  beforeAll(async () => {
    const visit = (visitor: string, minutes: number, dims: Record<string, string>) => ({
      messageId: randomUUID(),
      body: JSON.stringify({
        orgId,
        eventId: randomUUID(),
        visitorId: visitorIdFromIdentifier(orgId, visitor),
        pageUrl: 'https://shop.example/',
        visitedAt: at(minutes),
        ...dims,
      }),
    });
    const outcome = await consumeBatch(
      [
        // The same value under two properties: a newsletter link tagged with utm_source.
        visit('a', 0, { source: 'Newsletter', utm_source: 'Newsletter', country: 'US', browser: 'Firefox' }),
        visit('a', 1, { country: 'US', browser: 'Firefox' }),
        visit('b', 2, { source: 'Google', referrer: 'google.com', country: 'DE', browser: 'Chrome' }),
      ],
      {
        doc: stack.doc,
        countersTable: stack.resources.countersTable,
        visitsTable: stack.resources.visitsTable,
      },
    );
    expect(outcome.failedMessageIds).toEqual([]);
    expect(outcome.counted).toBe(3);
  });

  it('reads each property back with only its own values', async () => {
    expect(await visitorsBy(orgId, 'source')).toEqual({ Newsletter: 1, Google: 1 });
    expect(await visitorsBy(orgId, 'utm_source')).toEqual({ Newsletter: 1 });
    expect(await visitorsBy(orgId, 'referrer')).toEqual({ 'google.com': 1 });
    expect(await visitorsBy(orgId, 'country')).toEqual({ US: 1, DE: 1 });
    expect(await visitorsBy(orgId, 'browser')).toEqual({ Firefox: 1, Chrome: 1 });
  });

  it('writes the properties into the visit items only', async () => {
    const items = async (dimension: string) =>
      (
        await stack.doc.send(
          new QueryCommand({
            TableName: stack.resources.countersTable,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `${orgId}#${dimension}#day#2026` },
          }),
        )
      ).Items ?? [];
    expect(await items('country')).toEqual([]);
    expect(await items('source')).toEqual([]);
    expect((await items(visitItemDimension)).length).toBeGreaterThan(0);
    // The key the consumer writes a property under is the visit item's.
    expect(counterItemKey(orgId, 'country', 'day', day, 0).pk).toBe(
      `${orgId}#${visitItemDimension}#day#2026`,
    );
  });

  it('still reads what an older release wrote under the property, summed with the shared items', async () => {
    // The layout before issue 25: one item per property (and shard), values untagged.
    await stack.doc.send(
      new PutCommand({
        TableName: stack.resources.countersTable,
        Item: {
          pk: `${orgId}#country#day#2026`,
          sk: `${new Date(day).toISOString()}#0`,
          [`u.${valueId('FR')}`]: 3,
          [`@${valueId('FR')}`]: 'FR',
          [`u.${valueId('US')}`]: 2,
          [`@${valueId('US')}`]: 'US',
        },
      }),
    );
    expect(await visitorsBy(orgId, 'country')).toEqual({ US: 3, DE: 1, FR: 3 });
    expect(await visitorsBy(orgId, 'browser')).toEqual({ Firefox: 1, Chrome: 1 });
  });
});
