/**
 * `format=csv`: each read route's JSON answer as the rows of a table. The same numbers as the
 * JSON, in the same order; only the shape changes.
 */
import { localIso } from '../core/domain/zones.js';
import { toCsv } from '../core/http/csv.js';
import type {
  BreakdownAnswer,
  FunnelAnswer,
  GoalsAnswer,
  PageRow,
  StatsAnswer,
  VisitsAnswer,
} from './answers.js';

/** A bucket's start on the site's wall clock, with its offset: the same instant as the JSON's UTC one. */
const localTimeframe = (timeframe: string, zone: string) => localIso(Date.parse(timeframe), zone);

/** GET /visits: one line per page and bucket, pages in the JSON's order. */
export function visitsCsv(answer: VisitsAnswer, zone: string): string {
  const rows = Object.entries(answer.data).flatMap(([page, points]) =>
    points.map((p) => ({ page, timeframe: localTimeframe(p.timeframe, zone), visit_count: p.visit_count })),
  );
  return toCsv(['page', 'timeframe', 'visit_count'], rows);
}

/** GET /stats: the series (the totals are sums and ratios of it, which a spreadsheet redoes). */
export function statsCsv(answer: StatsAnswer, zone: string): string {
  return toCsv(
    ['timeframe', 'visitors', 'visits', 'pageviews', 'bounces', 'visit_duration'],
    answer.series.map((point) => ({ ...point, timeframe: localTimeframe(point.timeframe, zone) })),
  );
}

/** GET /breakdown: its rows, with the engagement's columns for unfiltered pages. */
export function breakdownCsv(answer: BreakdownAnswer): string {
  const rows = answer.data;
  const columns = ['value', 'visitors', 'visits', 'pageviews'] as const;
  if (!rows.some((row) => 'time_on_page' in row)) return toCsv(columns, rows);
  // No engagement reported is an empty cell, as a spreadsheet expects of a missing number.
  const pages = (rows as PageRow[]).map((row) => ({
    ...row,
    time_on_page: row.time_on_page ?? '',
    scroll_depth: row.scroll_depth ?? '',
  }));
  return toCsv([...columns, 'time_on_page', 'scroll_depth'], pages);
}

/** GET /breakdown?property=event: the goals' rows. */
export function goalsCsv(answer: GoalsAnswer): string {
  return toCsv(['value', 'visitors', 'events', 'conversion_rate'], answer.data);
}

/** GET /funnel: one line per step, in the funnel's order. */
export function funnelCsv(answer: FunnelAnswer): string {
  return toCsv(['step', 'visitors', 'conversion_rate', 'dropoff'], answer.steps);
}
