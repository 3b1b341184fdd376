/**
 * GET /visits: counts per page and bucket, read from the counters of the matching resolution
 * (a month is the sum of its day counters). A query reads about one item per (page, bucket) in
 * its answer, however many visits there were, and never a finer resolution than it needs.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type Aggregation, type Resolution, aggregations, bucketStart, countBucketsOverlapping, nextBucket, toIso } from '../core/domain/buckets.js';
import { parseCounterSortKey, partitionRanges } from '../core/store/counters.js';
import { BadRequestError } from '../core/http/errors.js';
import { queryLimits } from '../core/settings.js';
import { canonicalPageUrl } from '../core/domain/visit.js';

export interface VisitsQuery {
  aggregation: Aggregation;
  from: number;
  to: number;
  pageUrl?: string;
}

export interface VisitsAnswer {
  data: Record<string, { timeframe: string; visit_count: number }[]>;
}

export const acceptedParameters = ['aggregation', 'dateFrom', 'dateTo', 'pageUrl'] as const;
const MAX_QUERY_PARAMETERS = 8;

/** When a range is not given, the last span of this length up to now. */
const defaultSpanMs: Record<Aggregation, number> = {
  minute: 60 * 60_000,
  hour: 24 * 60 * 60_000,
  day: 30 * 24 * 60 * 60_000,
  month: 365 * 24 * 60 * 60_000,
};

// A date (2024-05-01, taken as UTC midnight) or a date-time with an optional zone (UTC when absent).
const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseVisitsQuery(query: Record<string, string>, parameterCount: number, now: number): VisitsQuery {
  if (parameterCount > MAX_QUERY_PARAMETERS) {
    throw new BadRequestError(`Too many query parameters (${parameterCount}); GET /visits accepts ${acceptedParameters.join(', ')}, each once.`);
  }
  const unknown = Object.keys(query).filter((name) => !(acceptedParameters as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new BadRequestError(`Unknown query parameter ${unknown.map((n) => JSON.stringify(n.slice(0, 40))).join(', ')}; GET /visits accepts ${acceptedParameters.join(', ')}.`);
  }

  const aggregation = (query.aggregation ?? 'hour') as Aggregation;
  if (!aggregations.includes(aggregation)) {
    throw new BadRequestError(`aggregation must be one of ${aggregations.join(', ')}; got ${JSON.stringify(String(query.aggregation).slice(0, 40))}.`);
  }
  const to = query.dateTo !== undefined ? parseDate('dateTo', query.dateTo) : now;
  const from = query.dateFrom !== undefined ? parseDate('dateFrom', query.dateFrom) : to - defaultSpanMs[aggregation];
  if (from >= to) throw new BadRequestError('dateFrom must be earlier than dateTo.');

  const limit = queryLimits[aggregation];
  const buckets = countBucketsOverlapping(from, to, aggregation);
  if (buckets > limit.maxBuckets) {
    throw new BadRequestError(
      `The range spans ${buckets} ${aggregation} buckets; ${aggregation === 'hour' ? 'an' : 'a'} ${aggregation} query may span at most ${limit.label} (${limit.maxBuckets} buckets). Narrow dateFrom and dateTo or choose a coarser aggregation.`,
    );
  }

  let pageUrl: string | undefined;
  if (query.pageUrl !== undefined) {
    if (!URL.canParse(query.pageUrl) || !/^https?:$/.test(new URL(query.pageUrl).protocol)) {
      throw new BadRequestError('pageUrl must be an absolute http(s) URL of one page, as it appears in the results.');
    }
    pageUrl = canonicalPageUrl(query.pageUrl);
  }
  return { aggregation, from, to, ...(pageUrl ? { pageUrl } : {}) };
}

function parseDate(name: string, value: string): number {
  const match = isoDatePattern.exec(value);
  const time = match && fieldsInRange(match) ? Date.parse(match[4] !== undefined && !match[7] ? `${value}Z` : value) : NaN;
  if (!Number.isFinite(time)) {
    throw new BadRequestError(`${name} must be an ISO-8601 date or date-time such as 2024-05-01 or 2024-05-01T12:00:00Z; got ${JSON.stringify(value.slice(0, 40))}.`);
  }
  return time;
}

/** Date.parse rolls 2024-02-31 over into March; refuse such dates instead. */
function fieldsInRange(match: RegExpExecArray): boolean {
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((f) => (f === undefined ? undefined : Number(f))) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return date.getUTCMonth() === month! - 1 && date.getUTCDate() === day && hour <= 23 && minute <= 59 && second <= 59;
}

export interface CounterReader {
  doc: DynamoDBDocumentClient;
  countersTable: string;
}

/** Reads the counters for a query. Also returns how many items it read, for tests and benchmarks. */
export async function queryVisits(orgId: string, q: VisitsQuery, deps: CounterReader): Promise<VisitsAnswer & { itemsRead: number }> {
  const resolution: Resolution = q.aggregation === 'month' ? 'day' : q.aggregation;
  const firstBucket = bucketStart(q.from, q.aggregation);
  // The last bucket that overlaps the range, in counters of the resolution read.
  const lastBucket = q.aggregation === 'month' ? nextBucket(bucketStart(q.to - 1, 'month'), 'month') - 86_400_000 : bucketStart(q.to - 1, resolution);

  const ranges = partitionRanges(orgId, resolution, firstBucket, lastBucket);
  const pages = await Promise.all(ranges.map((range) => readRange(deps, range, q.pageUrl)));

  const counts = new Map<string, Map<string, number>>();
  let itemsRead = 0;
  for (const items of pages) {
    itemsRead += items.scanned;
    for (const { sk, n } of items.items) {
      const { bucket, pageUrl } = parseCounterSortKey(sk);
      const timeframe = q.aggregation === 'month' ? toIso(bucketStart(Date.parse(bucket), 'month')) : bucket;
      const perPage = counts.get(pageUrl) ?? new Map<string, number>();
      perPage.set(timeframe, (perPage.get(timeframe) ?? 0) + n);
      counts.set(pageUrl, perPage);
    }
  }

  const data: VisitsAnswer['data'] = {};
  for (const pageUrl of [...counts.keys()].sort()) {
    data[pageUrl] = [...counts.get(pageUrl)!.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([timeframe, visit_count]) => ({ timeframe, visit_count }));
  }
  return { data, itemsRead };
}

async function readRange(deps: CounterReader, range: { pk: string; fromSk: string; toSk: string }, pageUrl?: string) {
  const items: { sk: string; n: number }[] = [];
  let scanned = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.doc.send(
      new QueryCommand({
        TableName: deps.countersTable,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': range.pk, ':from': range.fromSk, ':to': range.toSk },
        ProjectionExpression: 'sk, n',
        ExclusiveStartKey,
      }),
    );
    scanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) items.push({ sk: item.sk as string, n: Number(item.n) });
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  // Sort keys are bucket first, so one page's counters are read with the others and picked here
  // (a FilterExpression would cost the same reads; it cannot name a key attribute anyway).
  if (pageUrl) return { items: items.filter((i) => parseCounterSortKey(i.sk).pageUrl === pageUrl), scanned };
  return { items, scanned };
}

/**
 * Visits may arrive up to 24 hours late (buffered beacons), so only a range that ended longer
 * ago than that is final and may be cached.
 */
export function cacheControlFor(q: VisitsQuery, now: number, maxPastMs: number): string {
  return q.to <= now - maxPastMs - 5 * 60_000 ? 'private, max-age=3600' : 'no-store';
}
