import { describe, expect, it } from 'vitest';
import type { StatsTotals } from '../../../lambdas/query/answers.js';
import { changeOf, changes, previousRange } from './compare.js';

const day = 86_400_000;

describe('previousRange', () => {
  it('is the period of the same length just before a finished range', () => {
    const week = { from: 10 * day, to: 17 * day, zone: 'UTC' };
    expect(previousRange(week, 20 * day)).toEqual({ from: 3 * day, to: 10 * day });
  });

  it('compares a running range up to now with the same part of the period before', () => {
    const today = { from: 10 * day, to: 11 * day, zone: 'UTC' };
    expect(previousRange(today, 10 * day + 6 * 3_600_000)).toEqual({
      from: 9 * day,
      to: 9 * day + 6 * 3_600_000,
    });
  });

  it('never gives an empty range, even at the first millisecond of a day', () => {
    const r = previousRange({ from: 10 * day, to: 11 * day, zone: 'UTC' }, 10 * day);
    expect(r.to).toBeGreaterThan(r.from);
  });
});

describe("previousRange in the site's zone", () => {
  const t = (iso: string) => Date.parse(iso);
  const isoOf = (r: { from: number; to: number }) => [
    new Date(r.from).toISOString(),
    new Date(r.to).toISOString(),
  ];

  it('compares Today in Berlin with the day before up to the same time on the clock, across the change to CEST', () => {
    // 30 March 2026, 10:00 CEST; the 29th was 23 hours long.
    const today = { from: t('2026-03-29T22:00:00Z'), to: t('2026-03-30T22:00:00Z'), zone: 'Europe/Berlin' };
    expect(isoOf(previousRange(today, t('2026-03-30T08:00:00Z')))).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T08:00:00.000Z',
    ]);
  });

  it('compares a day of 23 hours with the whole day before it, of 24', () => {
    const shortDay = {
      from: t('2026-03-28T23:00:00Z'),
      to: t('2026-03-29T22:00:00Z'),
      zone: 'Europe/Berlin',
    };
    expect(isoOf(previousRange(shortDay, t('2026-03-30T08:00:00Z')))).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-28T23:00:00.000Z',
    ]);
  });

  it('compares the week after 25 October with the seven Berlin days before, from midnight CEST', () => {
    const week = { from: t('2026-10-25T23:00:00Z'), to: t('2026-11-01T23:00:00Z'), zone: 'Europe/Berlin' };
    expect(isoOf(previousRange(week, t('2026-11-05T12:00:00Z')))).toEqual([
      '2026-10-18T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
  });

  it('compares Today in Kolkata with yesterday from its midnight, on the half hour of UTC', () => {
    const today = { from: t('2026-11-20T18:30:00Z'), to: t('2026-11-21T18:30:00Z'), zone: 'Asia/Kolkata' };
    expect(isoOf(previousRange(today, t('2026-11-20T19:00:00Z')))).toEqual([
      '2026-11-19T18:30:00.000Z',
      '2026-11-19T19:00:00.000Z',
    ]);
  });
});

describe('changeOf', () => {
  it.each([
    [112, 100, '+12%', 'up 12% from the previous period', 'up'],
    [97, 100, '-3%', 'down 3% from the previous period', 'down'],
    [5, 0, 'new', 'new: none in the previous period', 'up'],
    [0, 0, '0%', 'no change from the previous period', 'same'],
    [0, 8, '-100%', 'down 100% from the previous period', 'down'],
    [1001, 1000, '0%', 'no change from the previous period', 'same'],
    [3, 1, '+200%', 'up 200% from the previous period', 'up'],
  ])('%d against %d is %s', (current, previous, text, label, direction) => {
    expect(changeOf(current, previous)).toEqual({ text, label, direction });
  });

  it.each([
    [45, 40, '+5 pp', 'up 5 percentage points from the previous period', 'up'],
    [40, 41, '-1 pp', 'down 1 percentage point from the previous period', 'down'],
    [30, 0, '+30 pp', 'up 30 percentage points from the previous period', 'up'],
    [50, 50, '0 pp', 'no change from the previous period', 'same'],
  ])('a rate of %d%% against %d%% is %s', (current, previous, text, label, direction) => {
    expect(changeOf(current, previous, true)).toEqual({ text, label, direction });
  });
});

describe('changes', () => {
  it('gives every figure its change, the bounce rate in points', () => {
    const totals = (visitors: number, bounce_rate: number): StatsTotals => ({
      visitors,
      visits: visitors,
      pageviews: 2 * visitors,
      bounces: 0,
      bounce_rate,
      visit_duration: 60,
      views_per_visit: 2,
      bots: 0,
    });
    const result = changes(totals(24, 50), totals(20, 25));
    expect(result.visitors.text).toBe('+20%');
    expect(result.pageviews.text).toBe('+20%');
    expect(result.bounce_rate.text).toBe('+25 pp');
    expect(result.visit_duration.text).toBe('0%');
  });
});
