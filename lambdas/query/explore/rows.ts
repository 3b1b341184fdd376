/**
 * What the engine answers, from the archive (SQL) or the open days (visitor-days): plain rows
 * that add up, because every figure is a sum over visitor-days and a day is in one place or the
 * other. query/stats.ts and query/breakdown.ts shape them into answers.
 */
import type { Day } from '../../core/domain/zones.js';

/** One day, or one UTC hour of a day (`hour` its start), of the kept visits, in the bucket each began. */
export interface StatsRow {
  day: Day;
  hour: number | null;
  /** Visitor-days with a kept visit in the bucket. */
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  /** Sum of the visits' durations in seconds. */
  duration: number;
}

/** A breakdown value over the kept visits: visitors are visitor-days, summed over days. */
export interface ValueRow {
  value: string;
  visitors: number;
  visits: number;
  pageviews: number;
}

/** An event property's value (or key) over the kept visits' events: GET /breakdown?property=props.<key>. */
export type { PropRow } from '../answers.js';

/** A custom event over the kept visits. */
export interface EventRow {
  value: string;
  visitors: number;
  events: number;
}

export interface GoalsRows {
  rows: EventRow[];
  /** Visitor-days with a kept visit: what conversion rates are relative to. */
  visitors: number;
}

/** Adds rows with the same key. */
export function sumRows<Row extends object>(rows: readonly Row[], keyOf: (row: Row) => string): Row[] {
  const sums = new Map<string, Row>();
  for (const row of rows) {
    const key = keyOf(row);
    const sum = sums.get(key);
    if (!sum) {
      sums.set(key, { ...row });
      continue;
    }
    for (const [field, amount] of Object.entries(row))
      if (typeof amount === 'number' && field !== 'hour')
        (sum as Record<string, number>)[field] = (sum as Record<string, number>)[field]! + amount;
  }
  return [...sums.values()];
}
