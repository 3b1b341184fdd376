import { useEffect, useRef, useState } from 'react';
import { ApiError, fetchGoals, isKeyRejected } from '../lib/api.js';
import type { GoalRow } from '../lib/goals.js';
import { panelLimit } from '../lib/panels.js';

export interface GoalsState {
  rows?: GoalRow[];
  loading: boolean;
  error?: ApiError;
}

/**
 * The goals of the range, asked for again whenever the view reloads (`version`), like a panel
 * tab (useBreakdown). Earlier rows stay on screen while new ones load.
 */
export function useGoals(apiUrl: string, readKey: string, range: { from: number; to: number }, version: string, onKeyRejected: (error: ApiError) => void): GoalsState {
  const [state, setState] = useState<GoalsState>({ loading: true });
  const onKeyRejectedRef = useRef(onKeyRejected);
  onKeyRejectedRef.current = onKeyRejected;
  const { from, to } = range;

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    fetchGoals(apiUrl, readKey, { from, to, limit: panelLimit }, { signal: controller.signal }).then(
      (answer) => setState({ rows: answer.data, loading: false }),
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        const error = caught instanceof ApiError ? caught : new ApiError('server', String(caught));
        if (isKeyRejected(error)) return onKeyRejectedRef.current(error);
        setState((s) => ({ ...s, loading: false, error }));
      },
    );
    return () => controller.abort();
  }, [apiUrl, readKey, from, to, version]);

  return state;
}
