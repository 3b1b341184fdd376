/** The item-size rules the write units are computed with, on cases worked out by hand from AWS's documented rules. */
import { describe, expect, it } from 'vitest';
import { applyUpdate } from './lib/capture.js';
import { eventSourceBatches } from './lib/traffic.js';
import { itemSize, numberSize, writeUnits } from './lib/dynamo-size.js';

describe('DynamoDB item size', () => {
  it('counts a string attribute as its name plus its UTF-8 bytes', () => {
    expect(itemSize({ pk: 'abc' })).toBe(2 + 3);
    expect(itemSize({ sk: 'é' })).toBe(2 + 2);
  });

  it('counts a number as one byte per two significant digits plus one', () => {
    expect(numberSize(7)).toBe(2);
    expect(numberSize(1234)).toBe(3);
    expect(numberSize(12345)).toBe(4);
    expect(numberSize(1_000_000)).toBe(2); // trailing zeros are trimmed
    expect(numberSize(1794000000)).toBe(3);
  });

  it('counts maps and lists with 3 bytes of overhead and 1 per element', () => {
    expect(itemSize({ m: { a: 'x' } })).toBe(1 + 3 + (1 + 1 + 1));
    expect(itemSize({ l: ['ab', 'c'] })).toBe(1 + 3 + (1 + 2) + (1 + 1));
  });

  it('charges 1 WCU per started KB, twice in a transaction', () => {
    expect(writeUnits(300, false)).toBe(1);
    expect(writeUnits(300, true)).toBe(2);
    expect(writeUnits(1024, true)).toBe(2);
    expect(writeUnits(1025, true)).toBe(4);
  });
});

describe('capturing updates', () => {
  it('applies ADD and SET the way the consumer writes counters', () => {
    const update = {
      UpdateExpression: 'ADD #n :n SET #ttl = :ttl',
      ExpressionAttributeNames: { '#n': 'n', '#ttl': 'expiresAt' },
      ExpressionAttributeValues: { ':n': 3, ':ttl': 1_800_000_000 },
    };
    const once = applyUpdate({ pk: 'p', sk: 's' }, update);
    expect(applyUpdate(once, update)).toEqual({ pk: 'p', sk: 's', n: 6, expiresAt: 1_800_000_000 });
  });
});

describe('event source batches', () => {
  const visit = (i: number) => ({
    orgId: 'o',
    eventId: `event-${i}-xx`,
    pageUrl: 'https://a.example/',
    visitedAt: new Date(0).toISOString(),
    visitorId: 'v',
  });

  it('closes a batch when the window has passed since its first message', () => {
    const arrivals = [0, 500, 1999, 2000, 3000, 4500].map((arrival, i) => ({ arrival, visit: visit(i) }));
    expect(eventSourceBatches(arrivals, { batchSize: 500, windowMs: 2000 }).map((b) => b.length)).toEqual([
      3, 2, 1,
    ]);
  });

  it('closes a batch when it is full, and shares messages among pollers', () => {
    const arrivals = Array.from({ length: 10 }, (_, i) => ({ arrival: i, visit: visit(i) }));
    expect(eventSourceBatches(arrivals, { batchSize: 4, windowMs: 2000 }).map((b) => b.length)).toEqual([
      4, 4, 2,
    ]);
    expect(
      eventSourceBatches(arrivals, { batchSize: 4, windowMs: 2000, pollers: 2 }).map((b) => b.length),
    ).toEqual([4, 1, 4, 1]);
  });
});
