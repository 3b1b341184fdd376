import { useEffect, useRef, useState } from 'react';
import type { BreakdownRow } from '../../../lambdas/query/answers.js';
import type { VisitProperty } from '../../../lambdas/core/domain/visit.js';
import { ApiError, fetchBreakdown, isKeyRejected } from '../lib/api.js';
import { panelLimit } from '../lib/panels.js';

export interface BreakdownState {
  /** The property the rows are of; differs from the one asked for while it loads. */
  property?: VisitProperty;
  rows?: BreakdownRow[];
  loading: boolean;
  error?: ApiError;
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
  version: string,
  onKeyRejected: (error: ApiError) => void,
): BreakdownState {
  const [state, setState] = useState<BreakdownState>({ loading: true });
  const onKeyRejectedRef = useRef(onKeyRejected);
  onKeyRejectedRef.current = onKeyRejected;
  const { from, to } = range;

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    fetchBreakdown(apiUrl, readKey, { property, from, to, limit: panelLimit }, { signal: controller.signal }).then(
      (answer) => setState({ property, rows: answer.data, loading: false }),
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        const error = caught instanceof ApiError ? caught : new ApiError('server', String(caught));
        if (isKeyRejected(error)) return onKeyRejectedRef.current(error);
        // The view's own refresh retries: the next version asks again.
        setState((s) => ({ ...s, loading: false, error }));
      },
    );
    return () => controller.abort();
  }, [apiUrl, readKey, property, from, to, version]);

  return state;
}
