import { describe, expect, it } from 'vitest';
import { defaultViewState, parseViewState, serializeViewState, type ViewState } from './url-state.js';

describe('view state in the URL', () => {
  it.each<ViewState>([
    { aggregation: 'minute', range: { kind: 'preset', preset: '1h' } },
    { aggregation: 'month', range: { kind: 'preset', preset: '7d' } },
    { aggregation: 'day', range: { kind: 'custom', from: Date.parse('2026-11-01T00:00:00Z'), to: Date.parse('2026-11-08T12:00:00Z') } },
  ])('reads back what it wrote: %j', (state) => {
    expect(parseViewState(serializeViewState(state))).toEqual(state);
  });

  it('writes a readable query', () => {
    expect(serializeViewState({ aggregation: 'hour', range: { kind: 'preset', preset: '24h' } })).toBe('?range=24h&aggregation=hour');
  });

  it('uses the default view for an empty query', () => {
    expect(parseViewState('')).toEqual(defaultViewState);
  });

  it("takes a preset's own aggregation when the URL names none", () => {
    expect(parseViewState('?range=30d')).toEqual({ aggregation: 'day', range: { kind: 'preset', preset: '30d' } });
  });

  it('ignores an unknown aggregation or range instead of failing', () => {
    expect(parseViewState('?range=forever&aggregation=week')).toEqual(defaultViewState);
  });

  it('drops a custom range whose dates do not parse or are reversed', () => {
    expect(parseViewState('?range=custom&from=yesterday&to=2026-11-02T00:00:00Z').range).toEqual(defaultViewState.range);
    expect(parseViewState('?range=custom&from=2026-11-03T00:00:00Z&to=2026-11-02T00:00:00Z').range).toEqual(defaultViewState.range);
  });
});
