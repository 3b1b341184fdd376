/**
 * The one place the dashboard talks to the API. Every failure becomes an `ApiError` whose
 * `kind` decides what the person is told to do next (sign in again, narrow the range, wait).
 */
import type { RangeQuery as ServerRangeQuery } from '../../../lambdas/query/params.js';
import type {
  BreakdownAnswer,
  BreakdownProperty,
  GoalsAnswer,
  SiteAnswer,
  StatsAnswer,
} from '../../../lambdas/query/answers.js';
import { csvFileName } from '../../../lambdas/core/http/csv.js';
import { type Filter, filterText } from './filter.js';
import { parseGoalsAnswer } from './goals.js';
import { parseRealtimeAnswer, type RealtimeAnswer } from './realtime.js';
import { parseSiteAnswer } from './site.js';
import { parseBreakdownAnswer, parseStatsAnswer } from './stats.js';

export type ApiErrorKind =
  | 'unreachable' // no answer at all: network down, API stopped, CORS refused
  | 'unknown-key' // 401
  | 'forbidden-key' // 403: not a read key, or revoked
  | 'bad-request' // 400: the API's message says what was wrong
  | 'throttled' // 429
  | 'server'; // 5xx or an answer that is not the documented shape

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The range of a read, as the query function takes it; GET /stats may also take filters (all must hold). */
export type RangeQuery = Pick<ServerRangeQuery, 'aggregation' | 'from' | 'to'> & {
  filters?: readonly Filter[] | undefined;
};
/** GET /breakdown's query for one table (`event`: the goals). */
export interface BreakdownQuery<Property extends BreakdownProperty = BreakdownProperty> {
  property: Property;
  from: number;
  to: number;
  limit: number;
  /** Only the visits every filter keeps. */
  filters?: readonly Filter[] | undefined;
}

export interface FetchOptions {
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  /** GET unless said (PUT and DELETE /segments), with a JSON body for PUT. */
  method?: 'GET' | 'PUT' | 'DELETE';
  body?: string;
}

