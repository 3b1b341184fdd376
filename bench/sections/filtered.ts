/**
 * 8. Breakdowns with a filter: GET /breakdown?filter= reads a range's visitor-days back and counts
 * them, so its reads grow with the range's visitors, not with the answer. This measures how much:
 * visitor-days read per second, read units, and the heap it needs for one day and for three days
 * of the same traffic (the reader hands visitor-days on page by page, so the heap should not grow
 * with the range).
 */
import { randomUUID } from 'node:crypto';
import { consumeBatch } from '../../lambdas/consume/consume.js';
import { queryBreakdown } from '../../lambdas/query/breakdown.js';
import { capturingClient } from '../lib/capture.js';
import type { BenchContext } from '../lib/context.js';
import { percentile } from '../lib/stats.js';
import { makeVisit, pagesOf, toRecord } from '../lib/traffic.js';

export interface FilteredResult {
  days: number;
  visitorDaysInRange: number;
  visitorDaysRead: number;
  rows: number;
  reportedReadUnits: number;
  p50Ms: number;
  visitorDaysPerSecond: number;
  /** Largest heap growth seen while the query ran, in MB. */
  peakHeapMb: number;
}

const DAY = 86_400_000;

export async function measureFilteredBreakdowns(ctx: BenchContext): Promise<FilteredResult[]> {
  const tables = await ctx.freshTables();
  const orgId = randomUUID();
  const visitorsPerDay = ctx.smoke ? 60 : 10_000;
  const pages = pagesOf(20, 'docs.example.org');
  // The last three whole UTC days: visitor-days are kept 30 days, and DynamoDB Local deletes expired items.
  const lastDay = Math.floor(Date.now() / DAY) * DAY - DAY;
  const days = [lastDay - 2 * DAY, lastDay - DAY, lastDay];
  for (const day of days) {
    // Each visitor: three views of one visit, ten minutes apart, somewhere in the day.
    const records = Array.from({ length: visitorsPerDay }, (_, visitor) => {
      const start = day + Math.floor(((visitor + 0.5) / visitorsPerDay) * (DAY - 30 * 60_000));
      return [0, 1, 2].map((k) => toRecord(makeVisit(orgId, pages[(visitor + k) % pages.length]!, start + k * 600_000, visitor, k === 0)));
    }).flat();
    for (let i = 0; i < records.length; i += 500) {
      const outcome = await consumeBatch(records.slice(i, i + 500), { doc: ctx.doc, countersTable: tables.countersTable, visitsTable: tables.visitsTable });
      if (outcome.failedMessageIds.length > 0) throw new Error(`filtered seed: ${outcome.failedMessageIds.length} messages failed`);
    }
    ctx.log(`  8. seeded ${visitorsPerDay} visitor-days on ${new Date(day).toISOString().slice(0, 10)} through the consumer`);
  }

  const capture = capturingClient(ctx.doc);
  const deps = { doc: capture.doc, countersTable: tables.countersTable, visitsTable: tables.visitsTable };
  const repeats = ctx.smoke ? 2 : 5;
  const results: FilteredResult[] = [];
  for (const span of [1, 3]) {
    const q = { property: 'page' as const, filter: { property: 'country' as const, value: 'US' }, limit: 100, aggregation: 'day' as const, from: lastDay - (span - 1) * DAY, to: lastDay + DAY, zone: 'UTC' };
    await queryBreakdown(orgId, q, deps); // warm-up
    capture.reset();
    const times: number[] = [];
    let peakHeap = 0;
    let answer: Awaited<ReturnType<typeof queryBreakdown>> | undefined;
    for (let i = 0; i < repeats; i++) {
      global.gc?.();
      const base = process.memoryUsage().heapUsed;
      const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - base)), 5);
      const started = performance.now();
      answer = await queryBreakdown(orgId, q, deps);
      times.push(performance.now() - started);
      clearInterval(sampler);
    }
    const p50Ms = percentile(times, 50);
    results.push({
      days: span,
      visitorDaysInRange: span * visitorsPerDay,
      visitorDaysRead: answer!.itemsRead,
      rows: answer!.data.length,
      reportedReadUnits: capture.reads.reportedReadUnits / repeats,
      p50Ms,
      visitorDaysPerSecond: (answer!.itemsRead / p50Ms) * 1000,
      peakHeapMb: peakHeap / 2 ** 20,
    });
    const r = results.at(-1)!;
    ctx.log(`  8. filtered page breakdown over ${span} day(s): ${r.visitorDaysRead} visitor-days read in ${r.p50Ms.toFixed(0)} ms, ${r.reportedReadUnits.toFixed(0)} read units, heap +${r.peakHeapMb.toFixed(1)} MB`);
  }
  return results;
}
