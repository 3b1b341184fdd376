import { type ApiError, fetchGoals } from '../lib/api.js';
import { useReload } from './useReload.js';
import type { GoalRow } from '../lib/goals.js';
import { type Filter, tableRowLimit } from '../lib/panels.js';

export interface GoalsState {
  rows?: GoalRow[];
  loading: boolean;
  error?: ApiError;
  retry: () => void;
}

/**
 * The goals of the range, asked for again whenever the view reloads (`version`), like a panel
 * tab (useBreakdown). Earlier rows stay on screen while new ones load.
 */
export function useGoals(
  apiUrl: string,
  readKey: string,
  range: { from: number; to: number },
  filter: Filter | undefined,
  version: string,
  onKeyRejected: (error: ApiError) => void,
): GoalsState {
  const { from, to } = range;
  const load = (signal: AbortSignal) =>
    fetchGoals(apiUrl, readKey, { from, to, limit: tableRowLimit, filter }, { signal }).then(
      (answer) => answer.data,
    );
  const { value, ...state } = useReload(
    JSON.stringify([apiUrl, readKey, from, to, filter, version]),
    load,
    onKeyRejected,
  );
  return { ...state, ...(value ? { rows: value } : {}) };
}
