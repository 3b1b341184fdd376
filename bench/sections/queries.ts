/**
 * 2. Query cost: items read and latency of minute, hour, day and month queries, for one org with
 * 1x and another with 10x the visits in the same ranges. Every (page, bucket) pair of each range
 * gets 1 visit at 1x and 10 at 10x, so both orgs have exactly the same counters: the items read
 * must be equal, because a query reads counters, not visits.
 */
import { randomUUID } from 'node:crypto';
import { consumeBatch } from '../../lambdas/consume/consume.js';
import type { Aggregation } from '../../lambdas/core/domain/buckets.js';
import type { QueuedView } from '../../lambdas/core/domain/queued-view.js';
import { queryVisits } from '../../lambdas/query/visits.js';
import { capturingClient } from '../lib/capture.js';
import type { BenchContext } from '../lib/context.js';
import { percentile, rng } from '../lib/stats.js';
import { makeVisit, pagesOf, toRecord } from '../lib/traffic.js';

export interface QueryResult {
  aggregation: Aggregation;
  range: string;
  scale: '1x' | '10x';
  visitsInRange: number;
  itemsRead: number;
  rows: number;
  reportedReadUnits: number;
  p50Ms: number;
  p95Ms: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// Minute counters expire after 14 days (TTL), and DynamoDB Local deletes expired items: the
// minute range is the hour before last, whenever the bench runs.
const minuteRangeStart = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;

const queryRanges: { aggregation: Aggregation; from: number; to: number; label: string }[] = [
  { aggregation: 'minute', from: minuteRangeStart, to: minuteRangeStart + HOUR, label: '1 hour' },
  { aggregation: 'hour', from: Date.UTC(2026, 10, 19), to: Date.UTC(2026, 10, 20), label: '1 day' },
  { aggregation: 'day', from: Date.UTC(2026, 9, 21), to: Date.UTC(2026, 10, 20), label: '30 days' },
  { aggregation: 'month', from: Date.UTC(2026, 8, 1), to: Date.UTC(2026, 11, 1), label: '3 months' },
];

/** `perPair` visits in every (page, bucket) pair of each range, all in one random minute of the bucket. */
function datasetFor(orgId: string, pages: string[], perPair: number, smoke: boolean): QueuedView[] {
  const random = rng(7);
  const visits: QueuedView[] = [];
  const minuteDay = Math.floor(queryRanges[0]!.from / DAY) * DAY;
  const spread = (from: number, to: number, size: number) => {
    for (let start = from; start < to; start += size) {
      // The daily visits keep out of the minute range's day, so that only its own visits are in it.
      if (size === DAY && start === minuteDay) continue;
      for (const page of pages) {
        const minute = start + Math.floor((random() * size) / MIN) * MIN;
        for (let k = 0; k < perPair; k++)
          visits.push(makeVisit(orgId, page, minute + Math.floor(random() * MIN), k));
      }
    }
  };
  // The month range's days (which also fill the day range), the hour range's hours, the minute range's minutes.
  spread(Date.UTC(2026, 8, 1), smoke ? Date.UTC(2026, 8, 8) : Date.UTC(2026, 11, 1), DAY);
  spread(queryRanges[1]!.from, smoke ? queryRanges[1]!.from + 6 * HOUR : queryRanges[1]!.to, HOUR);
  spread(queryRanges[0]!.from, smoke ? queryRanges[0]!.from + 10 * MIN : queryRanges[0]!.to, MIN);
  return visits;
}

export async function measureQueries(ctx: BenchContext): Promise<QueryResult[]> {
  const tables = await ctx.freshTables();
  const pages = pagesOf(5, 'docs.example.org');
  const orgs = { '1x': randomUUID(), '10x': randomUUID() } as const;
  const visits: Record<'1x' | '10x', QueuedView[]> = {
    '1x': datasetFor(orgs['1x'], pages, 1, ctx.smoke),
    '10x': datasetFor(orgs['10x'], pages, 10, ctx.smoke),
  };
  for (const scale of ['1x', '10x'] as const) {
    const records = visits[scale].map(toRecord);
    for (let i = 0; i < records.length; i += 500) {
      const outcome = await consumeBatch(records.slice(i, i + 500), {
        doc: ctx.doc,
        countersTable: tables.countersTable,
        visitsTable: tables.visitsTable,
      });
      if (outcome.failedMessageIds.length > 0)
        throw new Error(`query seed: ${outcome.failedMessageIds.length} messages failed`);
    }
    ctx.log(`  2. seeded ${records.length} visits (${scale}) through the consumer`);
  }

  const capture = capturingClient(ctx.doc);
  const deps = { doc: capture.doc, countersTable: tables.countersTable };
  const repeats = ctx.smoke ? 2 : 15;
  const results: QueryResult[] = [];
  for (const range of queryRanges) {
    for (const scale of ['1x', '10x'] as const) {
      const q = { aggregation: range.aggregation, from: range.from, to: range.to, zone: 'UTC' };
      await queryVisits(orgs[scale], q, deps); // warm-up
      capture.reset();
      const times: number[] = [];
      let answer: Awaited<ReturnType<typeof queryVisits>> | undefined;
      for (let i = 0; i < repeats; i++) {
        const started = performance.now();
        answer = await queryVisits(orgs[scale], q, deps);
        times.push(performance.now() - started);
      }
      const rows = Object.values(answer!.data).reduce((n, list) => n + list.length, 0);
      const total = Object.values(answer!.data)
        .flat()
        .reduce((n, r) => n + r.visit_count, 0);
      results.push({
        aggregation: range.aggregation,
        range: range.label,
        scale,
        visitsInRange: total,
        itemsRead: answer!.itemsRead,
        rows,
        reportedReadUnits: capture.reads.reportedReadUnits / repeats,
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
      });
    }
    const [a, b] = results.slice(-2);
    ctx.log(
      `  2. ${range.aggregation} over ${range.label}: items read ${a!.itemsRead} (1x, ${a!.visitsInRange} visits) vs ${b!.itemsRead} (10x, ${b!.visitsInRange} visits)`,
    );
  }
  return results;
}
