/**
 * The top row's comparison with the previous period of the same length, as Plausible shows it:
 * "+12%", "-3%", or "new" when the previous period had none; the bounce rate, itself a
 * percentage, changes in percentage points. Pure, so every note on screen is unit-tested.
 */
import type { StatsTotals } from '../../../lambdas/query/answers.js';

/**
 * The period just before `range`, of the same length. While the range is still running (Today,
 * This month) only the part up to now is compared, with the same part of the previous period:
 * half of today against the whole of yesterday would always look like a fall.
 */
export function previousRange(range: { from: number; to: number }, now: number): { from: number; to: number } {
  const span = range.to - range.from;
  const elapsed = Math.min(span, Math.max(now - range.from, 1));
  return { from: range.from - span, to: range.from - span + elapsed };
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
    return { text: `${diff > 0 ? '+' : '-'}${size} pp`, label: `${word} ${size} percentage point${size === 1 ? '' : 's'} ${previousPeriod}`, direction: word };
  }
  if (previous === 0) {
    return current === 0 ? { text: '0%', label: `no change ${previousPeriod}`, direction: 'same' } : { text: 'new', label: `new: none in the previous period`, direction: 'up' };
  }
  const percent = Math.round((100 * (current - previous)) / previous);
  if (percent === 0) return { text: '0%', label: `no change ${previousPeriod}`, direction: 'same' };
  const word = percent > 0 ? 'up' : 'down';
  return { text: `${percent > 0 ? '+' : '-'}${Math.abs(percent)}%`, label: `${word} ${Math.abs(percent)}% ${previousPeriod}`, direction: word };
}

/** The change of every figure of the top row. */
export function changes(current: StatsTotals, previous: StatsTotals): Record<keyof StatsTotals, Change> {
  const ids = Object.keys(current) as (keyof StatsTotals)[];
  return Object.fromEntries(ids.map((id) => [id, changeOf(current[id], previous[id], id === 'bounce_rate')])) as Record<keyof StatsTotals, Change>;
}
