import { describe, expect, it } from 'vitest';
import {
  type Aggregation,
  aggregations,
  countBucketsOverlapping,
} from '../../../lambdas/core/domain/buckets.js';
import { queryLimits } from '../../../lambdas/core/settings.js';
import {
  adjacentPeriod,
  aggregationsFor,
  daysShown,
  type PresetId,
  pickAggregation,
  presetIds,
  resolveRange,
  validateCustomRange,
} from './range.js';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const days = (range: { from: number; to: number }) => [
  iso(range.from).slice(0, 10),
  iso(range.to).slice(0, 10),
];
/** Wednesday 25 Nov 2026, mid-afternoon UTC. */
const now = t('2026-11-25T14:05:30Z');

describe('resolveRange for presets, in UTC', () => {
  it.each<[PresetId, string, string, boolean]>([
    ['today', '2026-11-25', '2026-11-26', true],
    ['yesterday', '2026-11-24', '2026-11-25', false],
    ['7d', '2026-11-19', '2026-11-26', true],
    ['30d', '2026-10-27', '2026-11-26', true],
    ['month', '2026-11-01', '2026-11-26', true],
    ['last-month', '2026-10-01', '2026-11-01', false],
    ['12mo', '2025-12-01', '2026-11-26', true],
  ])('%s covers whole days %s up to %s (live: %s)', (preset, from, to, live) => {
    const range = resolveRange({ kind: 'preset', preset }, now, 'UTC');
    expect(days(range)).toEqual([from, to]);
    expect([iso(range.from).slice(10), iso(range.to).slice(10)]).toEqual([
      'T00:00:00.000Z',
      'T00:00:00.000Z',
    ]);
    expect(range.live).toBe(live);
  });

  it.each([
    ['the first of a month', '2026-03-01T00:00:00Z', 'last-month', '2026-02-01', '2026-03-01'],
    ['the first of January', '2026-01-01T08:00:00Z', 'last-month', '2025-12-01', '2026-01-01'],
    ['the first of January', '2026-01-01T08:00:00Z', 'yesterday', '2025-12-31', '2026-01-01'],
    ['a leap day', '2028-02-29T23:59:59Z', '7d', '2028-02-23', '2028-03-01'],
    ['the last second of a year', '2026-12-31T23:59:59Z', '12mo', '2026-01-01', '2027-01-01'],
  ] as const)('crosses calendar edges on %s (%s, %s)', (_what, at, preset, from, to) => {
    expect(days(resolveRange({ kind: 'preset', preset }, t(at), 'UTC'))).toEqual([from, to]);
  });
});

describe('resolveRange for a custom range', () => {
  it('covers the first day to the end of the last one, both included', () => {
    const range = resolveRange({ kind: 'custom', from: '2026-11-01', to: '2026-11-07' }, now, 'UTC');
    expect([iso(range.from), iso(range.to)]).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-11-08T00:00:00.000Z',
    ]);
    expect(range.live).toBe(false);
  });

  it('is live when it includes today', () => {
    expect(resolveRange({ kind: 'custom', from: '2026-11-20', to: '2026-11-25' }, now, 'UTC').live).toBe(
      true,
    );
  });

  it('gives back its own days for the custom form', () => {
    expect(daysShown(resolveRange({ kind: 'preset', preset: '7d' }, now, 'UTC'))).toEqual({
      from: '2026-11-19',
      to: '2026-11-25',
    });
  });
});

