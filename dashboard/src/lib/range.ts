/**
 * Ranges as site owners think of them (Today, Last 7 days, Last month, ...) turned into the exact
 * [from, to) the dashboard asks the API for. Every range is whole days in the site's zone (GET
 * /site), the days its counters are cut in: totals, chart and tables always cover the same span.
 * The day arithmetic is the API's own (lambdas/core/domain/zones.ts), so both cut days alike.
 */
import {
  type Aggregation,
  aggregations,
  countBucketsOverlapping,
} from '../../../lambdas/core/domain/buckets.js';
import {
  addDays,
  type Day,
  firstOfMonth,
  localDayOf,
  startOfLocalDay,
} from '../../../lambdas/core/domain/zones.js';
import { queryLimits } from '../../../lambdas/core/settings.js';

export type { Day };

export const presetIds = ['today', 'yesterday', '7d', '30d', 'month', 'last-month', '12mo'] as const;
export type PresetId = (typeof presetIds)[number];

export const presets: Record<PresetId, { label: string; defaultAggregation: Aggregation }> = {
  today: { label: 'Today', defaultAggregation: 'hour' },
  yesterday: { label: 'Yesterday', defaultAggregation: 'hour' },
  '7d': { label: 'Last 7 days', defaultAggregation: 'day' },
  '30d': { label: 'Last 30 days', defaultAggregation: 'day' },
  month: { label: 'This month', defaultAggregation: 'day' },
  'last-month': { label: 'Last month', defaultAggregation: 'day' },
  '12mo': { label: 'Last 12 months', defaultAggregation: 'month' },
};

export function isPresetId(value: unknown): value is PresetId {
  return typeof value === 'string' && (presetIds as readonly string[]).includes(value);
}

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(value: unknown): value is Day {
  const match = typeof value === 'string' ? dayPattern.exec(value) : null;
  return Boolean(match) && new Date(`${value as string}T00:00:00Z`).toISOString().startsWith(value as string);
}

export type RangeSelection =
  | { kind: 'preset'; preset: PresetId }
  /** First and last day shown, both included. */
  | { kind: 'custom'; from: Day; to: Day };

/** Whole days of `zone` as instants: what every read of a range is asked for. */
export interface ZonedRange {
  /** Start of the first day (inclusive), epoch ms. */
  from: number;
  /** Start of the day after the last one (exclusive). */
  to: number;
  /** The IANA zone the days were cut in: the site's. */
  zone: string;
}

export interface ResolvedRange extends ZonedRange {
  /** The range reaches past now, so new views can still arrive in it. */
  live: boolean;
}

/** First day and the day after the last, for a selection, seen from `today`. */
function daysOf(selection: RangeSelection, today: Day): { first: Day; end: Day } {
  if (selection.kind === 'custom') return { first: selection.from, end: addDays(selection.to, 1) };
  const tomorrow = addDays(today, 1);
  switch (selection.preset) {
    case 'today':
      return { first: today, end: tomorrow };
    case 'yesterday':
      return { first: addDays(today, -1), end: today };
    // "Last N days" includes today, as in Umami: the live numbers are the ones people look for.
    case '7d':
      return { first: addDays(today, -6), end: tomorrow };
    case '30d':
      return { first: addDays(today, -29), end: tomorrow };
    case 'month':
      return { first: firstOfMonth(today, 0), end: tomorrow };
    case 'last-month':
      return { first: firstOfMonth(today, -1), end: firstOfMonth(today, 0) };
    case '12mo':
      // This month and the eleven before it, so the month chart has twelve bars.
      return { first: firstOfMonth(today, -11), end: tomorrow };
  }
}

/** The one place a selection becomes instants: whole days of `zone`, the site's, seen from `now`. */
export function resolveRange(selection: RangeSelection, now: number, zone: string): ResolvedRange {
  const { first, end } = daysOf(selection, localDayOf(now, zone));
  const from = startOfLocalDay(first, zone);
  const to = startOfLocalDay(end, zone);
  return { from, to, zone, live: to > now };
}

/** The first and last day a range shows, both included: what a custom range form starts from. */
export function daysShown(range: ZonedRange): { from: Day; to: Day } {
  return { from: localDayOf(range.from, range.zone), to: localDayOf(range.to - 1, range.zone) };
}

/**
 * The aggregations the API answers for this range (each has a bucket limit), finest first. A
 * filtered view is not answered by minute: filters are counted by hour, day and month only.
 */
export function aggregationsFor(range: ZonedRange, filtered = false): Aggregation[] {
  // Counted as the API counts them: a month of the site's zone may start mid-way through a UTC day.
  return aggregations.filter(
    (a) =>
      !(filtered && a === 'minute') &&
      countBucketsOverlapping(range.from, range.to, a, range.zone) <= queryLimits[a].maxBuckets,
  );
}

/** What to show a range by: the one asked for when the API allows it, else what suits the range. */
export function pickAggregation(
  selection: RangeSelection,
  range: ZonedRange,
  wanted?: Aggregation,
  filtered = false,
): Aggregation {
  const allowed = aggregationsFor(range, filtered);
  if (wanted && allowed.includes(wanted)) return wanted;
  // Days, not hours: a day where clocks change lasts 23 or 25 hours.
  const suited: Aggregation =
    selection.kind === 'preset'
      ? presets[selection.preset].defaultAggregation
      : countBucketsOverlapping(range.from, range.to, 'day', range.zone) <= 2
        ? 'hour'
        : 'day';
  return allowed.includes(suited) ? suited : (allowed.at(-1) ?? 'month');
}

/** Checks a custom range typed by the user; returns a message to show, or undefined when fine. */
export function validateCustomRange(from: string, to: string, zone: string): string | undefined {
  if (!isDay(from) || !isDay(to)) return 'Enter both a first and a last day.';
  if (to < from) return 'The last day must not be before the first.';
  const range = { from: startOfLocalDay(from, zone), to: startOfLocalDay(addDays(to, 1), zone), zone };
  if (aggregationsFor(range).length === 0) return `A range can cover at most ${queryLimits.month.label}.`;
  return undefined;
}
