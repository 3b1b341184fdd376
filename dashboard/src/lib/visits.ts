/**
 * Shapes the API's answer into what the view shows: totals, chart series on a zero-filled
 * bucket grid, and sortable table rows. Pure functions, so every number on screen can be
 * checked in a unit test against the response it came from.
 */
import { bucketStarts, type Aggregation } from './time.js';

/** `GET /visits` 200 body, as the original service defined it. */
export interface VisitsResponse {
  data: Record<string, { timeframe: string; visit_count: number }[]>;
}

/** One page's counts, keyed by bucket start (epoch ms). */
export interface PageVisits {
  page: string;
  total: number;
  counts: Map<number, number>;
}

export interface VisitsSummary {
  /** Pages by total, busiest first; ties by page URL so the order is stable across refreshes. */
  pages: PageVisits[];
  total: number;
  /** Visits per bucket over all pages. */
  bucketTotals: Map<number, number>;
}

/** Checks the body really has the documented shape, so a proxy's HTML page cannot crash the view. */
export function parseVisitsResponse(body: unknown): VisitsResponse {
  const data = (body as { data?: unknown } | null)?.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TypeError('The API answer has no "data" object.');
  }
  for (const [page, buckets] of Object.entries(data)) {
    const valid =
      Array.isArray(buckets) &&
      buckets.every(
        (b: { timeframe?: unknown; visit_count?: unknown }) =>
          typeof b?.timeframe === 'string' &&
          !Number.isNaN(Date.parse(b.timeframe)) &&
          typeof b.visit_count === 'number' &&
          Number.isFinite(b.visit_count),
      );
    if (!valid) throw new TypeError(`The API answer has malformed buckets for ${page}.`);
  }
  return body as VisitsResponse;
}

export function summarize(response: VisitsResponse): VisitsSummary {
  const bucketTotals = new Map<number, number>();
  const pages: PageVisits[] = Object.entries(response.data).map(([page, buckets]) => {
    const counts = new Map<number, number>();
    let total = 0;
    for (const { timeframe, visit_count } of buckets) {
      const start = Date.parse(timeframe);
      counts.set(start, (counts.get(start) ?? 0) + visit_count);
      bucketTotals.set(start, (bucketTotals.get(start) ?? 0) + visit_count);
      total += visit_count;
    }
    return { page, total, counts };
  });
  pages.sort((a, b) => b.total - a.total || a.page.localeCompare(b.page));
  return { pages, total: pages.reduce((sum, p) => sum + p.total, 0), bucketTotals };
}

export interface Totals {
  visits: number;
  pages: number;
  /** The busiest bucket, or undefined when there were no visits. */
  peak?: { start: number; visits: number };
  topPage?: { page: string; visits: number };
}

export function totalsOf(summary: VisitsSummary): Totals {
  let peak: Totals['peak'];
  for (const [start, visits] of summary.bucketTotals) {
    if (!peak || visits > peak.visits || (visits === peak.visits && start < peak.start)) peak = { start, visits };
  }
  const top = summary.pages[0];
  return {
    visits: summary.total,
    pages: summary.pages.length,
    ...(peak ? { peak } : {}),
    ...(top ? { topPage: { page: top.page, visits: top.total } } : {}),
  };
}

export interface ChartSeries {
  label: string;
  values: number[];
}

export interface ChartData {
  /** Bucket starts in seconds, as uPlot wants them. */
  xs: number[];
  /** The whole range in seconds, so the axis spans it even when there is a single bucket. */
  xRange: [number, number];
  /** The total first, then the busiest pages. */
  series: ChartSeries[];
}

/**
 * One point per bucket in [from, to), zero where the API left a bucket out, so a quiet hour
 * shows as a dip to zero instead of a line drawn straight across it.
 */
export function chartData(
  summary: VisitsSummary,
  range: { from: number; to: number },
  aggregation: Aggregation,
  topPages: number,
): ChartData {
  const starts = bucketStarts(range.from, range.to, aggregation);
  const fill = (counts: Map<number, number>) => starts.map((s) => counts.get(s) ?? 0);
  return {
    xs: starts.map((s) => s / 1000),
    xRange: [range.from / 1000, range.to / 1000],
    series: [
      { label: 'All pages', values: fill(summary.bucketTotals) },
      ...summary.pages.slice(0, topPages).map((p) => ({ label: p.page, values: fill(p.counts) })),
    ],
  };
}

export interface TableRow {
  page: string;
  total: number;
  counts: Map<number, number>;
}

export interface PagesTable {
  /** Bucket starts shown as columns: those with visits, most recent last. */
  columns: number[];
  /** Buckets with visits that did not fit and are left out of the columns (not of the totals). */
  hiddenColumns: number;
  rows: TableRow[];
}

/**
 * Columns are only the buckets that had visits (the chart shows the empty ones); when there are
 * more than `maxColumns` the most recent are kept, since a 1,440-column table helps nobody.
 */
export function pagesTable(summary: VisitsSummary, maxColumns: number): PagesTable {
  const withVisits = [...summary.bucketTotals.keys()].sort((a, b) => a - b);
  const columns = withVisits.slice(Math.max(0, withVisits.length - maxColumns));
  return {
    columns,
    hiddenColumns: withVisits.length - columns.length,
    rows: summary.pages.map(({ page, total, counts }) => ({ page, total, counts })),
  };
}

/** A column to sort by: the page URL, the total, or one bucket (its start, epoch ms). */
export type SortColumn = 'page' | 'total' | number;
export interface SortOrder {
  column: SortColumn;
  direction: 'ascending' | 'descending';
}

export const defaultSortOrder: SortOrder = { column: 'total', direction: 'descending' };

export function sortRows(rows: readonly TableRow[], order: SortOrder): TableRow[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  const valueOf = (row: TableRow) =>
    order.column === 'total' ? row.total : typeof order.column === 'number' ? (row.counts.get(order.column) ?? 0) : 0;
  return [...rows].sort((a, b) => {
    const byColumn = order.column === 'page' ? a.page.localeCompare(b.page) : valueOf(a) - valueOf(b);
    // Ties fall back to the page URL, ascending, so equal rows never shuffle between refreshes.
    return byColumn * sign || a.page.localeCompare(b.page);
  });
}

/** Clicking a column sorts by it; clicking it again flips the direction. Numbers start high. */
export function nextSortOrder(current: SortOrder, column: SortColumn): SortOrder {
  if (current.column === column) {
    return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  }
  return { column, direction: column === 'page' ? 'ascending' : 'descending' };
}
