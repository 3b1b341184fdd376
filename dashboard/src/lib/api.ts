/**
 * The one place the dashboard talks to the API. Every failure becomes a `VisitsApiError` whose
 * `kind` decides what the person is told to do next (sign in again, narrow the range, wait).
 */
import type { Aggregation } from './time.js';
import { parseVisitsResponse, type VisitsResponse } from './visits.js';

export type ApiErrorKind =
  | 'unreachable' // no answer at all: network down, API stopped, CORS refused
  | 'unknown-key' // 401
  | 'forbidden-key' // 403: not a read key, or revoked
  | 'bad-request' // 400: the API's message says what was wrong
  | 'throttled' // 429
  | 'server' // 5xx or an answer that is not the documented shape
  ;

export class VisitsApiError extends Error {
  override readonly name = 'VisitsApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface VisitsQuery {
  aggregation: Aggregation;
  from: number;
  to: number;
}

export function visitsUrl(apiUrl: string, query: VisitsQuery): string {
  const params = new URLSearchParams({
    aggregation: query.aggregation,
    dateFrom: new Date(query.from).toISOString(),
    dateTo: new Date(query.to).toISOString(),
  });
  return `${apiUrl.replace(/\/+$/, '')}/visits?${params.toString()}`;
}

const kindByStatus: Record<number, ApiErrorKind> = {
  400: 'bad-request',
  401: 'unknown-key',
  403: 'forbidden-key',
  429: 'throttled',
};

export async function fetchVisits(
  apiUrl: string,
  readKey: string,
  query: VisitsQuery,
  options: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {},
): Promise<VisitsResponse> {
  const fetchImpl = options.fetchImpl ?? fetch;
  let response: Response;
  try {
    // The key goes in a header, never in the URL, so it stays out of logs and history.
    response = await fetchImpl(visitsUrl(apiUrl, query), {
      headers: { authorization: `Bearer ${readKey}` },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new VisitsApiError('unreachable', `No answer from ${apiUrl}.`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = (body as { error?: unknown } | undefined)?.error;
    throw new VisitsApiError(
      kindByStatus[response.status] ?? 'server',
      typeof message === 'string' && message ? message : `The API answered ${response.status}.`,
      response.status,
    );
  }
  try {
    return parseVisitsResponse(body);
  } catch (error) {
    throw new VisitsApiError('server', (error as Error).message, response.status);
  }
}

/** Whether the error means the stored key is no good and the person has to sign in again. */
export function isKeyRejected(error: VisitsApiError): boolean {
  return error.kind === 'unknown-key' || error.kind === 'forbidden-key';
}

/** What to tell a person about a failure: what happened, and what to do about it. */
export function describeApiError(error: VisitsApiError): { title: string; action: string } {
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
      return { title: 'The API refused this view.', action: `${error.message} Pick a shorter range or a coarser aggregation.` };
    case 'throttled':
      return { title: 'Too many requests right now.', action: 'The dashboard will try again in a few seconds.' };
    case 'server':
      return { title: 'The API had a problem answering.', action: `${error.message} Try again in a moment.` };
  }
}
