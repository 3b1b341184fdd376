/**
 * The seam every counter goes through. A counter definition says which dimension it counts
 * (the whole site, a page, later a source or a country), at which resolutions, over how many
 * items a bucket's values are spread, and what one visitor-day adds to it. The consumer loops
 * over the definitions to turn views into counter updates; the query reads a dimension back by
 * name. Adding a metric or a dimension is one definition in one file (see ARCHITECTURE.md).
 */
import type { Resolution } from '../domain/buckets.js';
import { type Visit, type VisitorDay, isBounce } from '../domain/visitor-day.js';

/** One number a visitor-day adds to a counter: `amount` of `metric` for `value` in the bucket starting at `bucket`. */
export interface CounterRow {
  bucket: number;
  /** The dimension's value ('' for the whole site). */
  value: string;
  /** Short metric code; the attribute name in the counter item (items are billed by size). */
  metric: string;
  amount: number;
}

export interface CounterDefinition {
  /** Part of the counter's partition key, and the name the query reads it by. */
  dimension: string;
  resolutions: readonly Resolution[];
  /**
   * How many items one bucket's values are spread over (by a hash of the value). Packing many
   * small values into one item makes a batch update a few items instead of one per value; more
   * shards keep each item small as the number of values grows. Readers sum every shard.
   */
  shards: Readonly<Record<Resolution, number>>;
  /** What one visitor-day (and its visits, already computed) adds at one resolution. */
  rows(
    day: VisitorDay,
    visits: readonly Visit[],
    resolution: Resolution,
    bucketOf: (time: number) => number,
  ): CounterRow[];
}

/** Adds `amount` to the row of (bucket, value, metric), creating it on first use. */
export function tally(
  rows: Map<string, CounterRow>,
  bucket: number,
  value: string,
  metric: string,
  amount = 1,
): void {
  const key = `${bucket}\u0000${value}\u0000${metric}`;
  const row = rows.get(key);
  if (row) row.amount += amount;
  else rows.set(key, { bucket, value, metric, amount });
}

/**
 * The metric codes of every dimension that counts visits (the whole site, pages, visit
 * properties, events), so GET /stats reads the site or any filter's dimension the same way.
 */
export const visitMetrics = {
  pageviews: 'n',
  /** Visitor-days. */
  visitors: 'u',
  /** Visits, in the bucket of their first page view. */
  visits: 's',
  /** Visits with exactly one page view and no custom event. */
  bounces: 'b',
  /** Sum of visit durations in seconds. */
  duration: 'd',
} as const;

/** A visit's count, bounce and duration under `value`, in the bucket it began. */
export function tallyVisit(rows: Map<string, CounterRow>, bucket: number, value: string, visit: Visit): void {
  tally(rows, bucket, value, visitMetrics.visits);
  if (isBounce(visit)) tally(rows, bucket, value, visitMetrics.bounces);
  tally(rows, bucket, value, visitMetrics.duration, visit.durationSeconds);
}

/** A tally that counts each (bucket, value, metric) once: for distinct visitor-days. */
export function tallyOnce(
  rows: Map<string, CounterRow>,
): (bucket: number, value: string, metric: string) => void {
  const seen = new Set<string>();
  return (bucket, value, metric) => {
    const key = `${bucket}\u0000${value}\u0000${metric}`;
    if (seen.has(key)) return;
    seen.add(key);
    tally(rows, bucket, value, metric);
  };
}
