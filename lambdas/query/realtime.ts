/**
 * GET /realtime: who is on the site now. Reads the minute counters of the last five minutes:
 * a visitor counts in the minute of their latest page view (site.ts, page.ts `current`), so the
 * sum over the window is the exact number of distinct visitors seen in it, each on the page they
 * viewed last.
 */
import { bucketStart } from '../core/domain/buckets.js';
import { pageCounter, pageMetrics } from '../core/counters/page.js';
import { siteCounter, siteMetrics } from '../core/counters/site.js';
import { type CounterReader, readCounters } from '../core/store/counters.js';
import type { RealtimeAnswer } from './answers.js';
import { checkParameters } from './params.js';

/** The minute buckets read: the current one and the four before it. */
const realtimeMinutes = 5;
const MINUTE = 60_000;

export function parseRealtimeQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
): { now: number } {
  checkParameters('GET /realtime', [], query, parameterCount);
  return { now };
}

export async function queryRealtime(
  orgId: string,
  q: { now: number },
  deps: CounterReader,
): Promise<RealtimeAnswer & { itemsRead: number }> {
  const lastBucket = bucketStart(q.now, 'minute');
  const window = {
    resolution: 'minute' as const,
    firstBucket: lastBucket - (realtimeMinutes - 1) * MINUTE,
    lastBucket,
  };
  const [site, pages] = await Promise.all([
    readCounters(deps, { orgId, dimension: siteCounter.dimension, ...window }),
    readCounters(deps, { orgId, dimension: pageCounter.dimension, ...window }),
  ]);
  let visitors = 0;
  let pageviews = 0;
  for (const { metrics } of site.buckets) {
    visitors += metrics.get(siteMetrics.current)?.get('') ?? 0;
    pageviews += metrics.get(siteMetrics.pageviews)?.get('') ?? 0;
  }
  const perPage = new Map<string, number>();
  for (const { metrics } of pages.buckets) {
    for (const [page, n] of metrics.get(pageMetrics.current) ?? [])
      perPage.set(page, (perPage.get(page) ?? 0) + n);
  }
  const rows = [...perPage.entries()]
    .filter(([, n]) => n > 0)
    .map(([value, n]) => ({ value, visitors: n }))
    .sort((a, b) => b.visitors - a.visitors || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { visitors, pageviews, pages: rows, itemsRead: site.itemsRead + pages.itemsRead };
}
