/**
 * Display formats. Every time on screen is UTC and labelled so: the API's buckets are UTC
 * buckets, and a "day" shown in local time would not be the day that was counted.
 */
import type { Aggregation } from '../../../lambdas/core/domain/buckets.js';

const pad = (n: number) => String(n).padStart(2, '0');
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parts(ms: number) {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: monthNames[d.getUTCMonth()] ?? '',
    day: d.getUTCDate(),
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  };
}

/** A bucket as a person reads it, at the precision of its aggregation, e.g. "25 Nov 14:05". */
export function formatBucket(bucketStart: number, aggregation: Aggregation): string {
  const p = parts(bucketStart);
  switch (aggregation) {
    case 'minute':
    case 'hour':
      return `${p.day} ${p.month} ${p.time}`;
    case 'day':
      return `${p.day} ${p.month} ${p.year}`;
    case 'month':
      return `${p.month} ${p.year}`;
  }
}

/** A moment with date and time, e.g. "25 Nov 2026 14:05 UTC". */
export function formatMoment(ms: number): string {
  const p = parts(ms);
  return `${p.day} ${p.month} ${p.year} ${p.time} UTC`;
}

/** Whole days [from, to) as a person reads them: "25 Nov 2026", or "1 Nov 2026 – 7 Nov 2026". */
export function formatDays(from: number, to: number): string {
  const day = (ms: number) => {
    const p = parts(ms);
    return `${p.day} ${p.month} ${p.year}`;
  };
  const last = to - 86_400_000;
  return last <= from ? day(from) : `${day(from)} – ${day(last)}`;
}

/** A time of day with seconds, e.g. "14:05:09 UTC": when the numbers were last refreshed. */
export function formatClock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** The value of an `<input type="datetime-local">` that the user reads as UTC. */
export function toUtcInputValue(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

/** Reads an `<input type="datetime-local">` value as UTC; NaN when it is empty or invalid. */
export function fromUtcInputValue(value: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? Date.parse(`${value}:00Z`) : Number.NaN;
}

const numberFormat = new Intl.NumberFormat('en-US');
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** A visit duration in seconds, as Plausible writes it: "45s", "1m 05s", "1h 02m 05s". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** A whole percentage, e.g. the bounce rate: "42%". */
export function formatPercent(n: number): string {
  return `${numberFormat.format(n)}%`;
}

const ratioFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
/** A ratio such as views per visit: "1.5", "2", "1.25". */
export function formatRatio(n: number): string {
  return ratioFormat.format(n);
}

/** A page URL without its scheme, short enough for a legend: "example.com/pricing". */
export function shortPageLabel(pageUrl: string): string {
  try {
    const url = new URL(pageUrl);
    return `${url.host}${url.pathname === '/' && !url.search ? '/' : url.pathname}${url.search}`;
  } catch {
    return pageUrl;
  }
}

/**
 * A chart axis tick in UTC, 24-hour clock: the month where a month starts, the date where a day
 * starts, otherwise the time, so a tick never needs more than one short line.
 */
export function formatTimeTick(ms: number): string {
  const p = parts(ms);
  if (p.time !== '00:00') return p.time;
  return p.day === 1 ? `${p.month} ${p.year}` : `${p.day} ${p.month}`;
}
