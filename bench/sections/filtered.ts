/**
 * 8. Breakdowns with a filter: GET /breakdown?filter= reads a range's visitor-days back and counts
 * them, so its reads grow with the range's visitors, not with the answer. This measures how much:
 * visitor-days read per second, read units, and the heap it needs for one day and for three days
 * of the same traffic (the reader hands visitor-days on page by page, so the heap should not grow
 * with the range).
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dimsOf } from '../../lambdas/core/domain/queued-view.js';
import type { VisitorDay } from '../../lambdas/core/domain/visitor-day.js';
import { utc } from '../../lambdas/core/domain/zones.js';
import { eventHash, forEachVisitorDay, visitorDayPut } from '../../lambdas/core/store/visitor-days.js';
import { queryBreakdown } from '../../lambdas/query/breakdown.js';
import { capturingClient } from '../lib/capture.js';
import type { BenchContext } from '../lib/context.js';
import { percentile } from '../lib/stats.js';
import { makeVisit, pagesOf } from '../lib/traffic.js';

export interface FilteredResult {
  days: number;
  visitorDaysInRange: number;
  visitorDaysRead: number;
  rows: number;
  reportedReadUnits: number;
  p50Ms: number;
  visitorDaysPerSecond: number;
  /** Largest live heap (after a full GC) seen while the query ran, above the heap before it, in MB. */
  liveHeapMb: number;
  /** The live heap of the range's visitor-days held at once, as a reader that returned them all would, in MB. */
  heldHeapMb: number;
}

const DAY = 86_400_000;
const MB = 2 ** 20;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A UTC day's visitor-days: each visitor one visit of three views, ten minutes apart, with what
 * ingest derives (a country on every view, a source on the first).
 */
export function benchVisitorDays(orgId: string, day: number, visitors: number): VisitorDay[] {
  const pages = pagesOf(20, 'docs.example.org');
  return Array.from({ length: visitors }, (_, visitor) => {
    const start = day + Math.floor(((visitor + 0.5) / visitors) * (DAY - 30 * 60_000));
    const visits = [0, 1, 2].map((k) =>
      makeVisit(orgId, pages[(visitor + k) % pages.length]!, start + k * 600_000, visitor, k === 0),
    );
    return {
      orgId,
      day: dayOf(day),
      zone: utc,
      visitorId: visits[0]!.visitorId,
      views: visits.map((visit) => ({
        time: Date.parse(visit.visitedAt),
        page: visit.pageUrl,
        hash: eventHash(orgId, visit.eventId),
        kind: 'pageview' as const,
        dims: dimsOf(visit),
      })),
    };
  });
}

/**
 * A day of visitor-days written as the consumer writes them (its own item encoding), straight
 * into the table: the counters play no part in a filtered breakdown, and the consumer would
 * take minutes for 30,000 of them on 2 cores.
 */
export async function seedDay(
  ctx: BenchContext,
  visitsTable: string,
  orgId: string,
  day: number,
  visitors: number,
  /** Only the views before this instant (a day still under way). */
  until = Number.POSITIVE_INFINITY,
): Promise<void> {
  const items = benchVisitorDays(orgId, day, visitors)
    .map((visitorDay) => ({ ...visitorDay, views: visitorDay.views.filter((view) => view.time <= until) }))
    .filter((visitorDay) => visitorDay.views.length > 0)
    .map((visitorDay) => visitorDayPut(visitsTable, visitorDay, 0).Put!.Item!);
  const batches = Array.from({ length: Math.ceil(items.length / 25) }, (_, i) =>
    items.slice(i * 25, i * 25 + 25),
  );
  let next = 0;
  const writer = async () => {
    for (let batch = batches[next++]; batch; batch = batches[next++]) {
      let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
        [visitsTable]: batch.map((Item) => ({ PutRequest: { Item } })),
      };
      while (request && Object.keys(request).length > 0)
        request = (await ctx.doc.send(new BatchWriteCommand({ RequestItems: request })))
          .UnprocessedItems as typeof request;
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
}

/** The heap in use after a full collection (the bench runs with --expose-gc; without it, the heap as it stands). */
function liveHeap(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed;
}

export async function measureFilteredBreakdowns(ctx: BenchContext): Promise<FilteredResult[]> {
  const tables = await ctx.freshTables();
  const orgId = randomUUID();
  const visitorsPerDay = ctx.smoke ? 60 : 10_000;
  // The last three whole UTC days: visitor-days are kept 30 days, and DynamoDB Local deletes expired items.
  const lastDay = Math.floor(Date.now() / DAY) * DAY - DAY;
  for (const day of [lastDay - 2 * DAY, lastDay - DAY, lastDay]) {
    await seedDay(ctx, tables.visitsTable, orgId, day, visitorsPerDay);
    ctx.log(`  8. wrote ${visitorsPerDay} visitor-days on ${dayOf(day)}`);
  }

  const capture = capturingClient(ctx.doc);
  const deps = { doc: capture.doc, countersTable: tables.countersTable, visitsTable: tables.visitsTable };
  const repeats = ctx.smoke ? 2 : 5;
  const results: FilteredResult[] = [];
  for (const span of [1, 3]) {
    const q = {
      property: 'page' as const,
      filters: [{ property: 'country' as const, operator: 'is' as const, values: ['US'] }],
      now: Date.now(),
      limit: 100,
      aggregation: 'day' as const,
      from: lastDay - (span - 1) * DAY,
      to: lastDay + DAY,
      zone: utc,
    };
    await queryBreakdown(orgId, q, deps); // warm-up
    capture.reset();
    const times: number[] = [];
    let answer: Awaited<ReturnType<typeof queryBreakdown>> | undefined;
    for (let i = 0; i < repeats; i++) {
      const started = performance.now();
      answer = await queryBreakdown(orgId, q, deps);
      times.push(performance.now() - started);
    }
    const reportedReadUnits = capture.reads.reportedReadUnits / repeats;

    // Memory, in runs of their own (a full GC at every sample would distort the times above).
    const before = liveHeap();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, liveHeap())), 20);
    await queryBreakdown(orgId, q, deps);
    clearInterval(sampler);
    const held: VisitorDay[] = [];
    const beforeHeld = liveHeap();
    const days = Array.from({ length: span }, (_, k) => dayOf(q.from + k * DAY));
    await forEachVisitorDay(deps, orgId, days, (visitorDay) => held.push(visitorDay));
    const heldHeapMb = (liveHeap() - beforeHeld) / MB;
    held.length = 0;

    const p50Ms = percentile(times, 50);
    results.push({
      days: span,
      visitorDaysInRange: span * visitorsPerDay,
      visitorDaysRead: answer!.itemsRead,
      rows: answer!.data.length,
      reportedReadUnits,
      p50Ms,
      visitorDaysPerSecond: (answer!.itemsRead / p50Ms) * 1000,
      liveHeapMb: (peak - before) / MB,
      heldHeapMb,
    });
    const r = results.at(-1)!;
    ctx.log(
      `  8. filtered page breakdown over ${span} day(s): ${r.visitorDaysRead} visitor-days read in ${r.p50Ms.toFixed(0)} ms, ${r.reportedReadUnits.toFixed(0)} read units, live heap +${r.liveHeapMb.toFixed(1)} MB (holding them: ${r.heldHeapMb.toFixed(1)} MB)`,
    );
  }
  return results;
}
