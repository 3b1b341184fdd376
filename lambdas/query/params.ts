/**
 * The query string of the read routes: which parameters each accepts, the aggregation and the
 * range, with errors that say what was wrong and what is accepted.
 */
import { type Aggregation, aggregations, countBucketsOverlapping } from '../core/domain/buckets.js';
import { BadRequestError } from '../core/http/errors.js';
import { canonicalPageUrl } from '../core/domain/queued-view.js';
import { startOfLocalDay } from '../core/domain/zones.js';
import { type FilterProperty, filterProperties } from './answers.js';
import { lateViewMs, queryLimits } from '../core/settings.js';

/** Repeated or unknown parameters beyond this are refused before anything is read. */
const MAX_QUERY_PARAMETERS = 8;

/** When a range is not given, the last span of this length up to now. */
const defaultSpanMs: Record<Aggregation, number> = {
  minute: 60 * 60_000,
  hour: 24 * 60 * 60_000,
  day: 30 * 24 * 60 * 60_000,
  month: 365 * 24 * 60 * 60_000,
};

export interface RangeQuery {
  aggregation: Aggregation;
  from: number;
  to: number;
  /** The site's time zone: days and months are its local ones. */
  zone: string;
}

// A date (2024-05-01, taken as midnight in the site's zone) or a date-time with an optional offset (UTC when absent).
const isoDatePattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Refuses unknown and too many parameters, naming the route's accepted ones. */
export function checkParameters(
  route: string,
  accepted: readonly string[],
  query: Record<string, string>,
  parameterCount: number,
): void {
  const accepts = accepted.length > 0 ? `accepts ${accepted.join(', ')}` : 'takes no query parameters';
  if (parameterCount > MAX_QUERY_PARAMETERS) {
    throw new BadRequestError(
      `Too many query parameters (${parameterCount}); ${route} ${accepts}${accepted.length > 0 ? ', each once' : ''}.`,
    );
  }
  const unknown = Object.keys(query).filter((name) => !accepted.includes(name));
  if (unknown.length > 0) {
    throw new BadRequestError(
      `Unknown query parameter ${unknown.map((n) => JSON.stringify(n.slice(0, 40))).join(', ')}; ${route} ${accepts}.`,
    );
  }
}

/** `filter=<property>:<value>` (GET /stats, GET /breakdown): only the visits with that value. */
export interface Filter {
  property: FilterProperty;
  value: string;
}

/** The `filter` parameter as the API takes it: a known property and a value (a page as its canonical URL), else 400. */
export function parseFilterParameter(text: string): Filter {
  const colon = text.indexOf(':');
  const property = text.slice(0, Math.max(0, colon)) as FilterProperty;
  let value = text.slice(colon + 1);
  if (colon < 1 || !filterProperties.includes(property) || value === '') {
    throw new BadRequestError(
      `filter must be <property>:<value> with a property among ${filterProperties.join(', ')}, such as source:Google; got ${JSON.stringify(text.slice(0, 60))}.`,
    );
  }
  if (property === 'page') {
    if (!URL.canParse(value))
      throw new BadRequestError(
        'filter=page:<url> takes an absolute http(s) URL of one page, as GET /visits names it.',
      );
    value = canonicalPageUrl(value);
  }
  return { property, value };
}

const formats = ['json', 'csv'] as const;
export type Format = (typeof formats)[number];

/** `format`: JSON unless csv is asked for. GET /visits, /stats and /breakdown accept it. */
export function parseFormat(query: Record<string, string>): Format {
  const format = (query.format ?? 'json') as Format;
  if (!formats.includes(format))
    throw new BadRequestError(
      `format must be one of ${formats.join(', ')}; got ${JSON.stringify(String(query.format).slice(0, 40))}.`,
    );
  return format;
}

/** aggregation, dateFrom and dateTo in the site's zone, with the defaults and limits every read route shares. */
export function parseRange(
  query: Record<string, string>,
  now: number,
  zone: string,
  defaultAggregation: Aggregation = 'hour',
): RangeQuery {
  const aggregation = (query.aggregation ?? defaultAggregation) as Aggregation;
  if (!aggregations.includes(aggregation)) {
    throw new BadRequestError(
      `aggregation must be one of ${aggregations.join(', ')}; got ${JSON.stringify(String(query.aggregation).slice(0, 40))}.`,
    );
  }
  const to = query.dateTo !== undefined ? parseDate('dateTo', query.dateTo, zone) : now;
  const from =
    query.dateFrom !== undefined
      ? parseDate('dateFrom', query.dateFrom, zone)
      : to - defaultSpanMs[aggregation];
  if (from >= to) throw new BadRequestError('dateFrom must be earlier than dateTo.');

  const limit = queryLimits[aggregation];
  const buckets = countBucketsOverlapping(from, to, aggregation, zone);
  if (buckets > limit.maxBuckets) {
    throw new BadRequestError(
      `The range spans ${buckets} ${aggregation} buckets; ${aggregation === 'hour' ? 'an' : 'a'} ${aggregation} query may span at most ${limit.label} (${limit.maxBuckets} buckets). Narrow dateFrom and dateTo or choose a coarser aggregation.`,
    );
  }
  return { aggregation, from, to, zone };
}

function parseDate(name: string, value: string, zone: string): number {
  const match = isoDatePattern.exec(value);
  const dateOnly = match?.[4] === undefined;
  const time =
    match && fieldsInRange(match)
      ? dateOnly
        ? startOfLocalDay(value, zone)
        : Date.parse(match[7] ? value : `${value}Z`)
      : NaN;
  if (!Number.isFinite(time)) {
    throw new BadRequestError(
      `${name} must be an ISO-8601 date or date-time such as 2024-05-01 or 2024-05-01T12:00:00Z; got ${JSON.stringify(value.slice(0, 40))}.`,
    );
  }
  return time;
}

/** Date.parse rolls 2024-02-31 over into March; refuse such dates instead. */
function fieldsInRange(match: RegExpExecArray): boolean {
  const [year, month, day, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((f) => (f === undefined ? undefined : Number(f))) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return (
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

/**
 * Views may arrive up to `lateViewMs` late (buffered beacons), so only a range that ended longer
 * ago than that (and a few minutes of queueing) is final and may be cached.
 */
export function cacheControlFor(q: { to: number }, now: number): string {
  return q.to <= now - lateViewMs - QUEUE_DELAY_MS ? 'private, max-age=3600' : 'no-store';
}

/** Past the late-view window, what may still sit in the queue before it is counted. */
const QUEUE_DELAY_MS = 5 * 60_000;
