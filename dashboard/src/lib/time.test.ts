import { describe, expect, it } from 'vitest';
import { addBuckets, bucketStarts, ceilToBucket, countBuckets, floorToBucket, isAggregation } from './time.js';

const t = (iso: string) => Date.parse(iso);

describe('floorToBucket', () => {
  it.each([
    ['minute', '2026-11-25T14:05:59.999Z', '2026-11-25T14:05:00.000Z'],
    ['hour', '2026-11-25T14:05:59.999Z', '2026-11-25T14:00:00.000Z'],
    ['day', '2026-11-25T23:59:59.999Z', '2026-11-25T00:00:00.000Z'],
    ['month', '2026-11-25T14:05:00.000Z', '2026-11-01T00:00:00.000Z'],
  ] as const)('floors to the UTC %s start', (aggregation, input, expected) => {
    expect(new Date(floorToBucket(t(input), aggregation)).toISOString()).toBe(expected);
  });
});

describe('ceilToBucket', () => {
  it('leaves a bucket start where it is', () => {
    expect(ceilToBucket(t('2026-11-01T00:00:00Z'), 'month')).toBe(t('2026-11-01T00:00:00Z'));
  });
  it('moves any later moment to the next bucket start', () => {
    expect(ceilToBucket(t('2026-12-01T00:00:00.001Z'), 'month')).toBe(t('2027-01-01T00:00:00Z'));
    expect(ceilToBucket(t('2026-11-25T14:00:01Z'), 'hour')).toBe(t('2026-11-25T15:00:00Z'));
  });
});

describe('addBuckets', () => {
  it('steps calendar months across a year boundary, both ways', () => {
    expect(addBuckets(t('2026-11-01T00:00:00Z'), 'month', 3)).toBe(t('2027-02-01T00:00:00Z'));
    expect(addBuckets(t('2026-02-01T00:00:00Z'), 'month', -12)).toBe(t('2025-02-01T00:00:00Z'));
  });
  it('steps fixed-size buckets by their length', () => {
    expect(addBuckets(t('2026-11-25T00:00:00Z'), 'day', -30)).toBe(t('2026-10-26T00:00:00Z'));
  });
});

describe('countBuckets', () => {
  it('counts every bucket that overlaps the range, partial ones whole', () => {
    expect(countBuckets(t('2026-11-25T10:30:00Z'), t('2026-11-25T12:10:00Z'), 'hour')).toBe(3);
    expect(countBuckets(t('2026-11-25T00:00:00Z'), t('2026-11-26T00:00:00Z'), 'minute')).toBe(1440);
    expect(countBuckets(t('2025-12-15T00:00:00Z'), t('2026-02-01T00:00:00Z'), 'month')).toBe(2);
  });
  it('is zero for an empty or reversed range', () => {
    expect(countBuckets(t('2026-11-25T00:00:00Z'), t('2026-11-25T00:00:00Z'), 'day')).toBe(0);
    expect(countBuckets(t('2026-11-26T00:00:00Z'), t('2026-11-25T00:00:00Z'), 'day')).toBe(0);
  });
});

describe('bucketStarts', () => {
  it('lists each bucket start once, ascending, including the partial first bucket', () => {
    expect(bucketStarts(t('2026-10-15T00:00:00Z'), t('2027-01-01T00:00:00Z'), 'month').map((s) => new Date(s).toISOString())).toEqual([
      '2026-10-01T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
  });
  it('agrees with countBuckets', () => {
    const [from, to] = [t('2026-11-25T10:30:00Z'), t('2026-11-27T12:10:00Z')];
    expect(bucketStarts(from, to, 'hour')).toHaveLength(countBuckets(from, to, 'hour'));
  });
});

it('recognises only the four aggregations', () => {
  expect(['minute', 'hour', 'day', 'month'].every(isAggregation)).toBe(true);
  expect(isAggregation('week')).toBe(false);
  expect(isAggregation(undefined)).toBe(false);
});
