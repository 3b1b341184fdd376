/**
 * `format=csv`: each read route's JSON answer as the rows of a table. The same numbers as the
 * JSON, in the same order; only the shape changes.
 */
import { toCsv } from '../core/http/csv.js';
import type { BreakdownAnswer, GoalsAnswer, StatsAnswer, VisitsAnswer } from './answers.js';

/** GET /visits: one line per page and bucket, pages in the JSON's order. */
export function visitsCsv(answer: VisitsAnswer): string {
  const rows = Object.entries(answer.data).flatMap(([page, points]) =>
    points.map((p) => ({ page, timeframe: p.timeframe, visit_count: p.visit_count })),
  );
  return toCsv(['page', 'timeframe', 'visit_count'], rows);
}

/** GET /stats: the series (the totals are sums and ratios of it, which a spreadsheet redoes). */
export function statsCsv(answer: StatsAnswer): string {
  return toCsv(['timeframe', 'visitors', 'visits', 'pageviews', 'bounces', 'visit_duration'], answer.series);
}

/** GET /breakdown: its rows. */
export function breakdownCsv(answer: BreakdownAnswer): string {
  return toCsv(['value', 'visitors', 'visits', 'pageviews'], answer.data);
}

/** GET /breakdown?property=event: the goals' rows. */
export function goalsCsv(answer: GoalsAnswer): string {
  return toCsv(['value', 'visitors', 'events', 'conversion_rate'], answer.data);
}
