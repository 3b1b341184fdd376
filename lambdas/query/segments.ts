/**
 * GET, PUT and DELETE /segments: the org's saved sets of filters, kept by the generic saved-items
 * store. A segment's filters are checked by the same parser as GET /stats's `filter` parameters,
 * so a saved segment is always one the dashboard can apply.
 */
import { BadRequestError, NotFoundError, PayloadTooLargeError } from '../core/http/errors.js';
import { type SavedDeps, deleteSaved, listSaved, putSaved, savedLimits } from '../core/store/saved.js';
import type { Segment, SegmentsAnswer } from './answers.js';
import { maxFilters, parseFilters } from './filters.js';
import { checkParameters } from './params.js';

/** A body far larger than 64 characters of name and eight filters is not a segment. */
export const maxSegmentBodyBytes = 16 * 1024;

const bodyShape = `{"name": "<1 to ${savedLimits.nameLength} characters>", "filters": ["source:Google", "country!:DE", ...]} with 1 to ${maxFilters} filters`;

export async function listSegments(orgId: string, deps: SavedDeps): Promise<SegmentsAnswer> {
  const saved = await listSaved<string>(deps, orgId, 'segment');
  return { segments: saved.map(({ name, items, updatedAt }) => ({ name, filters: items, updatedAt })) };
}

/** PUT /segments: creates the named segment or replaces the one of that name. */
export async function saveSegment(orgId: string, body: string, deps: SavedDeps): Promise<Segment> {
  const { name, filters } = parseSegmentBody(body);
  const saved = await putSaved(deps, orgId, 'segment', { name, items: filters });
  return { name: saved.name, filters: saved.items, updatedAt: saved.updatedAt };
}

/** DELETE /segments?name=: a 404 names the segment when there is none of that name. */
export async function deleteSegment(
  orgId: string,
  query: Record<string, string>,
  parameterCount: number,
  deps: SavedDeps,
): Promise<void> {
  checkParameters('DELETE /segments', ['name'], query, parameterCount);
  if (query.name === undefined)
    throw new BadRequestError('DELETE /segments needs name=<the segment to delete>.');
  if (!(await deleteSaved(deps, orgId, 'segment', query.name)))
    throw new NotFoundError(
      `No segment is named ${JSON.stringify(query.name.slice(0, 80))}; GET /segments lists them.`,
    );
}

/** The name and filters of a PUT body, each filter checked as GET /stats checks it. */
export function parseSegmentBody(body: string): { name: string; filters: string[] } {
  if (Buffer.byteLength(body) > maxSegmentBodyBytes)
    throw new PayloadTooLargeError(`A segment's body is at most ${maxSegmentBodyBytes} bytes: ${bodyShape}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadRequestError(`PUT /segments takes a JSON body: ${bodyShape}.`);
  }
  const { name, filters, ...rest } = (parsed ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (typeof parsed !== 'object' || Array.isArray(parsed) || unknown.length > 0)
    throw new BadRequestError(
      `PUT /segments takes ${bodyShape}${unknown.length > 0 ? `; unknown field ${JSON.stringify(unknown[0]!.slice(0, 40))}` : ''}.`,
    );
  if (
    !Array.isArray(filters) ||
    filters.length === 0 ||
    filters.length > maxFilters ||
    !filters.every((f) => typeof f === 'string')
  )
    throw new BadRequestError(
      `A segment's filters must be a list of 1 to ${maxFilters} filter texts: ${bodyShape}.`,
    );
  // Throws the 400 that GET /stats answers for the same filter, naming it and the accepted syntax.
  parseFilters(filters);
  return { name: name as string, filters };
}
