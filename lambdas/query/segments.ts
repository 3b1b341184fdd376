/**
 * GET, PUT and DELETE /segments: the org's saved sets of filters (saved-lists.ts). A segment's
 * filters are checked by the same parser as GET /stats's `filter` parameters, so a saved segment
 * is always one the dashboard can apply.
 */
import type { SavedDeps } from '../core/store/saved.js';
import type { Segment, SegmentsAnswer } from './answers.js';
import { maxFilters, parseFilters } from './filters.js';
import { type SavedListKind, deleteNamed, listNamed, saveNamed } from './saved-lists.js';

const segments: SavedListKind<'filters'> = {
  kind: 'segment',
  path: '/segments',
  field: 'filters',
  example: '["source:Google", "country!:DE", ...]',
  itemName: 'filter',
  minItems: 1,
  maxItems: maxFilters,
  // Throws the 400 that GET /stats answers for the same filter, naming it and the accepted syntax.
  check: (filters) => {
    parseFilters(filters);
    return filters;
  },
};

export async function listSegments(orgId: string, deps: SavedDeps): Promise<SegmentsAnswer> {
  return { segments: await listNamed(segments, orgId, deps) };
}

/** PUT /segments: creates the named segment or replaces the one of that name. */
export function saveSegment(orgId: string, body: string, deps: SavedDeps): Promise<Segment> {
  return saveNamed(segments, orgId, body, deps);
}

/** DELETE /segments?name=. */
export function deleteSegment(
  orgId: string,
  query: Record<string, string>,
  parameterCount: number,
  deps: SavedDeps,
): Promise<void> {
  return deleteNamed(segments, orgId, query, parameterCount, deps);
}
