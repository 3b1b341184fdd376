/**
 * Ranges as site owners think of them (Today, Last 7 days, Last month, ...) turned into the exact
 * [from, to) the dashboard asks the API for. Every range is whole days in the site's zone: the
 * breakdowns count whole days anyway, so totals, chart and tables always cover the same span.
 * The zone is a parameter of `resolveRange` alone: UTC until sites have a zone of their own.
 */
import { type Aggregation, aggregations, countBucketsOverlapping } from '../../../lambdas/core/domain/buckets.js';
import { queryLimits } from '../../../lambdas/core/settings.js';

/** The zone that days are cut in. Counters are UTC today; a site's own IANA zone comes later. */
export const siteZone = 'UTC';

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

/** A calendar day as written, `2026-11-25`, with no zone: the zone decides when it starts. */
export type Day = string;
const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(value: unknown): value is Day {
  const match = typeof value === 'string' ? dayPattern.exec(value) : null;
  return Boolean(match) && new Date(`${value as string}T00:00:00Z`).toISOString().startsWith(value as string);
}

export type RangeSelection =
  | { kind: 'preset'; preset: PresetId }
  /** First and last day shown, both included. */
  | { kind: 'custom'; from: Day; to: Day };

export interface ResolvedRange {
  /** Start of the first day (inclusive), epoch ms. */
  from: number;
  /** Start of the day after the last one (exclusive). */
  to: number;
  /** The range reaches past now, so new views can still arrive in it. */
  live: boolean;
}

// Calendar arithmetic on days, done on a UTC clock only because it has no daylight saving.
const dayOf = (ms: number): Day => new Date(ms).toISOString().slice(0, 10);
const utcOf = (day: Day): number => Date.parse(`${day}T00:00:00Z`);
export const addDays = (day: Day, count: number): Day => dayOf(utcOf(day) + count * 86_400_000);
function firstOfMonth(day: Day, monthsLater: number): Day {
  const d = new Date(utcOf(day));
  return dayOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsLater, 1));
}

/** The day it is at `ms` in `zone`. */
export function dayIn(ms: number, zone: string): Day {
  if (zone === 'UTC') return dayOf(ms);
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** The moment `day` starts in `zone`. */
export function startOfDay(day: Day, zone: string): number {
  const asUtc = utcOf(day);
  if (zone === 'UTC') return asUtc;
  // Shift by the zone's offset, then once more in case that crossed a daylight-saving change.
  const first = asUtc - offsetAt(asUtc, zone);
  return asUtc - offsetAt(first, zone);
}

/** How far `zone`'s wall clock is ahead of UTC at `ms`. */
function offsetAt(ms: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(ms)
      .map((p) => [p.type, Number(p.value)]),
  );
  const wall = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** First day and the day after the last, for a selection, seen from `today`. */
export function daysOf(selection: RangeSelection, today: Day): { first: Day; end: Day } {
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

/** The one place a selection becomes instants: swap `zone` for the site's zone when sites have one. */
export function resolveRange(selection: RangeSelection, now: number, zone: string = siteZone): ResolvedRange {
  const { first, end } = daysOf(selection, dayIn(now, zone));
  const from = startOfDay(first, zone);
  const to = startOfDay(end, zone);
  return { from, to, live: to > now };
}

/** The first and last day a range shows, both included: what a custom range form starts from. */
export function daysShown(range: { from: number; to: number }, zone: string = siteZone): { from: Day; to: Day } {
  return { from: dayIn(range.from, zone), to: dayIn(range.to - 1, zone) };
}

/**
 * The aggregations the API answers for this range (each has a bucket limit), finest first. A
 * filtered view is not answered by minute: filters are counted by hour, day and month only.
 */
export function aggregationsFor(range: { from: number; to: number }, filtered = false): Aggregation[] {
  return aggregations.filter((a) => !(filtered && a === 'minute') && countBucketsOverlapping(range.from, range.to, a) <= queryLimits[a].maxBuckets);
}

/** What to show a range by: the one asked for when the API allows it, else what suits the range. */
export function pickAggregation(selection: RangeSelection, range: { from: number; to: number }, wanted?: Aggregation, filtered = false): Aggregation {
  const allowed = aggregationsFor(range, filtered);
  if (wanted && allowed.includes(wanted)) return wanted;
  const suited: Aggregation =
    selection.kind === 'preset' ? presets[selection.preset].defaultAggregation : range.to - range.from <= 2 * 86_400_000 ? 'hour' : 'day';
  return allowed.includes(suited) ? suited : (allowed.at(-1) ?? 'month');
}

/** Checks a custom range typed by the user; returns a message to show, or undefined when fine. */
export function validateCustomRange(from: string, to: string, zone: string = siteZone): string | undefined {
  if (!isDay(from) || !isDay(to)) return 'Enter both a first and a last day.';
  if (to < from) return 'The last day must not be before the first.';
  const range = { from: startOfDay(from, zone), to: startOfDay(addDays(to, 1), zone) };
  if (aggregationsFor(range).length === 0) return `A range can cover at most ${queryLimits.month.label}.`;
  return undefined;
}
