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
    expect(bucketsOverlapping(from, to, 'hour').map(toIso)).toEqual([
      '2026-10-30T10:00:00.000Z',
      '2026-10-30T11:00:00.000Z',
      '2026-10-30T12:00:00.000Z',
    ]);
    expect(countBucketsOverlapping(from, to, 'hour')).toBe(3);
    expect(countBucketsOverlapping(t('2026-10-31T00:00:00Z'), t('2026-11-01T00:00:01Z'), 'month')).toBe(2);
    expect(countBucketsOverlapping(t('1990-01-01T00:00:00Z'), t('2026-01-01T00:00:00Z'), 'minute')).toBe(
      13_149 * 1440,
    );
  });
});

describe('days and months in a site zone', () => {
  const days = (from: string, to: string, zone: string) =>
    bucketsOverlapping(t(from), t(to), 'day', zone).map(toIso);

  it('cuts Europe/Berlin days at local midnight, 23 hours on the spring change and 25 on the autumn one', () => {
    expect(days('2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z', 'Europe/Berlin')).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
    expect(days('2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z', 'Europe/Berlin')).toEqual([
      '2026-10-23T22:00:00.000Z',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
    // 01:30 UTC on 29 March is 03:30 summer time, still 29 March in Berlin.
    expect(toIso(bucketStart(t('2026-03-29T01:30:00Z'), 'day', 'Europe/Berlin'))).toBe(
      '2026-03-28T23:00:00.000Z',
    );
    expect(toIso(nextBucket(t('2026-10-24T22:00:00Z'), 'day', 'Europe/Berlin'))).toBe(
      '2026-10-25T23:00:00.000Z',
    );
  });

  it('cuts Asia/Kolkata days on the half hour of UTC', () => {
    expect(toIso(bucketStart(t('2026-11-25T18:29:59Z'), 'day', 'Asia/Kolkata'))).toBe(
      '2026-11-24T18:30:00.000Z',
    );
    expect(toIso(bucketStart(t('2026-11-25T18:30:00Z'), 'day', 'Asia/Kolkata'))).toBe(
      '2026-11-25T18:30:00.000Z',
    );
    expect(toIso(bucketStart(t('2026-11-30T20:00:00Z'), 'month', 'Asia/Kolkata'))).toBe(
      '2026-11-30T18:30:00.000Z',
    );
  });

  it('starts a day where clocks skip midnight at the change (America/Santiago, 6 September 2026)', () => {
    // 00:00 -04 becomes 01:00 -03: the day begins at 04:00 UTC.
    expect(toIso(bucketStart(t('2026-09-06T12:00:00Z'), 'day', 'America/Santiago'))).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('steps local months and counts local days and months', () => {
    expect(toIso(nextBucket(t('2026-10-31T23:00:00Z'), 'month', 'Europe/Berlin'))).toBe(
      '2026-11-30T23:00:00.000Z',
    );
    expect(toIso(bucketStart(t('2026-03-31T22:30:00Z'), 'month', 'Europe/Berlin'))).toBe(
      '2026-03-31T22:00:00.000Z',
    );
    expect(
      countBucketsOverlapping(t('2026-03-27T23:00:00Z'), t('2026-03-30T22:00:00Z'), 'day', 'Europe/Berlin'),
    ).toBe(3);
    expect(
      countBucketsOverlapping(t('2026-03-27T23:00:00Z'), t('2026-04-01T00:00:00Z'), 'month', 'Europe/Berlin'),
    ).toBe(2);
    // Hours stay UTC hours in any zone.
    expect(toIso(bucketStart(t('2026-11-25T18:45:00Z'), 'hour', 'Asia/Kolkata'))).toBe(
      '2026-11-25T18:00:00.000Z',
    );
  });
});
