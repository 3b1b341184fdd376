import type { BreakdownRow } from '../../../lambdas/query/answers.js';
import type { VisitProperty } from '../../../lambdas/core/domain/visit-properties.js';
import { type ApiError, fetchBreakdown } from '../lib/api.js';
import { useReload } from './useReload.js';
import { type Filter, tableRowLimit } from '../lib/panels.js';

export interface BreakdownState {
  /** The property the rows are of; differs from the one asked for while it loads. */
  property?: VisitProperty;
  rows?: BreakdownRow[];
  loading: boolean;
  error?: ApiError;
  retry: () => void;
}

/**
 * One panel tab's rows: asked for only while the tab is open, and again whenever the view
 * reloads (`version`), so a live view's panels refresh with its top row. Earlier rows stay on
 * screen while new ones load.
 */
export function useBreakdown(
  apiUrl: string,
  readKey: string,
  property: VisitProperty,
  range: { from: number; to: number },
  filter: Filter | undefined,
  version: string,
  onKeyRejected: (error: ApiError) => void,
): BreakdownState {
  const { from, to } = range;
  const load = (signal: AbortSignal) =>
    fetchBreakdown(apiUrl, readKey, { property, from, to, limit: tableRowLimit, filter }, { signal }).then(
      (answer) => ({ property, rows: answer.data }),
    );
  const { value, ...state } = useReload(
    JSON.stringify([apiUrl, readKey, property, from, to, filter, version]),
    load,
    onKeyRejected,
  );
  return { ...state, ...(value ? { property: value.property, rows: value.rows } : {}) };
}
