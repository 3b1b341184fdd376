import { describe, expect, it } from 'vitest';
import {
  chartData,
  nextSortOrder,
  pagesTable,
  parseVisitsResponse,
  sortRows,
  summarize,
  totalsOf,
  type VisitsResponse,
} from './visits.js';

const t = (iso: string) => Date.parse(iso);
const bucket = (timeframe: string, visit_count: number) => ({ timeframe, visit_count });

/** Three pages over a 4-hour range; 12:00 has no visits at all. */
const response: VisitsResponse = {
  data: {
    'http://example.com/features': [bucket('2026-11-25T10:00:00.000Z', 2), bucket('2026-11-25T13:00:00.000Z', 3)],
    'http://example.com/pricing': [bucket('2026-11-25T10:00:00.000Z', 7), bucket('2026-11-25T11:00:00.000Z', 1)],
    'http://example.com/about': [bucket('2026-11-25T11:00:00.000Z', 5)],
  },
};
const range = { from: t('2026-11-25T10:00:00Z'), to: t('2026-11-25T14:00:00Z') };

describe('summarize and totalsOf', () => {
  it('adds up visits per page, per bucket and overall', () => {
    const summary = summarize(response);
    expect(summary.total).toBe(18);
    expect(summary.pages.map((p) => [p.page, p.total])).toEqual([
      ['http://example.com/pricing', 8],
      ['http://example.com/about', 5],
      ['http://example.com/features', 5],
    ]);
    expect(summary.bucketTotals.get(t('2026-11-25T10:00:00Z'))).toBe(9);
    expect(summary.bucketTotals.has(t('2026-11-25T12:00:00Z'))).toBe(false);
  });

  it('reports the total, the page count, the busiest bucket and the top page', () => {
    expect(totalsOf(summarize(response))).toEqual({
      visits: 18,
      pages: 3,
      peak: { start: t('2026-11-25T10:00:00Z'), visits: 9 },
      topPage: { page: 'http://example.com/pricing', visits: 8 },
    });
  });

  it('reports zero and no peak for an empty answer', () => {
    expect(totalsOf(summarize({ data: {} }))).toEqual({ visits: 0, pages: 0 });
  });
});

describe('chartData', () => {
  it('puts the total first and fills buckets the API left out with zero', () => {
    const chart = chartData(summarize(response), range, 'hour', 5);
    expect(chart.xs).toEqual([10, 11, 12, 13].map((h) => t(`2026-11-25T${h}:00:00Z`) / 1000));
    expect(chart.xRange).toEqual([range.from / 1000, range.to / 1000]);
    expect(chart.series).toEqual([
      { label: 'All pages', values: [9, 6, 0, 3] },
      { label: 'http://example.com/pricing', values: [7, 1, 0, 0] },
      { label: 'http://example.com/about', values: [0, 5, 0, 0] },
      { label: 'http://example.com/features', values: [2, 0, 0, 3] },
    ]);
  });

  it('draws only the busiest pages, and the total still counts all of them', () => {
    const chart = chartData(summarize(response), range, 'hour', 1);
    expect(chart.series.map((s) => s.label)).toEqual(['All pages', 'http://example.com/pricing']);
    expect(chart.series[0]?.values.reduce((a, b) => a + b)).toBe(18);
  });
});

describe('pagesTable', () => {
  it('has a column per bucket with visits, ascending, and a row per page', () => {
    const table = pagesTable(summarize(response), 10);
    expect(table.columns).toEqual([10, 11, 13].map((h) => t(`2026-11-25T${h}:00:00Z`)));
    expect(table.hiddenColumns).toBe(0);
    expect(table.rows.find((r) => r.page === 'http://example.com/about')?.counts.get(t('2026-11-25T11:00:00Z'))).toBe(5);
  });

  it('keeps the most recent columns when there are too many, and says how many are hidden', () => {
    const table = pagesTable(summarize(response), 2);
    expect(table.columns).toEqual([11, 13].map((h) => t(`2026-11-25T${h}:00:00Z`)));
    expect(table.hiddenColumns).toBe(1);
  });
});

describe('sortRows', () => {
  const rows = pagesTable(summarize(response), 10).rows;
  const pages = (order: Parameters<typeof sortRows>[1]) => sortRows(rows, order).map((r) => r.page.replace('http://example.com/', ''));

  it('sorts by total, ties broken by page URL', () => {
    expect(pages({ column: 'total', direction: 'descending' })).toEqual(['pricing', 'about', 'features']);
    expect(pages({ column: 'total', direction: 'ascending' })).toEqual(['about', 'features', 'pricing']);
  });

  it('sorts by page URL', () => {
    expect(pages({ column: 'page', direction: 'descending' })).toEqual(['pricing', 'features', 'about']);
  });

  it('sorts by one bucket, counting a missing bucket as zero', () => {
    expect(pages({ column: t('2026-11-25T13:00:00Z'), direction: 'descending' })).toEqual(['features', 'about', 'pricing']);
  });

  it('does not change the rows it was given', () => {
    const before = rows.map((r) => r.page);
    sortRows(rows, { column: 'page', direction: 'ascending' });
    expect(rows.map((r) => r.page)).toEqual(before);
  });
});

describe('nextSortOrder', () => {
  it('flips the direction when the same column is picked again', () => {
    expect(nextSortOrder({ column: 'total', direction: 'descending' }, 'total')).toEqual({ column: 'total', direction: 'ascending' });
  });
  it('starts a new number column high and the page column at A', () => {
    expect(nextSortOrder({ column: 'page', direction: 'ascending' }, 42)).toEqual({ column: 42, direction: 'descending' });
    expect(nextSortOrder({ column: 'total', direction: 'descending' }, 'page')).toEqual({ column: 'page', direction: 'ascending' });
  });
});

describe('parseVisitsResponse', () => {
  it('accepts the documented shape', () => {
    expect(parseVisitsResponse(response)).toBe(response);
  });
  it.each([null, 'oops', { data: [] }, { data: { p: [{ timeframe: 'never', visit_count: 1 }] } }, { data: { p: [{ timeframe: '2026-11-25T10:00:00Z' }] } }])(
    'refuses %j',
    (body) => {
      expect(() => parseVisitsResponse(body)).toThrow(TypeError);
    },
  );
});
