/**
 * 1. Write units per visit for three traffic shapes, the visits fed to the real consumer in the
 * batches Lambda's event source would make of them (batch size and window from the settings).
 */
import { randomUUID } from 'node:crypto';
import { consumeBatch } from '../../lambdas/consume/consume.js';
import { pageCounter } from '../../lambdas/core/counters/page.js';
import { siteCounter } from '../../lambdas/core/counters/site.js';
import { queueSettings } from '../../lambdas/core/settings.js';
import { capturingClient } from '../lib/capture.js';
import type { BenchContext } from '../lib/context.js';
import { rng } from '../lib/stats.js';
import { type TimedVisit, eventSourceBatches, makeVisit, pagesOf, toRecord } from '../lib/traffic.js';

export interface WriteShapeResult {
  shape: string;
  description: string;
  visits: number;
  /** Queue messages per page view: 2 with engagement on (the view and its engagement). */
  messagesPerVisit: number;
  batches: number;
  meanBatch: number;
  transactions: number;
  /** Items written per visit (raw record + counter updates). */
  actionsPerVisit: number;
  counterUpdatesPerVisit: number;
  /** Computed from item sizes: what DynamoDB would charge. */
  wcuPerVisit: number;
  /** As DynamoDB Local reported (under-reports transactions). */
  reportedWcuPerVisit: number;
  /** The consumer's strongly consistent reads of visitor-days, computed from item sizes. */
  rcuPerVisit: number;
  /** Of wcuPerVisit, the visitor-day puts (and past-the-cap ledger records). */
  putWcuPerVisit: number;
  meanPutBytes: number;
  meanCounterBytes: number;
  /** Wall time of consumeBatch per batch against DynamoDB Local, ms. */
  msPerBatch: number;
}

interface Shape {
  shape: string;
  description: string;
  pages: number;
  pollers?: number;
  arrivals: (random: () => number) => number[];
  /** Only the visitor model's counters (the whole site and pages), views without sources or devices. */
  visitorModelOnly?: boolean;
  /** tracker.full.js: each page view followed by its engagement (POST /engagement), 5 to 60 s later. */
  engagement?: boolean;
}

/** The visitor model alone: what issue 12 prices, before sources and devices. */
const visitorModelCounters = [siteCounter, pageCounter];

const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);

function shapes(smoke: boolean): Shape[] {
  const trickleSeconds = smoke ? 20 : 120;
  const steadySeconds = smoke ? 4 : 30;
  const burstVisits = smoke ? 1000 : 5000;
  const evenly = (count: number, perSecond: number, random: () => number) =>
    Array.from({ length: count }, (_, i) => T0 + Math.floor((i + random()) * (1000 / perSecond)));
  return [
    {
      shape: 'trickle',
      description: `1 visit/s over 5 pages for ${trickleSeconds} s`,
      pages: 5,
      arrivals: (r) => evenly(trickleSeconds, 1, r),
    },
    {
      shape: 'steady',
      description: `50 visits/s over 50 pages for ${steadySeconds} s`,
      pages: 50,
      arrivals: (r) => evenly(steadySeconds * 50, 50, r),
    },
    {
      shape: 'steady, visitor model only',
      description:
        'the same steady traffic, counting only the whole site and pages (visitors, visits, bounces, durations, entry and exit pages): no sources or devices',
      pages: 50,
      visitorModelOnly: true,
      arrivals: (r) => evenly(steadySeconds * 50, 50, r),
    },
    {
      shape: 'steady, engagement on',
      description:
        'the same steady traffic with tracker.full.js: each page view followed, 5 to 60 s later, by its time on page and scroll depth (a second message); figures per page view',
      pages: 50,
      engagement: true,
      arrivals: (r) => evenly(steadySeconds * 50, 50, r),
    },
    {
      shape: 'steady, 5 pollers',
      description:
        'the same steady traffic shared by 5 event-source pollers (Lambda starts 5 for a standard queue)',
      pages: 50,
      pollers: 5,
      arrivals: (r) => evenly(steadySeconds * 50, 50, r),
    },
    {
      shape: 'burst',
      description: `${burstVisits.toLocaleString('en-US')} visits at 2,500/s over 50 pages: full batches of ${queueSettings.batchSize}`,
      pages: 50,
      arrivals: (r) => evenly(burstVisits, 2500, r),
    },
    {
      shape: 'burst, one page',
      description: `${burstVisits.toLocaleString('en-US')} visits at 2,500/s, 90% on one page (a link going viral)`,
      pages: 0,
      arrivals: (r) => evenly(burstVisits, 2500, r),
    },
  ];
}

