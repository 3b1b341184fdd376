import { describe, expect, it } from 'vitest';
import { filterScopeNote, filterText, readFilterText, sampledShare, tablesFilter } from './filter.js';

describe('the filter', () => {
  it.each([
    ['source:Google', { property: 'source', value: 'Google' }],
    ['source:Direct / None', { property: 'source', value: 'Direct / None' }],
    ['page:https://example.com/a?b=c', { property: 'page', value: 'https://example.com/a?b=c' }],
    ['utm_campaign:a:b', { property: 'utm_campaign', value: 'a:b' }],
    ['event:Signup: pro plan', { property: 'event', value: 'Signup: pro plan' }],
    // Entry and exit pages filter too since the engine answers any filter (issue 21).
    ['entry_page:/', { property: 'entry_page', value: '/' }],
  ])('reads %j and writes it back', (text, filter) => {
    expect(readFilterText(text)).toEqual(filter);
    expect(filterText(readFilterText(text)!)).toBe(text);
  });

  it.each([null, '', 'source', 'source:', ':Google', 'colour:red'])('ignores %j', (text) => {
    expect(readFilterText(text)).toBeUndefined();
  });
});

describe('tablesFilter', () => {
  const google = { property: 'source', value: 'Google' } as const;
  const now = Date.parse('2026-11-26T10:00:00Z');

  it('filters the tables over the last 30 days of the site, the kept visits, and not before', () => {
    expect(tablesFilter(google, { from: Date.parse('2026-10-28T00:00:00Z'), zone: 'UTC' }, now)).toEqual(
      google,
    );
    expect(
      tablesFilter(google, { from: Date.parse('2026-10-27T00:00:00Z'), zone: 'UTC' }, now),
    ).toBeUndefined();
    // Kolkata's 28 October starts at 18:30 UTC the day before.
    expect(
      tablesFilter(google, { from: Date.parse('2026-10-27T18:30:00Z'), zone: 'Asia/Kolkata' }, now),
    ).toEqual(google);
    expect(tablesFilter(undefined, { from: now, zone: 'UTC' }, now)).toBeUndefined();
  });

  it('says what the filter narrows', () => {
    expect(filterScopeNote(true)).toBe('The filter applies to every figure, the chart and the tables.');
    expect(filterScopeNote(true, 12.5)).toBe(
      'The filter applies to every figure, the chart and the tables. The tables are estimates from 12.5% of the visitors: the range has too many to count each one.',
    );
    expect(filterScopeNote(false)).toBe(
      'The filter applies to the top row and the chart; the tables show all visits (they take a filter over the last 30 days only).',
    );
  });
});

it('takes the smallest share any table was counted from, and none when every table counted everyone', () => {
  expect(sampledShare([undefined, 25, 12.5, undefined])).toBe(12.5);
  expect(sampledShare([undefined, undefined])).toBeUndefined();
  expect(sampledShare([])).toBeUndefined();
});
