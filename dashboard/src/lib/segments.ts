/**
 * Saved segments (GET, PUT and DELETE /segments): a named set of filters the owner re-applies.
 * A segment's filters are the API's filter texts; the view takes the ones it can read.
 */
import type { Segment, SegmentsAnswer } from '../../../lambdas/query/answers.js';
import { apiUrlOf, type FetchOptions, failure, getJson, send } from './api.js';
import { type Filter, filterText, readFilters } from './filter.js';

export type { Segment };

/** Checks a GET /segments body has the documented shape. */
export function parseSegmentsAnswer(body: unknown): SegmentsAnswer {
  const segments = (body as { segments?: unknown } | null)?.segments;
  if (!Array.isArray(segments)) throw new TypeError('The API answer has no "segments" list.');
  return {
    segments: segments.filter(
      (s): s is Segment =>
        typeof s?.name === 'string' &&
        Array.isArray(s.filters) &&
        s.filters.every((f: unknown) => typeof f === 'string'),
    ),
  };
}

export function fetchSegments(apiUrl: string, readKey: string, options: FetchOptions = {}) {
  return getJson(apiUrlOf(apiUrl, '/segments', {}), apiUrl, readKey, parseSegmentsAnswer, options);
}

/** Saves the filters under the name (replacing a segment of that name). */
export async function saveSegment(
  apiUrl: string,
  readKey: string,
  segment: { name: string; filters: readonly Filter[] },
  options: FetchOptions = {},
): Promise<void> {
  const body = JSON.stringify({ name: segment.name, filters: segment.filters.map(filterText) });
  const response = await send(apiUrlOf(apiUrl, '/segments', {}), apiUrl, readKey, {
    ...options,
    method: 'PUT',
    body,
  });
  if (!response.ok) await failure(response);
}

export async function deleteSegment(
  apiUrl: string,
  readKey: string,
  name: string,
  options: FetchOptions = {},
): Promise<void> {
  const response = await send(apiUrlOf(apiUrl, '/segments', { name }), apiUrl, readKey, {
    ...options,
    method: 'DELETE',
  });
  if (!response.ok) await failure(response);
}

/** The segment's filters as the view takes them. */
export const segmentFilters = (segment: Segment): Filter[] => readFilters(segment.filters);

/** The saved segment the view's filters are exactly (in any order), if any: the picker shows it picked. */
export function segmentOf(segments: readonly Segment[], filters: readonly Filter[]): Segment | undefined {
  const key = (texts: readonly string[]) => [...texts].sort().join('\n');
  const shown = key(filters.map(filterText));
  return filters.length === 0
    ? undefined
    : segments.find((s) => key(segmentFilters(s).map(filterText)) === shown);
}
