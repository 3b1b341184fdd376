import { describe, expect, it } from 'vitest';
import type { BreakdownRow, StatsAnswer } from '../../../lambdas/query/answers.js';
import {
  chartData,
  nextSortOrder,
  parseBreakdownAnswer,
  parseStatsAnswer,
  sortRows,
  topRow,
  visitorsAreSummed,
} from './stats.js';

const t = (iso: string) => Date.parse(iso);
const point = (timeframe: string, visitors: number, pageviews: number) => ({
  timeframe,
  visitors,
  visits: visitors,
  pageviews,
  bounces: 0,
  visit_duration: 0,
});

/** A 4-hour range in which 12:00 had no views at all. */
const stats: StatsAnswer = {
  totals: {
    visitors: 7,
    visits: 9,
    pageviews: 21,
    bounces: 4,
    bounce_rate: 44,
    visit_duration: 65,
    views_per_visit: 2.33,
    bots: 0,
  },
  series: [
    point('2026-11-25T10:00:00.000Z', 3, 9),
    point('2026-11-25T11:00:00.000Z', 2, 5),
    point('2026-11-25T13:00:00.000Z', 2, 7),
  ],
};
const range = { from: t('2026-11-25T10:00:00Z'), to: t('2026-11-25T14:00:00Z'), zone: 'UTC' };

describe('topRow', () => {
  it('shows the six totals in order, each with its number and its text', () => {
    expect(topRow(stats.totals).map(({ id, value, text }) => [id, value, text])).toEqual([
      ['visitors', 7, '7'],
      ['visits', 9, '9'],
      ['pageviews', 21, '21'],
      ['views_per_visit', 2.33, '2.33'],
      ['bounce_rate', 44, '44%'],
      ['visit_duration', 65, '1m 05s'],
    ]);
  });

  it('writes large counts with separators', () => {
    expect(topRow({ ...stats.totals, pageviews: 1_234_567 }).find((s) => s.id === 'pageviews')?.text).toBe(
      '1,234,567',
    );
  });
});

describe('visitorsAreSummed', () => {
  it.each([
    ['one day', '2026-11-25T00:00:00Z', '2026-11-26T00:00:00Z', false],
    ['two days', '2026-11-24T00:00:00Z', '2026-11-26T00:00:00Z', true],
  ])('is %s -> %s', (_what, from, to, summed) => {
    expect(visitorsAreSummed({ from: t(from), to: t(to), zone: 'UTC' })).toBe(summed);
  });

  it('counts days of the zone, not 24 hours: 25 October 2026 lasts 25 hours in Berlin and is one day', () => {
    expect(
      visitorsAreSummed({
        from: t('2026-10-24T22:00:00Z'),
        to: t('2026-10-25T23:00:00Z'),
        zone: 'Europe/Berlin',
      }),
    ).toBe(false);
    expect(
      visitorsAreSummed({
        from: t('2026-03-27T23:00:00Z'),
        to: t('2026-03-29T22:00:00Z'),
        zone: 'Europe/Berlin',
      }),
    ).toBe(true);
  });
});