describe("the site's zone decides when a day starts", () => {
  it.each([
    ['UTC', '2026-11-25', '2026-11-25T00:00:00.000Z'],
    ['Asia/Kolkata', '2026-11-25', '2026-11-24T18:30:00.000Z'],
    ['Asia/Kathmandu', '2026-11-25', '2026-11-24T18:15:00.000Z'],
    ['America/New_York', '2026-11-25', '2026-11-25T05:00:00.000Z'],
    // The day daylight saving starts there: midnight is still EST.
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00.000Z'],
    ['Europe/Berlin', '2026-07-01', '2026-06-30T22:00:00.000Z'],
  ])('a day in %s: %s starts at %s', (zone, day, start) => {
    const range = resolveRange({ kind: 'custom', from: day, to: day }, now, zone);
    expect(iso(range.from)).toBe(start);
    expect(range.zone).toBe(zone);
  });

  it('takes "today" in the zone: 14:05 UTC is already the next day in Auckland', () => {
    const range = resolveRange(
      { kind: 'preset', preset: 'today' },
      t('2026-11-25T14:05:30Z'),
      'Pacific/Auckland',
    );
    // Auckland is UTC+13 in November (daylight saving).
    expect([iso(range.from), iso(range.to)]).toEqual([
      '2026-11-25T11:00:00.000Z',
      '2026-11-26T11:00:00.000Z',
    ]);
  });
});

/** The range's instants, as the API is asked for them. */
const instants = (range: { from: number; to: number }) => [iso(range.from), iso(range.to)];
const hours = (range: { from: number; to: number }) => (range.to - range.from) / 3_600_000;

describe('Europe/Berlin across 29 March 2026, when clocks go forward (a day of 23 hours)', () => {
  const zone = 'Europe/Berlin';
  // 14:00 CEST on the 29th.
  const onTheDay = t('2026-03-29T12:00:00Z');

  it('Today runs from midnight CET to midnight CEST', () => {
    const today = resolveRange({ kind: 'preset', preset: 'today' }, onTheDay, zone);
    expect(instants(today)).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(hours(today)).toBe(23);
    expect(today.live).toBe(true);
    expect(daysShown(today)).toEqual({ from: '2026-03-29', to: '2026-03-29' });
  });

  it('Yesterday, seen the next morning, is that short day; the day before it is a whole CET day', () => {
    const nextMorning = t('2026-03-30T08:00:00Z'); // 10:00 CEST on the 30th
    expect(instants(resolveRange({ kind: 'preset', preset: 'yesterday' }, nextMorning, zone))).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
    expect(instants(resolveRange({ kind: 'preset', preset: 'yesterday' }, onTheDay, zone))).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z',
    ]);
  });

  it.each<[PresetId, string, string]>([
    ['7d', '2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ['month', '2026-02-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
    ['last-month', '2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z'],
    ['12mo', '2025-03-31T22:00:00.000Z', '2026-03-29T22:00:00.000Z'],
  ])('%s starts and ends at Berlin midnights, whichever offset each has', (preset, from, to) => {
    expect(instants(resolveRange({ kind: 'preset', preset }, onTheDay, zone))).toEqual([from, to]);
  });

  it('shows the short day by its 23 hours', () => {
    const today = resolveRange({ kind: 'preset', preset: 'today' }, onTheDay, zone);
    expect(countBucketsOverlapping(today.from, today.to, 'hour', zone)).toBe(23);
    expect(pickAggregation({ kind: 'preset', preset: 'today' }, today)).toBe('hour');
  });
});

