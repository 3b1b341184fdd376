import { useEffect, useRef, useState } from 'react';
import { fetchVisits, isKeyRejected, VisitsApiError } from '../lib/api.js';
import { resolveRange, type ResolvedRange } from '../lib/range.js';
import type { Aggregation } from '../lib/time.js';
import { parseViewState, serializeViewState, type ViewState } from '../lib/url-state.js';
import { summarize, type VisitsSummary } from '../lib/visits.js';

/** How often a view whose range includes now is refreshed; also the retry pace after a failure. */
export const refreshIntervalMs = 5_000;

export interface LoadedVisits {
  summary: VisitsSummary;
  range: ResolvedRange;
  aggregation: Aggregation;
  updatedAt: number;
}

export interface VisitsState {
  /** The range being shown or asked for. */
  range: ResolvedRange;
  loading: boolean;
  loaded?: LoadedVisits;
  error?: VisitsApiError;
}

/**
 * Loads the visits for a view and keeps them fresh: every few seconds while the range includes
 * now, and again after a failure that may pass (API down, throttled). A rejected key is handed
 * to `onKeyRejected`, since only signing in again can fix it.
 */
export function useVisits(
  apiUrl: string,
  readKey: string,
  view: ViewState,
  onKeyRejected: (error: VisitsApiError) => void,
): VisitsState & { retry: () => void } {
  const viewKey = serializeViewState(view);
  const [state, setState] = useState<VisitsState>(() => ({
    loading: true,
    range: resolveRange(view.range, view.aggregation, Date.now()),
  }));
  const [attempt, setAttempt] = useState(0);
  const onKeyRejectedRef = useRef(onKeyRejected);
  onKeyRejectedRef.current = onKeyRejected;
  const shownViewKey = useRef(viewKey);

  useEffect(() => {
    const { aggregation, range: selection } = parseViewState(viewKey);
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scheduleNext = () => {
      // A hidden tab skips its refreshes (no one is looking) but keeps the schedule.
      timer = setTimeout(() => (document.hidden ? scheduleNext() : void load()), refreshIntervalMs);
    };

    async function load() {
      // Presets slide with the clock, so the range is worked out afresh for every request.
      const range = resolveRange(selection, aggregation, Date.now());
      setState((s) => ({ ...s, loading: true, range }));
      try {
        const response = await fetchVisits(apiUrl, readKey, { aggregation, ...range }, { signal: controller.signal });
        setState({ loading: false, range, loaded: { summary: summarize(response), range, aggregation, updatedAt: Date.now() } });
        if (range.live) scheduleNext();
      } catch (caught) {
        if (controller.signal.aborted) return;
        const error = caught instanceof VisitsApiError ? caught : new VisitsApiError('server', String(caught));
        if (isKeyRejected(error)) return onKeyRejectedRef.current(error);
        // Earlier numbers stay on screen under the error: stale but labelled beats blank.
        setState((s) => ({ ...s, loading: false, error }));
        if (error.kind !== 'bad-request') scheduleNext();
      }
    }

    if (shownViewKey.current !== viewKey) {
      // Another view: the old numbers would be wrong under the new heading. A retry keeps them.
      shownViewKey.current = viewKey;
      setState({ loading: true, range: resolveRange(selection, aggregation, Date.now()) });
    }
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [apiUrl, readKey, viewKey, attempt]);

  return { ...state, retry: () => setAttempt((n) => n + 1) };
}