export async function measureWrites(ctx: BenchContext): Promise<WriteShapeResult[]> {
  const results: WriteShapeResult[] = [];
  for (const shape of shapes(ctx.smoke)) {
    const tables = await ctx.freshTables();
    const capture = capturingClient(ctx.doc);
    const random = rng(42);
    const orgId = randomUUID();
    const pages = pagesOf(shape.pages || 50);
    const seen = new Set<number>();
    const timed: TimedVisit[] = shape.arrivals(random).map((arrival, i) => {
      const page =
        shape.pages === 0 && random() < 0.9 ? pages[1]! : pages[Math.floor(random() * pages.length)]!;
      const visitor = i % 997;
      const first = !seen.has(visitor);
      seen.add(visitor);
      // A beacon reaches the queue some tens of milliseconds after the page view.
      return {
        arrival: arrival + 40,
        visit: makeVisit(orgId, page, arrival, visitor, first, !shape.visitorModelOnly),
      };
    });
    const pageViews = timed.length;
    if (shape.engagement)
      for (const { arrival, visit } of timed.slice(0, pageViews)) {
        const at = arrival + 5_000 + Math.floor(random() * 55_000);
        timed.push({
          arrival: at,
          visit: {
            ...visit,
            eventId: randomUUID(),
            visitedAt: new Date(at).toISOString(),
            engagement: {
              viewId: visit.eventId,
              seconds: Math.round((at - arrival) / 1000),
              scrollDepth: 60,
            },
          },
        });
      }
    const batches = eventSourceBatches(timed, {
      batchSize: queueSettings.batchSize,
      windowMs: queueSettings.batchingWindowSeconds * 1000,
      pollers: shape.pollers,
    });
    let counted = 0;
    let actions = 0;
    let reported = 0;
    const started = performance.now();
    for (const batch of batches) {
      const outcome = await consumeBatch(batch.map(toRecord), {
        doc: capture.doc,
        countersTable: tables.countersTable,
        visitsTable: tables.visitsTable,
        ...(shape.visitorModelOnly ? { definitions: visitorModelCounters } : {}),
      });
      if (outcome.failedMessageIds.length > 0)
        throw new Error(`${shape.shape}: ${outcome.failedMessageIds.length} messages failed`);
      counted += outcome.counted;
      actions += outcome.writeActions;
      reported += outcome.reportedWriteUnits;
    }
    const elapsed = performance.now() - started;
    const w = capture.writes;
    if (counted !== timed.length || actions !== w.actions)
      throw new Error(
        `${shape.shape}: counted ${counted} of ${timed.length}, ${actions} actions vs ${w.actions} captured`,
      );
    // Per page view: an engagement is part of the view it reports on.
    const views = pageViews;
    results.push({
      shape: shape.shape,
      description: shape.description,
      visits: views,
      messagesPerVisit: counted / views,
      batches: batches.length,
      meanBatch: counted / batches.length,
      transactions: w.transactions,
      actionsPerVisit: w.actions / views,
      counterUpdatesPerVisit: w.updates / views,
      wcuPerVisit: w.computedUnits / views,
      reportedWcuPerVisit: reported / views,
      rcuPerVisit: capture.reads.computedGetUnits / views,
      putWcuPerVisit: w.computedPutUnits / views,
      meanPutBytes: w.putBytes / Math.max(1, w.puts),
      meanCounterBytes: w.updateBytes / Math.max(1, w.updates),
      msPerBatch: elapsed / batches.length,
    });
    ctx.log(
      `  1. ${shape.shape}: ${views} visits, ${(w.computedUnits / views).toFixed(2)} WCU/visit (DynamoDB Local reported ${(reported / views).toFixed(2)}), ${(capture.reads.computedGetUnits / views).toFixed(2)} RCU/visit`,
    );
  }
  return results;
}
