import { useMemo } from 'react';
import type { Aggregation } from '../../../lambdas/core/domain/buckets.js';
import type { StatsAnswer, StatsTotals } from '../../../lambdas/query/answers.js';
import { previousRange } from '../lib/compare.js';
import { type ApiError, fetchStats } from '../lib/api.js';
import type { Filter } from '../lib/filter.js';
import { pickAggregation, type RangeSelection, resolveRange, type ResolvedRange } from '../lib/range.js';
import {
  defaultViewState,
  isRangeView,
  parseViewState,
  serializeViewState,
  type ViewState,
} from '../lib/url-state.js';
import { useRead } from './useRead.js';

export interface LoadedStats {
  stats: StatsAnswer;
  /** The filters every figure, the chart and the tables are read with (all must hold). */
  filters?: Filter[];
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
  retry: () => void;
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

interface StatsInputs {
  apiUrl: string;
  readKey: string;
  viewKey: string;
  zone: string;
}

/** The totals and series of a view (and the totals of the period before it, for the changes). */
async function readStats(
  { apiUrl, readKey, viewKey, zone }: StatsInputs,
  signal: AbortSignal,
): Promise<LoadedStats> {
  const view = parseViewState(viewKey);
  const { range: selection, aggregation: wanted, filters } = isRangeView(view) ? view : defaultViewState;
  const { range, aggregation } = resolve(selection, wanted, Boolean(filters), zone);
  const options = { signal };
  const before = previousRange(range, Date.now());
  const [stats, previous] = await Promise.all([
    fetchStats(apiUrl, readKey, { aggregation, from: range.from, to: range.to, filters }, options),
    // Only the notes under the figures depend on it: if it fails, they are left out.
    fetchStats(apiUrl, readKey, { aggregation, ...before, filters }, options).then(
      (answer) => answer.totals,
      () => undefined,
    ),
  ]);
  return {
    stats,
    range,
    aggregation,
    updatedAt: Date.now(),
    ...(previous ? { previous } : {}),
    ...(filters ? { filters } : {}),
  };
}

/**
 * Loads the totals and series of a view, in whole days of the site's `zone` (GET /site), and
 * keeps them fresh: every few seconds while the range includes now, and again after a failure
 * that may pass (API down, throttled). Another view drops the old numbers at once (they would be
 * wrong under the new heading); a refresh or a retry keeps them until the new ones arrive.
 */
export function useStats(
  apiUrl: string,
  readKey: string,
  view: ViewState,
  zone: string,
  onKeyRejected: (error: ApiError) => void,
): StatsState {
  const viewKey = serializeViewState(view);
  // The realtime view has its own hook (useRealtime): no range is read meanwhile.
  const asked = isRangeView(view) ? { apiUrl, readKey, viewKey, zone } : undefined;
  const read = useRead(asked, readStats, onKeyRejected, {
    live: (loaded) => loaded.range.live,
    retryFailures: 'timer',
    resetWhen: (inputs) => inputs.viewKey,
  });
  // What is asked for before the first answer of a view arrives.
  const pending = useMemo(() => {
    const parsed = parseViewState(viewKey);
    const shown = isRangeView(parsed) ? parsed : defaultViewState;
    return resolve(shown.range, shown.aggregation, Boolean(shown.filters), zone);
  }, [viewKey, zone]);
  const loaded = read.value;
  return {
    range: loaded?.range ?? pending.range,
    aggregation: loaded?.aggregation ?? pending.aggregation,
    loading: read.loading,
    ...(loaded ? { loaded } : {}),
    ...(read.error ? { error: read.error } : {}),
    retry: read.retry,
  };
}
