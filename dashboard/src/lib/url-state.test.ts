import { describe, expect, it } from 'vitest';
import {
  defaultViewState,
  parseViewState,
  rangeProblem,
  serializeViewState,
  type ViewState,
} from './url-state.js';

describe('view state in the URL', () => {
  it.each<ViewState>([
    { range: { kind: 'preset', preset: 'today' }, aggregation: 'minute' },
    { range: { kind: 'preset', preset: 'last-month' } },
    { range: { kind: 'custom', from: '2026-11-01', to: '2026-11-08' }, aggregation: 'day' },
    {
      range: { kind: 'preset', preset: '7d' },
      filters: [{ property: 'source', operator: 'is', values: ['Direct / None'] }],
    },
    {
      range: { kind: 'preset', preset: 'today' },
      aggregation: 'hour',
      filters: [
        { property: 'page', operator: 'is', values: ['https://example.com/a?b=1&c=2'] },
        { property: 'country', operator: 'is_not', values: ['DE', 'AT'] },
        { property: 'referrer', operator: 'contains', values: ['news'] },
      ],
    },
    { range: { kind: 'realtime' } },
  ])('reads back what it wrote: %j', (state) => {
    expect(parseViewState(serializeViewState(state))).toEqual(state);
  });

  it('writes a readable query', () => {
    expect(serializeViewState({ range: { kind: 'preset', preset: '7d' }, aggregation: 'hour' })).toBe(
      '?range=7d&aggregation=hour',
    );
    expect(serializeViewState({ range: { kind: 'custom', from: '2026-11-01', to: '2026-11-08' } })).toBe(
      '?range=custom&from=2026-11-01&to=2026-11-08',
    );
  });

  it.each([
    ['an empty query', ''],
    ['an unknown range', '?range=forever&aggregation=hour'],
    ['a custom range with a day that does not exist', '?range=custom&from=2026-02-30&to=2026-03-02'],
    ['a reversed custom range', '?range=custom&from=2026-11-03&to=2026-11-02'],
    [
      'a custom range with times instead of days',
      '?range=custom&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z',
    ],
    ['a month 13 (Invalid time value before)', '?range=custom&from=2026-13-01&to=2026-12-02'],
    ['a 45th day', '?range=custom&from=2026-12-01&to=2026-12-45'],
    ['a year the API does not read', '?range=custom&from=0999-01-01&to=2026-12-02'],
  ])('uses the default view for %s', (_what, search) => {
    expect(parseViewState(search)).toEqual(defaultViewState);
  });

  it.each([
    [
      '?range=custom&from=2026-13-01&to=2026-12-02',
      'The link\'s custom range cannot be shown: "2026-13-01" is not a day (days from 2000-01-01 to 2999-12-31, as YYYY-MM-DD). Showing Today instead.',
    ],
    [
      '?range=custom&from=1900-01-01&to=2026-12-45',
      'The link\'s custom range cannot be shown: "1900-01-01" and "2026-12-45" are not days (days from 2000-01-01 to 2999-12-31, as YYYY-MM-DD). Showing Today instead.',
    ],
    [
      '?range=custom&from=2026-11-03&to=2026-11-02',
      "The link's custom range cannot be shown: its last day (2026-11-02) is before its first (2026-11-03). Showing Today instead.",
    ],
    ['?range=forever', 'The link\'s range "forever" is not one the dashboard knows: showing Today instead.'],
  ])('says why the link %s was not shown', (search, problem) => {
    expect(rangeProblem(search)).toBe(problem);
  });

  it.each(['', '?range=7d', '?range=custom&from=2026-11-01&to=2026-11-08', '?range=realtime'])(
    'finds nothing wrong with %j',
    (search) => {
      expect(rangeProblem(search)).toBeUndefined();
    },
  );

  it("writes each filter as one filter parameter, in the API's syntax", () => {
    const filters = [
      { property: 'source', operator: 'is', values: ['Google'] },
      { property: 'country', operator: 'is_not', values: ['DE', 'AT'] },
    ] as const;
    expect(
      serializeViewState({
        range: { kind: 'preset', preset: '7d' },
        filters: filters.map((f) => ({ ...f, values: [...f.values] })),
      }),
    ).toBe('?range=7d&filter=source%3AGoogle&filter=country%21%3ADE%7CAT');
    expect(parseViewState('?range=7d&filter=source:Google&filter=country!:DE|AT')).toEqual({
      range: { kind: 'preset', preset: '7d' },
      filters,
    });
  });

  it('keeps a filter from a link whose range is unreadable, and drops an unreadable filter', () => {
    expect(parseViewState('?range=forever&filter=country:DE')).toEqual({
      ...defaultViewState,
      filters: [{ property: 'country', operator: 'is', values: ['DE'] }],
    });
    expect(parseViewState('?range=7d&filter=colour:red')).toEqual({
      range: { kind: 'preset', preset: '7d' },
    });
    // The readable ones of several are kept, each once.
    expect(parseViewState('?range=7d&filter=os:iOS&filter=colour:red&filter=os:iOS')).toEqual({
      range: { kind: 'preset', preset: '7d' },
      filters: [{ property: 'os', operator: 'is', values: ['iOS'] }],
    });
  });

  it('writes the realtime view as range=realtime, without an aggregation or a filter (GET /realtime takes neither)', () => {
    expect(
      serializeViewState({
        range: { kind: 'realtime' },
        aggregation: 'hour',
        filters: [{ property: 'source', operator: 'is', values: ['Google'] }],
      }),
    ).toBe('?range=realtime');
    expect(parseViewState('?range=realtime&aggregation=minute&filter=source:Google')).toEqual({
      range: { kind: 'realtime' },
    });
  });

  it('drops an unknown aggregation but keeps the range', () => {
    expect(parseViewState('?range=30d&aggregation=week')).toEqual({
      range: { kind: 'preset', preset: '30d' },
    });
  });
});
