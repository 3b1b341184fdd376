/**
 * The rows of a table answer (GET /breakdown, its goals): one accumulator that sums them per value,
 * fed either from counters (each metric's amount per value) or from visitor-days read back one at
 * a time (a visitor-day counted once per value), and the order and cut every table shares.
 */
import type { ReportedBucket } from './range.js';

export type TableRow<Field extends string> = { value: string } & Record<Field, number>;

export class RowTally<Field extends string> {
  private readonly byValue = new Map<string, TableRow<Field>>();
  private visitorCounted = new Set<string>();

  constructor(private readonly fields: readonly Field[]) {}

  /** Adds `amount` to the value's `field`, starting its row at zeros. */
  add(value: string, field: Field, amount: number): void {
    let row = this.byValue.get(value);
    if (!row) {
      row = { value, ...Object.fromEntries(this.fields.map((f) => [f, 0])) } as TableRow<Field>;
      this.byValue.set(value, row);
    }
    (row as Record<Field, number>)[field] += amount;
  }

  /** Starts the next visitor-day (visitor-day path). */
  nextVisitorDay(): void {
    this.visitorCounted = new Set();
  }

  /** Counts the current visitor-day once in the value's `field`, however many of its visits or events have it. */
  addVisitor(value: string, field: Field): void {
    if (this.visitorCounted.has(value)) return;
    this.visitorCounted.add(value);
    this.add(value, field, 1);
  }

  /** Counter path: each field's metric, read from every bucket, summed per value. */
  addCounters(buckets: readonly ReportedBucket[], metricOf: Partial<Record<Field, string>>): void {
    for (const { metrics } of buckets)
      for (const field of this.fields) {
        const metric = metricOf[field];
        if (metric === undefined) continue;
        for (const [value, amount] of metrics.get(metric) ?? []) this.add(value, field, amount);
      }
  }

  rows(): TableRow<Field>[] {
    return [...this.byValue.values()];
  }
}

/** Sorted by visitors (descending), then value; the first `limit`. */
export function topRows<Row extends { value: string; visitors: number }>(rows: Row[], limit: number): Row[] {
  return rows
    .sort((a, b) => b.visitors - a.visitors || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, limit);
}
