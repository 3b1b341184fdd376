/**
 * The view (range and aggregation) lives in the URL query, so a view can be shared and the
 * back button steps through earlier views. Parsing is forgiving: anything unreadable falls
 * back to the default view rather than an error page.
 */
import { type Aggregation, aggregations } from '../../../lambdas/core/domain/buckets.js';
import { type Filter, filterText, readFilters } from './filter.js';
import { acceptedDays, isDay, isPresetId, type PresetId, presets, type RangeSelection } from './range.js';

/** Who is on the site now (GET /realtime): not a span of days, so no aggregation and no filter. */
export interface RealtimeSelection {
  kind: 'realtime';
}

export interface ViewState {
  range: RangeSelection | RealtimeSelection;
  /** Absent: whatever suits the range (`pickAggregation`). */
  aggregation?: Aggregation;
  /** Only the visits every filter keeps, in every figure, the chart and the tables (`filter=source:Google&filter=country!:DE`). */
  filters?: Filter[];
}

const defaultPreset: PresetId = 'today';
export const defaultViewState: RangeViewState = { range: { kind: 'preset', preset: defaultPreset } };

const isAggregation = (value: unknown): value is Aggregation => aggregations.includes(value as Aggregation);

export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const filters = readFilters(params.getAll('filter'));
  // Filters are kept even when the range is unreadable: they are what the link was about.
  const range = parseRange(params) ?? defaultViewState.range;
  // GET /realtime takes neither: a link that carries them opens the plain realtime view.
  if (range.kind === 'realtime') return { range };
  const aggregation = range === defaultViewState.range ? null : params.get('aggregation');
  return {
    range,
    ...(isAggregation(aggregation) ? { aggregation } : {}),
    ...(filters.length > 0 ? { filters } : {}),
  };
}

function parseRange(params: URLSearchParams): ViewState['range'] | undefined {
  const range = params.get('range');
  if (range === 'realtime') return { kind: 'realtime' };
  if (isPresetId(range)) return { kind: 'preset', preset: range };
  const [from, to] = [params.get('from'), params.get('to')];
  if (range === 'custom' && isDay(from) && isDay(to) && from <= to) return { kind: 'custom', from, to };
  return undefined;
}

/**
 * What was wrong with the link's range, when it names one that cannot be shown (a day such as
 * 2026-13-01, a last day before the first, an unknown preset): the dashboard then shows the
 * default view and says why, instead of a blank page.
 */
export function rangeProblem(search: string): string | undefined {
  const params = new URLSearchParams(search);
  const range = params.get('range');
  if (range === null || parseRange(params)) return undefined;
  const fallback = presets[defaultPreset].label;
  if (range !== 'custom')
    return `The link's range "${range.slice(0, 40)}" is not one the dashboard knows: showing ${fallback} instead.`;
  const [from, to] = [params.get('from') ?? '', params.get('to') ?? ''];
  const notDays = [from, to]
    .filter((day: string) => !isDay(day))
    .map((day: string) => `"${day.slice(0, 20)}"`);
  const what =
    notDays.length === 0
      ? `its last day (${to}) is before its first (${from})`
      : `${notDays.join(' and ')} ${notDays.length > 1 ? 'are not days' : 'is not a day'} (${acceptedDays}, as YYYY-MM-DD)`;
  return `The link's custom range cannot be shown: ${what}. Showing ${fallback} instead.`;
}

/** A view that the range figures (GET /stats, /breakdown) can show: every view but the realtime one. */
export type RangeViewState = ViewState & { range: RangeSelection };

export function isRangeView(view: ViewState): view is RangeViewState {
  return view.range.kind !== 'realtime';
}

/** The query string for a view, with a leading "?". */
export function serializeViewState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.range.kind === 'realtime') return '?range=realtime';
  if (state.range.kind === 'preset') {
    params.set('range', state.range.preset);
  } else {
    params.set('range', 'custom');
    params.set('from', state.range.from);
    params.set('to', state.range.to);
  }
  if (state.aggregation) params.set('aggregation', state.aggregation);
  for (const filter of state.filters ?? []) params.append('filter', filterText(filter));
  return `?${params.toString()}`;
}
