/**
 * The view (range and aggregation) lives in the URL query, so a view can be shared and the
 * back button steps through earlier views. Parsing is forgiving: anything unreadable falls
 * back to the default view rather than an error page.
 */
import { type Aggregation, aggregations } from '../../../lambdas/core/domain/buckets.js';
import { type Filter, filterText, readFilterText } from './filter.js';
import { isDay, isPresetId, type RangeSelection } from './range.js';

/** Who is on the site now (GET /realtime): not a span of days, so no aggregation and no filter. */
export interface RealtimeSelection {
  kind: 'realtime';
}

export interface ViewState {
  range: RangeSelection | RealtimeSelection;
  /** Absent: whatever suits the range (`pickAggregation`). */
  aggregation?: Aggregation;
  /** Only the visits with this value, in the top row and the chart (`filter=source:Google`). */
  filter?: Filter;
}

export const defaultViewState: RangeViewState = { range: { kind: 'preset', preset: 'today' } };

const isAggregation = (value: unknown): value is Aggregation => aggregations.includes(value as Aggregation);

export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const filter = readFilterText(params.get('filter'));
  // A filter is kept even when the range is unreadable: it is what the link was about.
  const range = parseRange(params) ?? defaultViewState.range;
  // GET /realtime takes neither: a link that carries them opens the plain realtime view.
  if (range.kind === 'realtime') return { range };
  const aggregation = range === defaultViewState.range ? null : params.get('aggregation');
  return { range, ...(isAggregation(aggregation) ? { aggregation } : {}), ...(filter ? { filter } : {}) };
}

function parseRange(params: URLSearchParams): ViewState['range'] | undefined {
  const range = params.get('range');
  if (range === 'realtime') return { kind: 'realtime' };
  if (isPresetId(range)) return { kind: 'preset', preset: range };
  const [from, to] = [params.get('from'), params.get('to')];
  if (range === 'custom' && isDay(from) && isDay(to) && from <= to) return { kind: 'custom', from, to };
  return undefined;
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
  if (state.filter) params.set('filter', filterText(state.filter));
  return `?${params.toString()}`;
}
