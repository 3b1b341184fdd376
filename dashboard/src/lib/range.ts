/**
 * Turns what the user picked (a preset or a custom range, and an aggregation) into the exact
 * [from, to) the dashboard asks the API for: aligned to bucket starts, and within the API's
 * per-aggregation limit, so an over-wide view is narrowed and explained instead of refused.
 */
import { queryLimits } from '../../../lambdas/core/settings.js';
import { addBuckets, type Aggregation, ceilToBucket, countBuckets, floorToBucket } from './time.js';

export const presetIds = ['1h', '24h', '7d', '30d', '12mo'] as const;
export type PresetId = (typeof presetIds)[number];

interface Preset {
  label: string;
  /** On the picker's buttons, where the "Range" legend gives the context. */
  shortLabel: string;
  amount: number;
  unit: 'hour' | 'day' | 'month';
  /** What a preset shows when picked, so "12 months" does not arrive as 8,760 hourly points. */
  defaultAggregation: Aggregation;
}

export const presets: Record<PresetId, Preset> = {
  '1h': { label: 'Last hour', shortLabel: '1 hour', amount: 1, unit: 'hour', defaultAggregation: 'minute' },
  '24h': { label: 'Last 24 hours', shortLabel: '24 hours', amount: 24, unit: 'hour', defaultAggregation: 'hour' },
  '7d': { label: 'Last 7 days', shortLabel: '7 days', amount: 7, unit: 'day', defaultAggregation: 'hour' },
  '30d': { label: 'Last 30 days', shortLabel: '30 days', amount: 30, unit: 'day', defaultAggregation: 'day' },
  '12mo': { label: 'Last 12 months', shortLabel: '12 months', amount: 12, unit: 'month', defaultAggregation: 'month' },
};

export function isPresetId(value: unknown): value is PresetId {
  return typeof value === 'string' && (presetIds as readonly string[]).includes(value);
}

export type RangeSelection =
  | { kind: 'preset'; preset: PresetId }
  | { kind: 'custom'; from: number; to: number };

export interface ResolvedRange {
  /** First bucket start (inclusive). */
  from: number;
  /** End of the last bucket (exclusive). */
  to: number;
  /** The range reaches past now, so new visits can still arrive in it. */
  live: boolean;
  /** Set when the range was narrowed to fit the aggregation's limit: says what happened. */
  notice?: string;
}

export const maxBucketsFor = (aggregation: Aggregation): number => queryLimits[aggregation].maxBuckets;

function subtractPreset(to: number, preset: Preset): number {
  if (preset.unit === 'month') {
    const d = new Date(to);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - preset.amount, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
  }
  return to - preset.amount * (preset.unit === 'hour' ? 3_600_000 : 86_400_000);
}

export function resolveRange(selection: RangeSelection, aggregation: Aggregation, now: number): ResolvedRange {
  let from: number;
  let to: number;
  if (selection.kind === 'preset') {
    // Ends with the bucket that holds now, so "last 24 hours" by minute is exactly 1,440 buckets.
    to = addBuckets(floorToBucket(now, aggregation), aggregation, 1);
    from = floorToBucket(subtractPreset(to, presets[selection.preset]), aggregation);
  } else {
    from = floorToBucket(selection.from, aggregation);
    to = Math.max(ceilToBucket(selection.to, aggregation), addBuckets(from, aggregation, 1));
  }

  const limit = queryLimits[aggregation];
  let notice: string | undefined;
  if (countBuckets(from, to, aggregation) > limit.maxBuckets) {
    // Keep the most recent end of the range: it is the part people look at.
    from = addBuckets(to, aggregation, -limit.maxBuckets);
    notice = `By ${aggregation}, a view can cover at most ${limit.label}, so this shows the last ${limit.label} of the range. Pick a coarser aggregation to see all of it.`;
  }
  return { from, to, live: to > now, ...(notice ? { notice } : {}) };
}

/** Checks a custom range typed by the user; returns a message to show, or undefined when fine. */
export function validateCustomRange(from: number, to: number): string | undefined {
  if (Number.isNaN(from) || Number.isNaN(to)) return 'Enter both a start and an end, as date and time in UTC.';
  if (to <= from) return 'The end must be after the start.';
  return undefined;
}
