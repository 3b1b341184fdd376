/**
 * GET /visits: page views per page and bucket, the original service's answer. Reads the page
 * counters of the matching resolution (a month is the sum of its days): about one item per
 * shard and bucket in the answer, however many views there were.
 */
import { toIso } from '../core/domain/buckets.js';
import { canonicalPageUrl } from '../core/domain/queued-view.js';
import { BadRequestError } from '../core/http/errors.js';
import { pageCounter, pageMetrics } from '../core/counters/page.js';
import type { CounterReader } from '../core/store/counters.js';
import type { VisitsAnswer } from './answers.js';
import { type RangeQuery, checkParameters, parseRange } from './params.js';
import { readRange, storedBuckets } from './range.js';

export interface VisitsQuery extends RangeQuery {
  pageUrl?: string;
}

const visitsParameters = ['aggregation', 'dateFrom', 'dateTo', 'pageUrl', 'format'] as const;

export function parseVisitsQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
): VisitsQuery {
  checkParameters('GET /visits', visitsParameters, query, parameterCount);
  const range = parseRange(query, now, zone);
  if (query.pageUrl === undefined) return range;
  if (!URL.canParse(query.pageUrl) || !/^https?:$/.test(new URL(query.pageUrl).protocol)) {
    throw new BadRequestError(
      'pageUrl must be an absolute http(s) URL of one page, as it appears in the results.',
    );
  }
  return { ...range, pageUrl: canonicalPageUrl(query.pageUrl) };
}

/** Reads the counters for a query. Also returns how many items it read, for tests and benchmarks. */
export async function queryVisits(
  orgId: string,
  q: VisitsQuery,
  deps: CounterReader,
): Promise<VisitsAnswer & { itemsRead: number }> {
  const { buckets, itemsRead } = await readRange(deps, orgId, pageCounter.dimension, storedBuckets(q));
  const counts = new Map<string, Map<number, number>>();
  for (const { timeframe, metrics } of buckets) {
    for (const [pageUrl, n] of metrics.get(pageMetrics.pageviews) ?? []) {
      if (n === 0 || (q.pageUrl !== undefined && pageUrl !== q.pageUrl)) continue;
      const perPage = counts.get(pageUrl) ?? new Map<number, number>();
      perPage.set(timeframe, (perPage.get(timeframe) ?? 0) + n);
      counts.set(pageUrl, perPage);
    }
  }
  const data: VisitsAnswer['data'] = {};
  for (const pageUrl of [...counts.keys()].sort()) {
    data[pageUrl] = [...counts.get(pageUrl)!.entries()]
      .sort(([a], [b]) => a - b)
      .map(([time, visit_count]) => ({ timeframe: toIso(time), visit_count }));
  }
  return { data, itemsRead };
}
