/**
 * From visitor-days to counter updates. Every counter is a sum over visitor-days of what each
 * contributes, so a visitor-day that gains views changes the counters by (what it contributes
 * now) minus (what it contributed before). The difference may be negative: a late view that
 * joins two visits removes one. Whatever order views arrive in, the counters end where they
 * would have been had every view arrived at once.
 */
import { type Resolution, bucketStart } from '../domain/buckets.js';
import { type VisitorDay, visitsOf } from '../domain/visitor-day.js';
import { type CounterChange, counterItemKey, shardOf, storedValue } from '../store/counters.js';
import type { CounterDefinition } from './definition.js';
import { counterDefinitions } from './index.js';

/** Counter changes keyed by item (`pk|sk`), so a transaction updates each item once. */
export type CounterChanges = Map<string, CounterChange>;

export function counterChanges(
  before: VisitorDay | undefined,
  after: VisitorDay,
  definitions: readonly CounterDefinition[] = counterDefinitions,
): CounterChanges {
  const changes: CounterChanges = new Map();
  const visitsBefore = before ? visitsOf(before.views) : [];
  const visitsAfter = visitsOf(after.views);
  for (const definition of definitions) {
    for (const resolution of definition.resolutions) {
      const bucketOf = (time: number) => bucketStart(time, resolution, after.zone);
      const amounts = new Map<string, { bucket: number; value: string; metric: string; amount: number }>();
      const add = (sign: number, rows: ReturnType<CounterDefinition['rows']>) => {
        for (const row of rows) {
          const key = `${row.bucket}\u0000${row.value}\u0000${row.metric}`;
          const entry = amounts.get(key) ?? { ...row, amount: 0 };
          entry.amount += sign * row.amount;
          amounts.set(key, entry);
        }
      };
      if (before) add(-1, definition.rows(before, visitsBefore, resolution, bucketOf));
      add(1, definition.rows(after, visitsAfter, resolution, bucketOf));
      for (const row of amounts.values()) {
        if (row.amount === 0) continue;
        addToChanges(changes, after.orgId, definition, resolution, row);
      }
    }
  }
  return changes;
}

function addToChanges(
  changes: CounterChanges,
  orgId: string,
  definition: CounterDefinition,
  resolution: Resolution,
  row: { bucket: number; value: string; metric: string; amount: number },
): void {
  const key = counterItemKey(
    orgId,
    definition.dimension,
    resolution,
    row.bucket,
    shardOf(row.value, definition.shards[resolution]),
  );
  const id = `${key.pk}|${key.sk}`;
  let change = changes.get(id);
  if (!change) {
    change = { key, resolution, bucket: row.bucket, amounts: new Map() };
    changes.set(id, change);
  }
  const byValue = change.amounts.get(row.metric) ?? new Map<string, number>();
  change.amounts.set(row.metric, byValue);
  const value = storedValue(definition.dimension, row.value);
  byValue.set(value, (byValue.get(value) ?? 0) + row.amount);
}

/** Adds `from` into `into` (both keyed by item); amounts that cancel out are dropped. */
export function mergeChanges(into: CounterChanges, from: CounterChanges): void {
  for (const [id, change] of from) {
    const target = into.get(id);
    if (!target) {
      into.set(id, {
        ...change,
        amounts: new Map([...change.amounts].map(([m, byValue]) => [m, new Map(byValue)])),
      });
      continue;
    }
    for (const [metric, byValue] of change.amounts) {
      const targetByValue = target.amounts.get(metric) ?? new Map<string, number>();
      target.amounts.set(metric, targetByValue);
      for (const [value, amount] of byValue) {
        const sum = (targetByValue.get(value) ?? 0) + amount;
        if (sum === 0) targetByValue.delete(value);
        else targetByValue.set(value, sum);
      }
    }
  }
}
