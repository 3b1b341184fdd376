/**
 * Shapes the API's answers into what the view shows: the top row, the chart's series on a
 * zero-filled bucket grid, and sortable breakdown rows. Pure functions, so every number on
 * screen can be checked in a unit test against the answer it came from.
 */
import {
  type Aggregation,
  bucketsOverlapping,
  countBucketsOverlapping,
} from '../../../lambdas/core/domain/buckets.js';
import type {
  BreakdownAnswer,
  BreakdownRow,
  StatsAnswer,
  StatsPoint,
  StatsTotals,
} from '../../../lambdas/query/answers.js';
import { checkValueRows, hasCounts } from './answer-shape.js';
import { formatCount, formatDuration, formatPercent, formatRatio } from './format.js';
import type { ZonedRange } from './range.js';

const totalNames = [
  'visitors',
  'visits',
  'pageviews',
  'bounces',
  'bounce_rate',
  'visit_duration',
  'views_per_visit',
] as const satisfies readonly (keyof StatsTotals)[];
const pointNames = ['visitors', 'visits', 'pageviews', 'bounces', 'visit_duration'] as const;
const rowNames = ['visitors', 'visits', 'pageviews'] as const;

/** Checks a GET /stats body has the documented shape, so a proxy's HTML page cannot crash the view. */
export function parseStatsAnswer(body: unknown): StatsAnswer {
  const { totals, series } = (body ?? {}) as Partial<Record<keyof StatsAnswer, unknown>>;
  if (!hasCounts(totals, totalNames)) throw new TypeError('The API answer has no "totals" with every count.');
  const validSeries =
    Array.isArray(series) &&
    series.every(
      (p: { timeframe?: unknown }) =>
        hasCounts(p, pointNames) && typeof p.timeframe === 'string' && !Number.isNaN(Date.parse(p.timeframe)),
    );
  if (!validSeries) throw new TypeError('The API answer has a malformed "series".');
  return body as StatsAnswer;
}

/** Checks a GET /breakdown body has the documented shape. */
export function parseBreakdownAnswer(body: unknown): BreakdownAnswer {
  return checkValueRows(body, rowNames, 'rows');
}

export interface TopStat {
  /** Each figure of the top row can be charted. */
  id: ChartMetric;
  label: string;
  value: number;
  /** As shown: "1,234", "42%", "1m 05s". */
  text: string;
}

/** The top row, in the order Plausible shows it. */
export function topRow(totals: StatsTotals): TopStat[] {
  const stat = (id: ChartMetric, label: string, format: (n: number) => string): TopStat => ({
    id,
    label,
    value: totals[id],
    text: format(totals[id]),
  });
  return [
    stat('visitors', 'Visitors', formatCount),
    stat('visits', 'Visits', formatCount),
    stat('pageviews', 'Pageviews', formatCount),
    stat('views_per_visit', 'Views per visit', formatRatio),
    stat('bounce_rate', 'Bounce rate', formatPercent),
    stat('visit_duration', 'Visit duration', formatDuration),
  ];
}

/** Visitors of several days are a sum of daily visitors (ids rotate at the site's midnight): say so when it applies. */
export function visitorsAreSummed(range: ZonedRange): boolean {
  // Counted in days, not hours: the day clocks go back lasts 25 hours and is still one day.
  return countBucketsOverlapping(range.from, range.to, 'day', range.zone) > 1;
}

/** Every figure of the top row can be charted (as in Plausible: click it). */
export const chartMetrics = [
  'visitors',
  'visits',
  'pageviews',
  'views_per_visit',
  'bounce_rate',
  'visit_duration',
] as const;
export type ChartMetric = (typeof chartMetrics)[number];
export const chartMetricLabels: Record<ChartMetric, string> = {
  visitors: 'Visitors',
  visits: 'Visits',
  pageviews: 'Pageviews',
  views_per_visit: 'Views per visit',
  bounce_rate: 'Bounce rate',
  visit_duration: 'Visit duration',
};
/** How a metric's values are written, on the axis and in the legend. */
export const chartMetricFormats: Record<ChartMetric, (n: number) => string> = {
  visitors: formatCount,
  visits: formatCount,
  pageviews: formatCount,
  views_per_visit: formatRatio,
  bounce_rate: formatPercent,
  visit_duration: formatDuration,
};

/** A bucket's value of a metric, computed as the API computes the range's figure. */
function pointValue(point: StatsPoint, metric: ChartMetric): number {
  switch (metric) {
    case 'bounce_rate':
      return point.visits === 0 ? 0 : Math.round((100 * point.bounces) / point.visits);
    case 'views_per_visit':
      return point.visits === 0 ? 0 : Math.round((100 * point.pageviews) / point.visits) / 100;
    default:
      return point[metric];
  }
}

export interface ChartSeries {
  label: string;
  /** null: a bucket that has not begun yet (after now), which is not data. */
  values: (number | null)[];
  /** The range's figure as the top row shows it: what the legend says while no bucket is pointed at. */
  summary: string;
}

export interface ChartData {
  /** Bucket starts in seconds, as uPlot wants them. */
  xs: number[];
  /**
   * The whole range in seconds, so the axis spans it even when there is a single bucket; from
   * the first bucket's start when that is earlier (an hour of UTC that began before a
   * half-hour zone's midnight).
   */
  xRange: [number, number];
  series: ChartSeries[];
}

/**
 * One point per bucket in [from, to), zero where the API left a bucket out, so a quiet hour
 * shows as a dip to zero instead of a line drawn straight across it; no point for a bucket that
 * starts after `now` (the rest of today is not a day of zero visits).
 */
export function chartData(
  stats: StatsAnswer,
  range: ZonedRange,
  aggregation: Aggregation,
  metric: ChartMetric,
  now: number = Date.now(),
): ChartData {
  // Days and months of the site's zone, as the API reports them; minutes and hours are UTC ones.
  const starts = bucketsOverlapping(range.from, range.to, aggregation, range.zone);
  const byStart = new Map(
    stats.series.map((point) => [Date.parse(point.timeframe), pointValue(point, metric)]),
  );
  return {
    xs: starts.map((s) => s / 1000),
    xRange: [Math.min(range.from, starts[0] ?? range.from) / 1000, range.to / 1000],
    series: [
      {
        label: chartMetricLabels[metric],
        values: starts.map((s) => (s > now ? null : (byStart.get(s) ?? 0))),
        summary: chartMetricFormats[metric](stats.totals[metric]),
      },
    ],
  };
}

export type SortColumn = keyof BreakdownRow;
export interface SortOrder {
  column: SortColumn;
  direction: 'ascending' | 'descending';
}

/** The API's own order: visitors, most first, then the page. */
export const defaultSortOrder: SortOrder = { column: 'visitors', direction: 'descending' };

export function sortRows(rows: readonly BreakdownRow[], order: SortOrder): BreakdownRow[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const byColumn =
      order.column === 'value' ? a.value.localeCompare(b.value) : a[order.column] - b[order.column];
    // Ties fall back to the page, ascending, so equal rows never shuffle between refreshes.
    return byColumn * sign || a.value.localeCompare(b.value);
  });
}

/** Clicking a column sorts by it; clicking it again flips the direction. Numbers start high. */
export function nextSortOrder(current: SortOrder, column: SortColumn): SortOrder {
  if (current.column === column) {
    return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  }
  return { column, direction: column === 'value' ? 'ascending' : 'descending' };
}
