/**
 * The view (aggregation and range) lives in the URL query, so a view can be shared and the
 * back button steps through earlier views. Parsing is forgiving: anything unreadable falls
 * back to the default view rather than an error page.
 */
import { isPresetId, presets, type RangeSelection } from './range.js';
import { type Aggregation, isAggregation } from './time.js';

export interface ViewState {
  aggregation: Aggregation;
  range: RangeSelection;
}

export const defaultViewState: ViewState = { aggregation: 'hour', range: { kind: 'preset', preset: '24h' } };

export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const range = parseRange(params) ?? defaultViewState.range;
  const aggregation = params.get('aggregation');
  return {
    aggregation: isAggregation(aggregation)
      ? aggregation
      : range.kind === 'preset'
        ? presets[range.preset].defaultAggregation
        : defaultViewState.aggregation,
    range,
  };
}

function parseRange(params: URLSearchParams): RangeSelection | undefined {
  const preset = params.get('range');
  if (isPresetId(preset)) return { kind: 'preset', preset };
  const from = Date.parse(params.get('from') ?? '');
  const to = Date.parse(params.get('to') ?? '');
  if (preset === 'custom' && !Number.isNaN(from) && !Number.isNaN(to) && from < to) return { kind: 'custom', from, to };
  return undefined;
}

/** The query string for a view, with a leading "?". */
export function serializeViewState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.range.kind === 'preset') {
    params.set('range', state.range.preset);
  } else {
    params.set('range', 'custom');
    params.set('from', new Date(state.range.from).toISOString());
    params.set('to', new Date(state.range.to).toISOString());
  }
  params.set('aggregation', state.aggregation);
  return `?${params.toString()}`;
}
