import { describe, expect, it } from 'vitest';
import type { BreakdownRow } from '../../../lambdas/query/answers.js';
import { initialPanelTabs, panelRows, panels } from './panels.js';

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

it('offers the pages table, sources with channel and UTM tabs, countries, devices by browser, OS and type, and goals, each property once', () => {
  expect(panels.map((p) => [p.kind, p.title, p.tabs.map((t) => t.value)])).toEqual([
    ['pages', 'Pages', ['page', 'entry_page', 'exit_page']],
    [
      'breakdown',
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
    ['breakdown', 'Countries', ['country']],
    ['breakdown', 'Devices', ['browser', 'os', 'device']],
    ['goals', 'Goals', ['event']],
  ]);
  expect(initialPanelTabs()).toEqual({
    pages: 'page',
    sources: 'source',
    countries: 'country',
    devices: 'browser',
    goals: 'event',
  });
});
