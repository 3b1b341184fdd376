import { describe, expect, it } from 'vitest';
import { queryLimits } from '../../../lambdas/core/settings.js';
import { presetIds, resolveRange, validateCustomRange } from './range.js';
import { type Aggregation, aggregations, countBuckets } from './time.js';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const now = t('2026-11-25T14:05:30Z');

describe('resolveRange for presets', () => {
  it('ends with the bucket that holds now and starts the preset length earlier', () => {
    const range = resolveRange({ kind: 'preset', preset: '24h' }, 'hour', now);
    expect([iso(range.from), iso(range.to)]).toEqual(['2026-11-24T15:00:00.000Z', '2026-11-25T15:00:00.000Z']);
    expect(range.live).toBe(true);
    expect(range.notice).toBeUndefined();
  });

  it('gives the last 24 hours by minute exactly the 1,440 buckets the API allows', () => {
    const range = resolveRange({ kind: 'preset', preset: '24h' }, 'minute', now);
    expect(countBuckets(range.from, range.to, 'minute')).toBe(1440);
    expect(range.notice).toBeUndefined();
  });

  it('takes the last 12 months as twelve calendar months ending with this one', () => {
    const range = resolveRange({ kind: 'preset', preset: '12mo' }, 'month', now);
    expect([iso(range.from), iso(range.to)]).toEqual(['2025-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
  });

  it('shows the whole current day when the last hour is viewed by day', () => {
    const range = resolveRange({ kind: 'preset', preset: '1h' }, 'day', now);
    expect([iso(range.from), iso(range.to)]).toEqual(['2026-11-25T00:00:00.000Z', '2026-11-26T00:00:00.000Z']);
  });

  it.each(presetIds.flatMap((preset) => aggregations.map((aggregation) => [preset, aggregation] as const)))(
    'never asks for more buckets than the API allows (%s by %s)',
    (preset, aggregation: Aggregation) => {
      const range = resolveRange({ kind: 'preset', preset }, aggregation, now);
      expect(countBuckets(range.from, range.to, aggregation)).toBeLessThanOrEqual(queryLimits[aggregation].maxBuckets);
      expect(range.from).toBeLessThan(range.to);
    },
  );

  it('narrows 12 months by hour to the limit, keeps the recent end and says why', () => {
    const range = resolveRange({ kind: 'preset', preset: '12mo' }, 'hour', now);
    expect(iso(range.to)).toBe('2026-11-25T15:00:00.000Z');
    expect(countBuckets(range.from, range.to, 'hour')).toBe(queryLimits.hour.maxBuckets);
    expect(range.notice).toContain(queryLimits.hour.label);
  });
});

describe('resolveRange for a custom range', () => {
  it('widens the range to whole buckets', () => {
    const range = resolveRange({ kind: 'custom', from: t('2026-11-01T10:20:00Z'), to: t('2026-11-03T05:00:00Z') }, 'day', now);
    expect([iso(range.from), iso(range.to)]).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-04T00:00:00.000Z']);
    expect(range.live).toBe(false);
  });

  it('is live when it reaches past now', () => {
    const range = resolveRange({ kind: 'custom', from: t('2026-11-25T00:00:00Z'), to: t('2026-11-30T00:00:00Z') }, 'hour', now);
    expect(range.live).toBe(true);
  });

  it('narrows a range over the limit to its last allowed buckets', () => {
    const range = resolveRange({ kind: 'custom', from: t('2026-01-01T00:00:00Z'), to: t('2026-01-03T00:00:00Z') }, 'minute', now);
    expect([iso(range.from), iso(range.to)]).toEqual(['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']);
    expect(range.notice).toMatch(/at most 24 hours/);
  });
});

describe('validateCustomRange', () => {
  it('asks for both ends', () => {
    expect(validateCustomRange(Number.NaN, t('2026-11-01T00:00:00Z'))).toMatch(/both a start and an end/);
  });
  it('refuses an end before the start', () => {
    expect(validateCustomRange(t('2026-11-02T00:00:00Z'), t('2026-11-01T00:00:00Z'))).toMatch(/after the start/);
  });
  it('accepts an ordered range', () => {
    expect(validateCustomRange(t('2026-11-01T00:00:00Z'), t('2026-11-02T00:00:00Z'))).toBeUndefined();
  });
});
