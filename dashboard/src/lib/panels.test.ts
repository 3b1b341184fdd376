import { describe, expect, it } from 'vitest';
import type { BreakdownRow } from '../../../lambdas/query/answers.js';
import {
  botsNote,
  countryName,
  filterScopeNote,
  tablesFilter,
  filterLabel,
  flagEmoji,
  filterText,
  initialPanelTabs,
  panelRows,
  panels,
  readFilterText,
} from './panels.js';

const row = (value: string, visitors: number): BreakdownRow => ({
  value,
  visitors,
  visits: visitors + 1,
  pageviews: visitors * 2,
});

describe('panel rows', () => {
  const rows = Array.from({ length: 14 }, (_, i) => row(`site${i}.example`, 40 - i * 2));

  it('shows the top 10 in the API order and keeps the rest for Details', () => {
    const { top, rest } = panelRows('source', rows);
    expect(top.map((r) => r.value)).toEqual(rows.slice(0, 10).map((r) => r.value));
    expect(rest.map((r) => r.value)).toEqual(rows.slice(10).map((r) => r.value));
    expect(top[0]).toMatchObject({
      visitors: 40,
      visits: 41,
      pageviews: 80,
      label: 'site0.example',
      flag: '',
    });
  });

  it('sizes each bar as visitors over the most visitors of any row', () => {
    const { top, rest } = panelRows(
      'source',
      [row('Google', 8), row('Direct / None', 4), row('GitHub', 1)],
      2,
    );
    expect(top.map((r) => r.bar)).toEqual([1, 0.5]);
    expect(rest.map((r) => r.bar)).toEqual([0.125]);
  });

  it('has no bars to draw and no rows for an empty answer, and no division by zero', () => {
    expect(panelRows('browser', [])).toEqual({ top: [], rest: [] });
    expect(panelRows('browser', [row('Chrome', 0)]).top[0]?.bar).toBe(0);
  });

  it('names countries and gives them flags; names device types', () => {
    const { top } = panelRows('country', [row('DE', 3), row('IN', 2), row('XX', 1)], 10, 'en');
    expect(top.map((r) => [r.label, r.flag])).toEqual([
      ['Germany', '🇩🇪'],
      ['India', '🇮🇳'],
      ['XX', '🇽🇽'],
    ]);
    expect(panelRows('device', [row('mobile', 1)]).top[0]?.label).toBe('Mobile');
    // Other values are shown as the API gives them.
    expect(panelRows('utm_campaign', [row('spring-sale', 1)]).top[0]?.label).toBe('spring-sale');
  });
});

describe('country names and flags', () => {
  it.each([
    ['US', '🇺🇸', 'United States'],
    ['GB', '🇬🇧', 'United Kingdom'],
    ['JP', '🇯🇵', 'Japan'],
  ])('%s is %s %s', (code, flag, name) => {
    expect(flagEmoji(code)).toBe(flag);
    expect(countryName(code, 'en')).toBe(name);
  });

  it('speaks the reader language', () => {
    expect(countryName('DE', 'de')).toBe('Deutschland');
  });

  it.each(['', 'de', 'DEU', '1A'])('leaves %j without a flag or a name of its own', (code) => {
    expect(flagEmoji(code)).toBe('');
    expect(countryName(code, 'en')).toBe(code);
  });
});

describe('the filter', () => {
  it.each([
    ['source:Google', { property: 'source', value: 'Google' }],
    ['source:Direct / None', { property: 'source', value: 'Direct / None' }],
    ['page:https://example.com/a?b=c', { property: 'page', value: 'https://example.com/a?b=c' }],
    ['utm_campaign:a:b', { property: 'utm_campaign', value: 'a:b' }],
    ['event:Signup: pro plan', { property: 'event', value: 'Signup: pro plan' }],
  ])('reads %j and writes it back', (text, filter) => {
    expect(readFilterText(text)).toEqual(filter);
    expect(filterText(readFilterText(text)!)).toBe(text);
  });

  it.each([null, '', 'source', 'source:', ':Google', 'entry_page:/', 'colour:red'])('ignores %j', (text) => {
    expect(readFilterText(text)).toBeUndefined();
  });

  it('says what it keeps, in words', () => {
    expect(filterLabel({ property: 'source', value: 'Google' })).toBe('Source is Google');
    expect(filterLabel({ property: 'country', value: 'IN' }, 'en')).toBe('Country is India');
    expect(filterLabel({ property: 'device', value: 'tablet' })).toBe('Device is Tablet');
    expect(filterLabel({ property: 'utm_medium', value: 'email' })).toBe('UTM medium is email');
    expect(filterLabel({ property: 'event', value: 'Signup' })).toBe('Goal is Signup');
  });
});

it('offers sources with channel and UTM tabs, countries, and devices by browser, OS and type, each property once', () => {
  expect(panels.map((p) => [p.title, p.tabs.map((t) => t.value)])).toEqual([
    [
      'Sources',
      [
        'source',
        'channel',
        'referrer',
        'utm_source',
        'utm_medium',
        'utm_campaign',
        'utm_term',
        'utm_content',
      ],
    ],
    ['Countries', ['country']],
    ['Devices', ['browser', 'os', 'device']],
  ]);
  expect(initialPanelTabs()).toEqual({ sources: 'source', countries: 'country', devices: 'browser' });
});

it('counts bot views in words', () => {
  expect(botsNote(0)).toBe('0 bot views filtered out');
  expect(botsNote(1)).toBe('1 bot view filtered out');
  expect(botsNote(1234)).toBe('1,234 bot views filtered out');
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