describe('chartData', () => {
  it.each([
    ['visitors', 'Visitors', [3, 2, 0, 2]],
    ['pageviews', 'Pageviews', [9, 5, 0, 7]],
  ] as const)(
    'draws %s on every bucket of the range, zero where the API left one out',
    (metric, label, values) => {
      const chart = chartData(stats, range, 'hour', metric);
      expect(chart.xs).toEqual([10, 11, 12, 13].map((h) => t(`2026-11-25T${h}:00:00Z`) / 1000));
      expect(chart.xRange).toEqual([range.from / 1000, range.to / 1000]);
      expect(chart.series).toEqual([{ label, values, summary: expect.any(String) }]);
    },
  );

  it('draws no point for buckets that start after now: they are not zero visits', () => {
    const chart = chartData(stats, range, 'hour', 'visitors', t('2026-11-25T11:30:00Z'));
    expect(chart.xs).toHaveLength(4);
    expect(chart.series[0]?.values).toEqual([3, 2, null, null]);
  });

  it.each([
    ['visits', [3, 2, 0, 3], '9'],
    ['bounce_rate', [33, 0, 0, 67], '44%'],
    ['views_per_visit', [3, 2.5, 0, 2.33], '2.33'],
    ['visit_duration', [0, 0, 0, 0], '1m 05s'],
  ] as const)('charts %s per bucket as the top row computes it for the range', (metric, values, summary) => {
    const withBounces = {
      ...stats,
      series: [
        { ...point('2026-11-25T10:00:00.000Z', 3, 9), bounces: 1 },
        point('2026-11-25T11:00:00.000Z', 2, 5),
        { ...point('2026-11-25T13:00:00.000Z', 3, 7), bounces: 2 },
      ],
    };
    const chart = chartData(withBounces, range, 'hour', metric);
    expect(chart.series[0]?.values).toEqual(values);
    expect(chart.series[0]?.summary).toBe(summary);
  });

  it('puts day buckets on a day grid', () => {
    const days = { from: t('2026-11-23T00:00:00Z'), to: t('2026-11-26T00:00:00Z'), zone: 'UTC' };
    const chart = chartData(
      { ...stats, series: [point('2026-11-24T00:00:00.000Z', 4, 8)] },
      days,
      'day',
      'pageviews',
    );
    expect(chart.series[0]?.values).toEqual([0, 8, 0]);
  });

  it("puts day buckets at the site's midnights, as the API reports them (Berlin, across 25 October 2026)", () => {
    const days = { from: t('2026-10-23T22:00:00Z'), to: t('2026-10-26T23:00:00Z'), zone: 'Europe/Berlin' };
    const chart = chartData(
      {
        ...stats,
        series: [point('2026-10-24T22:00:00.000Z', 4, 8), point('2026-10-25T23:00:00.000Z', 1, 2)],
      },
      days,
      'day',
      'pageviews',
    );
    expect(chart.xs.map((s) => new Date(s * 1000).toISOString())).toEqual([
      '2026-10-23T22:00:00.000Z',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
    expect(chart.series[0]?.values).toEqual([0, 8, 2]);
  });

  it('starts the axis at the first UTC hour when a half-hour zone starts its day inside it (Kolkata)', () => {
    const today = { from: t('2026-11-20T18:30:00Z'), to: t('2026-11-21T18:30:00Z'), zone: 'Asia/Kolkata' };
    const chart = chartData(
      { ...stats, series: [point('2026-11-20T18:00:00.000Z', 1, 1)] },
      today,
      'hour',
      'pageviews',
    );
    expect(chart.xs).toHaveLength(25);
    expect(chart.xRange).toEqual([t('2026-11-20T18:00:00Z') / 1000, today.to / 1000]);
    expect(chart.series[0]?.values[0]).toBe(1);
  });
});

describe('sortRows', () => {
  const row = (value: string, visitors: number, visits: number, pageviews: number): BreakdownRow => ({
    value,
    visitors,
    visits,
    pageviews,
  });
  const rows = [row('/b', 5, 6, 9), row('/a', 5, 7, 8), row('/c', 9, 9, 1)];
  const order = (
    column: 'value' | 'visitors' | 'visits' | 'pageviews',
    direction: 'ascending' | 'descending',
  ) => sortRows(rows, { column, direction }).map((r) => r.value);

  it.each([
    ['visitors', 'descending', ['/c', '/a', '/b']], // ties by page, as the API sorts
    ['visitors', 'ascending', ['/a', '/b', '/c']],
    ['visits', 'descending', ['/c', '/a', '/b']],
    ['pageviews', 'descending', ['/b', '/a', '/c']],
    ['value', 'ascending', ['/a', '/b', '/c']],
    ['value', 'descending', ['/c', '/b', '/a']],
  ] as const)('by %s, %s', (column, direction, expected) => {
    expect(order(column, direction)).toEqual(expected);
  });

  it('does not change the rows it was given', () => {
    sortRows(rows, { column: 'value', direction: 'ascending' });
    expect(rows.map((r) => r.value)).toEqual(['/b', '/a', '/c']);
  });

  it('flips a column picked again, starts numbers high and pages at A', () => {
    expect(nextSortOrder({ column: 'visitors', direction: 'descending' }, 'visitors')).toEqual({
      column: 'visitors',
      direction: 'ascending',
    });
    expect(nextSortOrder({ column: 'value', direction: 'ascending' }, 'pageviews')).toEqual({
      column: 'pageviews',
      direction: 'descending',
    });
    expect(nextSortOrder({ column: 'visits', direction: 'descending' }, 'value')).toEqual({
      column: 'value',
      direction: 'ascending',
    });
  });
});

describe('answer checks', () => {
  it('accept the documented shapes', () => {
    expect(parseStatsAnswer(stats)).toBe(stats);
    const breakdown = { data: [{ value: '/a', visitors: 1, visits: 1, pageviews: 2 }] };
    expect(parseBreakdownAnswer(breakdown)).toBe(breakdown);
  });

  it.each([
    null,
    'oops',
    { series: [] },
    { totals: { ...stats.totals, bounce_rate: '44' }, series: [] },
    { totals: stats.totals },
    { totals: stats.totals, series: [{ ...stats.series[0], timeframe: 'never' }] },
    { totals: stats.totals, series: [{ timeframe: '2026-11-25T10:00:00Z', visitors: 1 }] },
  ])('refuse stats %j', (body) => {
    expect(() => parseStatsAnswer(body)).toThrow(TypeError);
  });

  it.each([
    null,
    { data: {} },
    { data: [{ value: 1, visitors: 1, visits: 1, pageviews: 1 }] },
    { data: [{ value: '/a', visitors: 1 }] },
  ])('refuse breakdown %j', (body) => {
    expect(() => parseBreakdownAnswer(body)).toThrow(TypeError);
  });
});
