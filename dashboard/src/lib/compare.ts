/**
 * The top row's comparison with the previous period of the same length, as Plausible shows it:
 * "+12%", "-3%", or "new" when the previous period had none; the bounce rate, itself a
 * percentage, changes in percentage points. Pure, so every note on screen is unit-tested.
 */
import {
  addDays,
  daysBetween,
  instantOfWallTime,
  localDayOf,
  offsetAt,
  startOfLocalDay,
} from '../../../lambdas/core/domain/zones.js';
import type { StatsTotals } from '../../../lambdas/query/answers.js';
import type { ZonedRange } from './range.js';

const DAY = 86_400_000;

/**
 * The period just before `range`, of as many days of its zone (a day where clocks change lasts
 * 23 or 25 hours, so not of as many hours). While the range is still running (Today, This month)
 * only the part up to now is compared, with the previous period up to the same time of day:
 * half of today against the whole of yesterday would always look like a fall.
 */
export function previousRange(range: ZonedRange, now: number): { from: number; to: number } {
  const { zone } = range;
  const first = localDayOf(range.from, zone);
  const days = daysBetween(first, localDayOf(range.to, zone));
  const from = startOfLocalDay(addDays(first, -days), zone);
  if (now >= range.to) return { from, to: range.from };
  const to = sameWallTimeDaysBefore(Math.max(now, range.from), days, zone);
  // Never empty, even at the first millisecond of a day; never into the range itself.
  return { from, to: Math.min(range.from, Math.max(from + 1, to)) };
}

/** The instant `days` days before `ms` at which the clocks of `zone` show the same time of day. */
function sameWallTimeDaysBefore(ms: number, days: number, zone: string): number {
  return instantOfWallTime(ms + offsetAt(ms, zone) - days * DAY, zone);
}

export interface Change {
  /** As shown: "+12%", "-3%", "0%", "new", "+4 pp". */
  text: string;
  /** For a screen reader: "up 12% from the previous period". */
  label: string;
  direction: 'up' | 'down' | 'same';
}

const previousPeriod = 'from the previous period';

/** How one figure of the top row changed; `points` for a figure that is itself a percentage. */
export function changeOf(current: number, previous: number, points = false): Change {
  if (points) {
    const diff = Math.round(current - previous);
    if (diff === 0) return { text: '0 pp', label: `no change ${previousPeriod}`, direction: 'same' };
    const word = diff > 0 ? 'up' : 'down';
    const size = Math.abs(diff);
    return {
      text: `${diff > 0 ? '+' : '-'}${size} pp`,
      label: `${word} ${size} percentage point${size === 1 ? '' : 's'} ${previousPeriod}`,
      direction: word,
    };
  }
  if (previous === 0) {
    return current === 0
      ? { text: '0%', label: `no change ${previousPeriod}`, direction: 'same' }
      : { text: 'new', label: `new: none in the previous period`, direction: 'up' };
  }
  const percent = Math.round((100 * (current - previous)) / previous);
  if (percent === 0) return { text: '0%', label: `no change ${previousPeriod}`, direction: 'same' };
  const word = percent > 0 ? 'up' : 'down';
  return {
    text: `${percent > 0 ? '+' : '-'}${Math.abs(percent)}%`,
    label: `${word} ${Math.abs(percent)}% ${previousPeriod}`,
    direction: word,
  };
}

/** The change of every figure of the top row. */
export function changes(current: StatsTotals, previous: StatsTotals): Record<keyof StatsTotals, Change> {
  const ids = Object.keys(current) as (keyof StatsTotals)[];
  return Object.fromEntries(
    ids.map((id) => [id, changeOf(current[id], previous[id], id === 'bounce_rate')]),
  ) as Record<keyof StatsTotals, Change>;
}
