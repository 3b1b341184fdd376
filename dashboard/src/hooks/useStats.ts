import { useEffect, useRef, useState } from 'react';
import type { Aggregation } from '../../../lambdas/core/domain/buckets.js';
import type {
  BreakdownAnswer,
  BreakdownProperty,
  StatsAnswer,
  StatsTotals,
} from '../../../lambdas/query/answers.js';
import { previousRange } from '../lib/compare.js';
import { type ApiError, asApiError, fetchBreakdown, fetchStats, isKeyRejected } from '../lib/api.js';
import { pickAggregation, type RangeSelection, resolveRange, type ResolvedRange } from '../lib/range.js';
import { type Filter, tableRowLimit, tablesFilter } from '../lib/panels.js';
import {
  defaultViewState,
  isRangeView,
  parseViewState,
  serializeViewState,
  type ViewState,
} from '../lib/url-state.js';

/** How often a view whose range includes now is refreshed; also the retry pace after a failure. */
export const refreshIntervalMs = 5_000;

export interface LoadedStats {
  stats: StatsAnswer;
  breakdown: BreakdownAnswer;
  property: BreakdownProperty;
  /** The filter the top row and the chart were read with. */
  filter?: Filter;
  /** The filter the tables are read with (panels.ts `tablesFilter`): the same, or none for a range older than the kept visits. */
  tablesFilter?: Filter;
  /** The totals of the previous period of the same length; absent when that read failed. */
  previous?: StatsTotals;
  range: ResolvedRange;
  aggregation: Aggregation;
  updatedAt: number;
}

export interface StatsState {
  /** The range being shown or asked for, and its aggregation. */
  range: ResolvedRange;
  aggregation: Aggregation;
  loading: boolean;
  loaded?: LoadedStats;
  error?: ApiError;
}

function resolve(
  selection: RangeSelection,
  wanted: Aggregation | undefined,
  filtered: boolean,
  zone: string,
) {
  // Presets slide with the clock, so the range is worked out afresh for every request.
  const range = resolveRange(selection, Date.now(), zone);
  return { range, aggregation: pickAggregation(selection, range, wanted, filtered) };
}

/**
 * Loads the totals, series and one breakdown for a view, in whole days of the site's `zone`
 * (GET /site), and keeps them fresh: every few seconds while the range includes now, and again
 * after a failure that may pass (API down, throttled). A rejected key is handed to
 * `onKeyRejected`, since only signing in again can fix it.
 */
export function useStats(
  apiUrl: string,
  readKey: string,
  view: ViewState,
  property: BreakdownProperty,
  zone: string,
  onKeyRejected: (error: ApiError) => void,
): StatsState & { retry: () => void } {
  // The realtime view has its own hook (useRealtime): nothing is loaded here meanwhile.
  const viewKey = serializeViewState(view);
  const [state, setState] = useState<StatsState>(() => {
    const shown = isRangeView(view) ? view : defaultViewState;
    return { loading: true, ...resolve(shown.range, shown.aggregation, Boolean(shown.filter), zone) };
  });
  const [attempt, setAttempt] = useState(0);
  const onKeyRejectedRef = useRef(onKeyRejected);
  onKeyRejectedRef.current = onKeyRejected;
  const shownViewKey = useRef(viewKey);

  useEffect(() => {
    const parsed = parseViewState(viewKey);
    if (!isRangeView(parsed)) return;
    const { range: selection, aggregation: wanted, filter } = parsed;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scheduleNext = () => {
      // A hidden tab skips its refreshes (no one is looking) but keeps the schedule.
      timer = setTimeout(() => (document.hidden ? scheduleNext() : void load()), refreshIntervalMs);
    };

    async function load() {
      const { range, aggregation } = resolve(selection, wanted, Boolean(filter), zone);
      setState((s) => ({ ...s, loading: true, range, aggregation }));
      try {
        const options = { signal: controller.signal };
        const before = previousRange(range, Date.now());
        const tables = tablesFilter(filter, range, Date.now());
        const [stats, breakdown, previous] = await Promise.all([
          fetchStats(apiUrl, readKey, { aggregation, from: range.from, to: range.to, filter }, options),
          fetchBreakdown(
            apiUrl,
            readKey,
            { property, from: range.from, to: range.to, limit: tableRowLimit, filter: tables },
            options,
          ),
          // Only the notes under the figures depend on it: if it fails, they are left out.
          fetchStats(apiUrl, readKey, { aggregation, ...before, filter }, options).then(
            (answer) => answer.totals,
            () => undefined,
          ),
        ]);
        const loaded: LoadedStats = {
          stats,
          breakdown,
          property,
          range,
          aggregation,
          updatedAt: Date.now(),
          ...(previous ? { previous } : {}),
          ...(filter ? { filter } : {}),
          ...(tables ? { tablesFilter: tables } : {}),
        };
        setState({ loading: false, range, aggregation, loaded });
        if (range.live) scheduleNext();
      } catch (caught) {
        if (controller.signal.aborted) return;
        const error = asApiError(caught);
        if (isKeyRejected(error)) return onKeyRejectedRef.current(error);
        // Earlier numbers stay on screen under the error: stale but labelled beats blank.
        setState((s) => ({ ...s, loading: false, error }));
        if (error.kind !== 'bad-request') scheduleNext();
      }
    }

    if (shownViewKey.current !== viewKey) {
      // Another view: the old numbers would be wrong under the new heading. Another tab of the
      // pages table, or a retry, keeps them until the new ones arrive.
      shownViewKey.current = viewKey;
      setState({ loading: true, ...resolve(selection, wanted, Boolean(filter), zone) });
    }
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [apiUrl, readKey, viewKey, property, zone, attempt]);

  return { ...state, retry: () => setAttempt((n) => n + 1) };
}
