import { describe, expect, it } from 'vitest';
import {
  counterAttribute,
  counterItemKey,
  counterUpdate,
  partitionRanges,
  shardOf,
  valueId,
} from './counters.js';

const t = (iso: string) => Date.parse(iso);

describe('counter keys', () => {
  it('partitions minute counters by day, hour counters by month and day counters by year, per dimension', () => {
    expect(counterItemKey('org', 'page', 'minute', t('2026-10-30T10:31:00Z'), 3)).toEqual({
      pk: 'org#page#minute#2026-10-30',
      sk: '2026-10-30T10:31:00.000Z#3',
    });
    expect(counterItemKey('org', 'site', 'hour', t('2026-10-30T10:00:00Z'), 0).pk).toBe(
      'org#site#hour#2026-10',
    );
    expect(counterItemKey('org', 'page', 'day', t('2026-10-30T00:00:00Z'), 0).pk).toBe('org#page#day#2026');
  });

  it('covers a range with one query per partition, in order, every shard of the last bucket included', () => {
    const ranges = partitionRanges({
      orgId: 'org',
      dimension: 'page',
      resolution: 'minute',
      firstBucket: t('2026-10-30T23:58:00Z'),
      lastBucket: t('2026-10-31T00:01:00Z'),
    });
    expect(ranges).toEqual([
      {
        pk: 'org#page#minute#2026-10-30',
        fromSk: '2026-10-30T23:58:00.000Z#',
        toSk: '2026-10-30T23:59:59.999Z$',
      },
      {
        pk: 'org#page#minute#2026-10-31',
        fromSk: '2026-10-31T00:00:00.000Z#',
        toSk: '2026-10-31T00:01:00.000Z$',
      },
    ]);
    expect('2026-10-31T00:01:00.000Z#31' < ranges[1]!.toSk).toBe(true);
  });

  it("finds a zoned site's local days in the UTC year their start instant falls in", () => {
    // Berlin's 1 January 2027 starts at 23:00 UTC on 31 December 2026.
    const ranges = partitionRanges({
      orgId: 'org',
      dimension: 'site',
      resolution: 'day',
      firstBucket: t('2026-12-30T23:00:00Z'),
      lastBucket: t('2027-01-01T23:00:00Z'),
    });
    expect(ranges).toEqual([
      { pk: 'org#site#day#2026', fromSk: '2026-12-30T23:00:00.000Z#', toSk: '2026-12-31T23:59:59.999Z$' },
      { pk: 'org#site#day#2027', fromSk: '2027-01-01T00:00:00.000Z#', toSk: '2027-01-01T23:00:00.000Z$' },
    ]);
  });

  it('keeps a value in one shard, and spreads many values over all of them', () => {
    expect(shardOf('https://a.example/x', 8)).toBe(shardOf('https://a.example/x', 8));
    const used = new Set(Array.from({ length: 200 }, (_, i) => shardOf(`https://a.example/p${i}`, 8)));
    expect(used.size).toBe(8);
    expect(shardOf('anything', 1)).toBe(0);
  });

  it('names a value by a short id and stores the value once per item, however many metrics it has', () => {
    const page = 'https://a.example/a-long-path/with/many/segments';
    const update = counterUpdate('Counters', {
      key: { pk: 'p', sk: 's' },
      resolution: 'day',
      bucket: 0,
      amounts: new Map([
        ['n', new Map([[page, 2]])],
        ['xs', new Map([[page, -1]])],
      ]),
    }).Update!;
    expect(counterAttribute('n', page)).toBe(`n.${valueId(page)}`);
    expect(counterAttribute('n', '')).toBe('n');
    expect(update.UpdateExpression).toBe('ADD #a0 :a0, #a1 :a1 SET #v0 = :v0');
    expect(update.ExpressionAttributeNames).toEqual({
      '#v0': `@${valueId(page)}`,
      '#a0': `n.${valueId(page)}`,
      '#a1': `xs.${valueId(page)}`,
    });
    expect(update.ExpressionAttributeValues).toEqual({ ':v0': page, ':a0': 2, ':a1': -1 });
  });

  it('gives minute counters an expiry and keeps hour counters', () => {
    const change = (resolution: 'minute' | 'hour') => ({
      key: { pk: 'p', sk: 's' },
      resolution,
      bucket: t('2026-10-30T10:31:00Z'),
      amounts: new Map([['n', new Map([['', 1]])]]),
    });
    expect(counterUpdate('C', change('minute')).Update!.UpdateExpression).toBe('ADD #a0 :a0 SET #ttl = :ttl');
    expect(counterUpdate('C', change('hour')).Update!.UpdateExpression).toBe('ADD #a0 :a0');
  });
});
