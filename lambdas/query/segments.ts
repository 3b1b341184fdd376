/**
 * GET, PUT and DELETE /segments: the org's saved sets of filters (saved-lists.ts). A segment's
 * filters are checked by the same parser as GET /stats's `filter` parameters, so a saved segment
 * is always one the dashboard can apply.
 */
import { maxFilters, parseFilters } from './filters.js';
import type { SavedListKind } from './saved-lists.js';

/** `{"segments": [{name, filters, updatedAt}]}`: the Segment of answers.ts. */
export const segments: SavedListKind<'filters'> = {
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