describe('Europe/Berlin across 25 October 2026, when clocks go back (a day of 25 hours)', () => {
  const zone = 'Europe/Berlin';

  it('Today runs from midnight CEST to midnight CET, and is one day of visitors', () => {
    const today = resolveRange({ kind: 'preset', preset: 'today' }, t('2026-10-25T12:00:00Z'), zone);
    expect(instants(today)).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(hours(today)).toBe(25);
    expect(daysShown(today)).toEqual({ from: '2026-10-25', to: '2026-10-25' });
  });

  it('Yesterday, seen the next morning, is that long day, all 25 hours of it', () => {
    const yesterday = resolveRange({ kind: 'preset', preset: 'yesterday' }, t('2026-10-26T09:00:00Z'), zone);
    expect(instants(yesterday)).toEqual(['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(countBucketsOverlapping(yesterday.from, yesterday.to, 'hour', zone)).toBe(25);
    expect(yesterday.live).toBe(false);
  });

  it('shows a custom range of two days by hour, though they last 49 hours', () => {
    const twoDays = { kind: 'custom', from: '2026-10-25', to: '2026-10-26' } as const;
    const range = resolveRange(twoDays, t('2026-11-02T12:00:00Z'), zone);
    expect(hours(range)).toBe(49);
    expect(pickAggregation(twoDays, range)).toBe('hour');
  });

  it('Last 7 days starts at a CEST midnight and ends at a CET one', () => {
    const week = resolveRange({ kind: 'preset', preset: '7d' }, t('2026-10-27T10:00:00Z'), zone);
    expect(instants(week)).toEqual(['2026-10-20T22:00:00.000Z', '2026-10-27T23:00:00.000Z']);
    expect(daysShown(week)).toEqual({ from: '2026-10-21', to: '2026-10-27' });
  });
});

describe('Asia/Kolkata (+05:30): days start on the half hour of UTC', () => {
  const zone = 'Asia/Kolkata';
  // 00:30 IST on 21 November, while it is still the 20th in UTC.
  const justAfterMidnight = t('2026-11-20T19:00:00Z');

  it.each<[PresetId, string, string, boolean]>([
    ['today', '2026-11-20T18:30:00.000Z', '2026-11-21T18:30:00.000Z', true],
    ['yesterday', '2026-11-19T18:30:00.000Z', '2026-11-20T18:30:00.000Z', false],
  ])('%s is the Kolkata day, not the UTC one: %s to %s', (preset, from, to, live) => {
    const range = resolveRange({ kind: 'preset', preset }, justAfterMidnight, zone);
    expect(instants(range)).toEqual([from, to]);
    expect(range.live).toBe(live);
  });

  it('a custom day is local midnight to local midnight, and shown as that day again', () => {
    const range = resolveRange(
      { kind: 'custom', from: '2026-11-21', to: '2026-11-21' },
      justAfterMidnight,
      zone,
    );
    expect(instants(range)).toEqual(['2026-11-20T18:30:00.000Z', '2026-11-21T18:30:00.000Z']);
    expect(daysShown(range)).toEqual({ from: '2026-11-21', to: '2026-11-21' });
  });
});

describe('aggregations', () => {
  it.each(presetIds.flatMap((preset) => aggregations.map((aggregation) => [preset, aggregation] as const)))(
    'never asks for more buckets than the API allows (%s, %s wanted)',
    (preset, wanted: Aggregation) => {
      const range = resolveRange({ kind: 'preset', preset }, now, 'UTC');
      const aggregation = pickAggregation({ kind: 'preset', preset }, range, wanted);
      expect(countBucketsOverlapping(range.from, range.to, aggregation, range.zone)).toBeLessThanOrEqual(
        queryLimits[aggregation].maxBuckets,
      );
    },
  );

  it.each<[PresetId, Aggregation[]]>([
    ['today', ['minute', 'hour', 'day', 'month']],
    ['7d', ['hour', 'day', 'month']],
    ['30d', ['hour', 'day', 'month']],
    ['12mo', ['day', 'month']],
  ])('offers for %s only what the API answers: %j', (preset, allowed) => {
    expect(aggregationsFor(resolveRange({ kind: 'preset', preset }, now, 'UTC'))).toEqual(allowed);
  });

  it('keeps an allowed choice, and falls back to what suits the range otherwise', () => {
    const week = resolveRange({ kind: 'preset', preset: '7d' }, now, 'UTC');
    expect(pickAggregation({ kind: 'preset', preset: '7d' }, week, 'hour')).toBe('hour');
    expect(pickAggregation({ kind: 'preset', preset: '7d' }, week, 'minute')).toBe('day');
    expect(
      pickAggregation(
        { kind: 'preset', preset: 'today' },
        resolveRange({ kind: 'preset', preset: 'today' }, now, 'UTC'),
      ),
    ).toBe('hour');
  });

  it.each([
    ['2026-11-24', '2026-11-25', 'hour'],
    ['2026-01-01', '2026-11-25', 'day'],
    ['2024-01-01', '2026-11-25', 'month'],
  ])('shows a custom range %s to %s by %s', (from, to, expected) => {
    const selection = { kind: 'custom', from, to } as const;
    expect(pickAggregation(selection, resolveRange(selection, now, 'UTC'))).toBe(expected);
  });
});

describe('validateCustomRange', () => {
  it.each([
    ['', '2026-11-01', /both a first and a last day/],
    ['2026-02-30', '2026-03-01', /both a first and a last day/],
    ['2026-11-02', '2026-11-01', /not be before the first/],
    ['2020-01-01', '2026-11-01', /at most 36 months/],
  ])('refuses %j to %j', (from, to, message) => {
    expect(validateCustomRange(from, to, 'UTC')).toMatch(message);
  });

  it.each([
    ['2026-11-01', '2026-11-01'],
    ['2026-11-01', '2026-11-30'],
  ])('accepts %s to %s', (from, to) => {
    expect(validateCustomRange(from, to, 'UTC')).toBeUndefined();
  });
});

describe('limits counted in the zone, as the API counts them', () => {
  it('takes 36 Berlin months, which overlap 37 UTC months', () => {
    const range = resolveRange(
      { kind: 'custom', from: '2024-01-01', to: '2026-12-31' },
      now,
      'Europe/Berlin',
    );
    expect(countBucketsOverlapping(range.from, range.to, 'month', 'UTC')).toBe(37);
    expect(aggregationsFor(range)).toEqual(['month']);
    expect(validateCustomRange('2024-01-01', '2026-12-31', 'Europe/Berlin')).toBeUndefined();
    expect(validateCustomRange('2023-12-31', '2026-12-31', 'Europe/Berlin')).toMatch(/at most 36 months/);
  });
});

describe('a filtered view', () => {
  const today = resolveRange({ kind: 'preset', preset: 'today' }, Date.UTC(2026, 10, 25, 12), 'UTC');
  it('is not answered by minute: the API filters by hour, day and month', () => {
    expect(aggregationsFor(today)).toContain('minute');
    expect(aggregationsFor(today, true)).toEqual(aggregationsFor(today).filter((a) => a !== 'minute'));
    expect(pickAggregation({ kind: 'preset', preset: 'today' }, today, 'minute', true)).toBe('hour');
    expect(pickAggregation({ kind: 'preset', preset: 'today' }, today, 'minute')).toBe('minute');
  });
});

describe('adjacentPeriod', () => {
  const now = t('2026-12-03T10:00:00Z');

  it('steps back by as many days as are shown, in the site zone, and not forward past today', () => {
    const week = resolveRange({ kind: 'preset', preset: '7d' }, now, 'Europe/Paris');
    expect(adjacentPeriod(week, -1)).toEqual({ kind: 'custom', from: '2026-11-20', to: '2026-11-26' });
    expect(adjacentPeriod(week, 1)).toBeUndefined();
    const today = resolveRange({ kind: 'preset', preset: 'today' }, now, 'UTC');
    expect(adjacentPeriod(today, -1)).toEqual({ kind: 'custom', from: '2026-12-02', to: '2026-12-02' });
  });

  it('steps forward from a past range, up to today', () => {
    const past = resolveRange({ kind: 'custom', from: '2026-11-01', to: '2026-11-10' }, now, 'UTC');
    expect(adjacentPeriod(past, 1)).toEqual({ kind: 'custom', from: '2026-11-11', to: '2026-11-20' });
    expect(adjacentPeriod(past, -1)).toEqual({ kind: 'custom', from: '2026-10-22', to: '2026-10-31' });
  });

  it('offers nothing before the first day the API reads', () => {
    const first = resolveRange({ kind: 'custom', from: '2000-01-01', to: '2000-01-07' }, now, 'UTC');
    expect(adjacentPeriod(first, -1)).toBeUndefined();
  });
});
