import { describe, expect, it } from 'vitest';
import { bucketStart, bucketsOverlapping, countBucketsOverlapping, nextBucket, toIso } from './buckets.js';

const t = (iso: string) => Date.parse(iso);

describe('time buckets', () => {
  it.each([
    ['minute', '2026-03-31T23:59:59.999Z', '2026-03-31T23:59:00.000Z'],
    ['hour', '2026-03-31T23:59:59.999Z', '2026-03-31T23:00:00.000Z'],
    ['day', '2026-03-31T23:59:59.999Z', '2026-03-31T00:00:00.000Z'],
    ['month', '2026-03-31T23:59:59.999Z', '2026-03-01T00:00:00.000Z'],
    ['month', '2024-02-29T12:00:00.000Z', '2024-02-01T00:00:00.000Z'],
    ['day', '1969-12-31T12:00:00.000Z', '1969-12-31T00:00:00.000Z'],
  ] as const)('puts %s of %s at %s', (aggregation, time, start) => {
    expect(toIso(bucketStart(t(time), aggregation))).toBe(start);
  });

  it('steps months by the calendar, across a year end', () => {
    expect(toIso(nextBucket(t('2026-12-01T00:00:00Z'), 'month'))).toBe('2027-01-01T00:00:00.000Z');
    expect(toIso(nextBucket(t('2026-01-01T00:00:00Z'), 'month'))).toBe('2026-02-01T00:00:00.000Z');
  });

  it('counts every bucket that overlaps [from, to), partial ones whole', () => {
    const from = t('2026-10-30T10:30:00Z');
    const to = t('2026-10-30T13:00:00Z');
    expect(bucketsOverlapping(from, to, 'hour').map(toIso)).toEqual(['2026-10-30T10:00:00.000Z', '2026-10-30T11:00:00.000Z', '2026-10-30T12:00:00.000Z']);
    expect(countBucketsOverlapping(from, to, 'hour')).toBe(3);
    expect(countBucketsOverlapping(t('2026-10-31T00:00:00Z'), t('2026-11-01T00:00:01Z'), 'month')).toBe(2);
    expect(countBucketsOverlapping(t('1990-01-01T00:00:00Z'), t('2026-01-01T00:00:00Z'), 'minute')).toBe(13_149 * 1440);
  });
});