/** A route's URL; a parameter given a list repeats (`step=a&step=b`). */
export function apiUrlOf(
  apiUrl: string,
  path: '/stats' | '/breakdown' | '/realtime' | '/site' | '/segments' | '/funnel' | '/funnels',
  params: Record<string, string | readonly string[]>,
  filters: readonly Filter[] = [],
): string {
  const search = new URLSearchParams(
    Object.entries(params).flatMap(([name, value]) => [value].flat().map((v) => [name, v])),
  );
  // One `filter` parameter per filter: the API keeps the visits all of them keep.
  for (const filter of filters) search.append('filter', filterText(filter));
  const query = search.toString();
  return `${apiUrl.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** GET /stats parameters for a range (the filters go apart: apiUrlOf). */
function statsParams(query: RangeQuery): Record<string, string> {
  return { aggregation: query.aggregation, dateFrom: iso(query.from), dateTo: iso(query.to) };
}

export function fetchStats(
  apiUrl: string,
  readKey: string,
  query: RangeQuery,
  options: FetchOptions = {},
): Promise<StatsAnswer> {
  const url = apiUrlOf(apiUrl, '/stats', statsParams(query), query.filters);
  return getJson(url, apiUrl, readKey, parseStatsAnswer, options);
}

/** GET /breakdown parameters (the filters go apart: apiUrlOf). */
function breakdownParams(query: BreakdownQuery): Record<string, string> {
  return {
    property: query.property,
    dateFrom: iso(query.from),
    dateTo: iso(query.to),
    limit: String(query.limit),
  };
}

export function fetchBreakdown(
  apiUrl: string,
  readKey: string,
  query: BreakdownQuery<Exclude<BreakdownProperty, 'event'>>,
  options: FetchOptions = {},
): Promise<BreakdownAnswer> {
  return getJson(
    apiUrlOf(apiUrl, '/breakdown', breakdownParams(query), query.filters),
    apiUrl,
    readKey,
    parseBreakdownAnswer,
    options,
  );
}

/** The custom events (goals) of a range: GET /breakdown?property=event. */
export function fetchGoals(
  apiUrl: string,
  readKey: string,
  query: BreakdownQuery<'event'>,
  options: FetchOptions = {},
): Promise<GoalsAnswer> {
  return getJson(
    apiUrlOf(apiUrl, '/breakdown', breakdownParams(query), query.filters),
    apiUrl,
    readKey,
    parseGoalsAnswer,
    options,
  );
}

/** The site's time zone: GET /site, asked once per key before any range. */
export function fetchSite(apiUrl: string, readKey: string, options: FetchOptions = {}): Promise<SiteAnswer> {
  return getJson(apiUrlOf(apiUrl, '/site', {}), apiUrl, readKey, parseSiteAnswer, options);
}

/** Who is on the site now: GET /realtime, the last 5 minutes. */
export function fetchRealtime(
  apiUrl: string,
  readKey: string,
  options: FetchOptions = {},
): Promise<RealtimeAnswer> {
  return getJson(apiUrlOf(apiUrl, '/realtime', {}), apiUrl, readKey, parseRealtimeAnswer, options);
}

/**
 * The view's rows as the API's CSV (`format=csv`), for a download. The file is named as the API
 * names it, with the same function: reading its Content-Disposition cross-origin would need CORS
 * to expose that header.
 */
export async function fetchCsv(
  apiUrl: string,
  readKey: string,
  export_: ({ route: '/stats'; query: RangeQuery } | { route: '/breakdown'; query: BreakdownQuery }) & {
    /** The site's zone: the file is named in its dates, as the API names it. */
    zone: string;
  },
  options: FetchOptions = {},
): Promise<{ blob: Blob; fileName: string }> {
  const { route, query, zone } = export_;
  const params: Record<string, string> =
    export_.route === '/stats'
      ? { ...statsParams(export_.query), format: 'csv' }
      : { ...breakdownParams(export_.query), format: 'csv' };
  const response = await send(apiUrlOf(apiUrl, route, params, query.filters), apiUrl, readKey, options);
  if (!response.ok) await failure(response);
  const detail = export_.route === '/breakdown' ? export_.query.property : undefined;
  return { blob: await response.blob(), fileName: csvFileName(route, query.from, query.to, zone, detail) };
}

const kindByStatus: Record<number, ApiErrorKind> = {
  400: 'bad-request',
  401: 'unknown-key',
  403: 'forbidden-key',
  429: 'throttled',
};

export async function send(
  url: string,
  apiUrl: string,
  readKey: string,
  options: FetchOptions,
): Promise<Response> {
  const fetchImpl = options.fetchImpl ?? fetch;
  try {
    // The key goes in a header, never in the URL, so it stays out of logs and history.
    return await fetchImpl(url, {
      headers: { authorization: `Bearer ${readKey}` },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.method ? { method: options.method } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('unreachable', `No answer from ${apiUrl}.`);
  }
}

/** An answer that is not 2xx, as the ApiError its status and message mean. */
export async function failure(response: Response, body?: unknown): Promise<never> {
  const parsed = body ?? (await response.json().catch(() => undefined));
  const message = (parsed as { error?: unknown } | undefined)?.error;
  throw new ApiError(
    kindByStatus[response.status] ?? 'server',
    typeof message === 'string' && message ? message : `The API answered ${response.status}.`,
    response.status,
  );
}

/** A JSON answer of the API (any 2xx; a 204's empty body is `undefined` to `parse`), or the ApiError of a failure. */
export async function getJson<T>(
  url: string,
  apiUrl: string,
  readKey: string,
  parse: (body: unknown) => T,
  options: FetchOptions,
): Promise<T> {
  const response = await send(url, apiUrl, readKey, options);
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) await failure(response, body ?? {});
  try {
    return parse(body);
  } catch (error) {
    throw new ApiError('server', (error as Error).message, response.status);
  }
}

/** Any failure as an ApiError: one the client made, or anything else as a server error. */
export function asApiError(caught: unknown): ApiError {
  return caught instanceof ApiError ? caught : new ApiError('server', String(caught));
}

/** Whether the error means the stored key is no good and the person has to sign in again. */
export function isKeyRejected(error: ApiError): boolean {
  return error.kind === 'unknown-key' || error.kind === 'forbidden-key';
}

/** What to tell a person about a failure: what happened, and what to do about it. */
export function describeApiError(error: ApiError): { title: string; action: string } {
  switch (error.kind) {
    case 'unreachable':
      return {
        title: 'The analytics API is not answering.',
        action: `${error.message} Check your connection, or that the API is running; the dashboard keeps trying every few seconds.`,
      };
    case 'unknown-key':
      return {
        title: 'That key was not recognised.',
        action: "Sign in with your organisation's read key (not the site key from the tracking snippet).",
      };
    case 'forbidden-key':
      return {
        title: 'That key cannot read visits.',
        action: `${error.message} It may have been revoked, or it is a site key. Sign in again with a current read key.`,
      };
    case 'bad-request':
      // The API's message already says what is accepted; only its parameter names are put in the dashboard's words.
      return { title: 'This view cannot be shown.', action: inDashboardTerms(error.message) };
    case 'throttled':
      return {
        title: 'Too many requests right now.',
        action: 'The dashboard will try again in a few seconds.',
      };
    case 'server':
      return { title: 'The API had a problem answering.', action: `${error.message} Try again in a moment.` };
  }
}

/** An API message in the words of the dashboard's controls (Range, First day, Last day, Aggregation). */
export function inDashboardTerms(message: string): string {
  return message
    .replace(
      /Narrow dateFrom and dateTo, or choose a coarser aggregation\./,
      'Pick a shorter range or a coarser aggregation.',
    )
    .replace(/\bdateFrom\b/g, 'The first day')
    .replace(/\bdateTo\b/g, 'The last day')
    .replace(/ aggregation spans at most /, ' aggregation covers at most ');
}
