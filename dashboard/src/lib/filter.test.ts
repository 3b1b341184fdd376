import { describe, expect, it } from 'vitest';
import {
  type Filter,
  filterScopeNote,
  filterText,
  readFilterText,
  readFilters,
  withFilter,
  withRowFilter,
} from './filter.js';

describe('a filter in the URL', () => {
  it.each<[string, Filter]>([
    ['source:Google', { property: 'source', operator: 'is', values: ['Google'] }],
    ['source:Direct / None', { property: 'source', operator: 'is', values: ['Direct / None'] }],
    [
      'page:https://example.com/a?b=c',
      { property: 'page', operator: 'is', values: ['https://example.com/a?b=c'] },
    ],
    ['utm_campaign:a:b', { property: 'utm_campaign', operator: 'is', values: ['a:b'] }],
    ['event:Signup: pro plan', { property: 'event', operator: 'is', values: ['Signup: pro plan'] }],
    ['entry_page:/', { property: 'entry_page', operator: 'is', values: ['/'] }],
    ['country!:DE|AT', { property: 'country', operator: 'is_not', values: ['DE', 'AT'] }],
    ['page~:/blog', { property: 'page', operator: 'contains', values: ['/blog'] }],
    ['referrer~:news|blog', { property: 'referrer', operator: 'contains', values: ['news', 'blog'] }],
  ])('reads %j and writes it back', (text, filter) => {
    expect(readFilterText(text)).toEqual(filter);
    expect(filterText(readFilterText(text)!)).toBe(text);
  });

  it.each([
    null,
    '',
    'source',
    'source:',
    ':Google',
    'colour:red',
    'country!:',
    'country:DE|',
    'page~:|x',
    'os?:iOS',
  ])('ignores %j', (text) => {
    expect(readFilterText(text)).toBeUndefined();
  });

  it('keeps the readable filters of a link, each once, in order', () => {
    expect(readFilters(['os:iOS', 'colour:red', 'country!:DE', 'os:iOS']).map(filterText)).toEqual([
      'os:iOS',
      'country!:DE',
    ]);
  });
});

describe('changing the filters', () => {
  const filters = readFilters(['source:Bing', 'country!:DE', 'page~:/blog']);

  it("replaces the filters on a clicked row's property with 'is' its value", () => {
    expect(withRowFilter(filters, { property: 'source', value: 'Google' }).map(filterText)).toEqual([
      'country!:DE',
      'page~:/blog',
      'source:Google',
    ]);
    expect(withRowFilter(filters, { property: 'country', value: 'FR' }).map(filterText)).toEqual([
      'source:Bing',
      'page~:/blog',
      'country:FR',
    ]);
  });

  it('adds a filter from the editor beside those on the same property, and the same one once', () => {
    const added = withFilter(filters, readFilterText('source~:duck')!);
    expect(added.map(filterText)).toEqual(['source:Bing', 'country!:DE', 'page~:/blog', 'source~:duck']);
    expect(withFilter(added, readFilterText('country!:DE')!)).toEqual(added);
  });
});

it('says what the filters narrow', () => {
  expect(filterScopeNote(1)).toBe('The filter applies to every figure, the chart and the tables.');
  expect(filterScopeNote(3)).toBe(
    'The filters (all of them) apply to every figure, the chart and the tables.',
  );
});
