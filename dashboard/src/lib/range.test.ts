import { describe, expect, it } from 'vitest';
import { type Aggregation, aggregations, countBucketsOverlapping } from '../../../lambdas/core/domain/buckets.js';
import { queryLimits } from '../../../lambdas/core/settings.js';
import { aggregationsFor, daysShown, type PresetId, pickAggregation, presetIds, resolveRange, startOfDay, validateCustomRange } from './range.js';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const days = (range: { from: number; to: number }) => [iso(range.from).slice(0, 10), iso(range.to).slice(0, 10)];
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
    expect([iso(range.from).slice(10), iso(range.to).slice(10)]).toEqual(['T00:00:00.000Z', 'T00:00:00.000Z']);
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
    expect([iso(range.from), iso(range.to)]).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-08T00:00:00.000Z']);
    expect(range.live).toBe(false);
  });

  it('is live when it includes today', () => {
    expect(resolveRange({ kind: 'custom', from: '2026-11-20', to: '2026-11-25' }, now, 'UTC').live).toBe(true);
  });

  it('gives back its own days for the custom form', () => {
    expect(daysShown(resolveRange({ kind: 'preset', preset: '7d' }, now, 'UTC'), 'UTC')).toEqual({ from: '2026-11-19', to: '2026-11-25' });
  });
});

describe('the zone decides when a day starts (ready for a site zone)', () => {
  it.each([
    ['UTC', '2026-11-25', '2026-11-25T00:00:00.000Z'],
    ['Asia/Kolkata', '2026-11-25', '2026-11-24T18:30:00.000Z'],
    ['Asia/Kathmandu', '2026-11-25', '2026-11-24T18:15:00.000Z'],
    ['America/New_York', '2026-11-25', '2026-11-25T05:00:00.000Z'],
    // The day daylight saving starts there: midnight is still EST.
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00.000Z'],
    ['Europe/Berlin', '2026-07-01', '2026-06-30T22:00:00.000Z'],
  ])('a day in %s: %s starts at %s', (zone, day, start) => {
    expect(iso(startOfDay(day, zone))).toBe(start);
  });

  it('takes "today" in the zone: 14:05 UTC is already the next day in Auckland', () => {
    const range = resolveRange({ kind: 'preset', preset: 'today' }, t('2026-11-25T14:05:30Z'), 'Pacific/Auckland');
    // Auckland is UTC+13 in November (daylight saving).
    expect([iso(range.from), iso(range.to)]).toEqual(['2026-11-25T11:00:00.000Z', '2026-11-26T11:00:00.000Z']);
  });
});

describe('aggregations', () => {
  it.each(presetIds.flatMap((preset) => aggregations.map((aggregation) => [preset, aggregation] as const)))(
    'never asks for more buckets than the API allows (%s, %s wanted)',
    (preset, wanted: Aggregation) => {
      const range = resolveRange({ kind: 'preset', preset }, now, 'UTC');
      const aggregation = pickAggregation({ kind: 'preset', preset }, range, wanted);
      expect(countBucketsOverlapping(range.from, range.to, aggregation)).toBeLessThanOrEqual(queryLimits[aggregation].maxBuckets);
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
    expect(pickAggregation({ kind: 'preset', preset: 'today' }, resolveRange({ kind: 'preset', preset: 'today' }, now, 'UTC'))).toBe('hour');
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

describe('a filtered view', () => {
  const today = resolveRange({ kind: 'preset', preset: 'today' }, Date.UTC(2026, 10, 25, 12), 'UTC');
  it('is not answered by minute: the API filters by hour, day and month', () => {
    expect(aggregationsFor(today)).toContain('minute');
    expect(aggregationsFor(today, true)).toEqual(aggregationsFor(today).filter((a) => a !== 'minute'));
    expect(pickAggregation({ kind: 'preset', preset: 'today' }, today, 'minute', true)).toBe('hour');
    expect(pickAggregation({ kind: 'preset', preset: 'today' }, today, 'minute')).toBe('minute');
  });
});
