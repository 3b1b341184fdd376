/**
 * CSV for the read routes' `format=csv`: RFC 4180 (CRLF line ends, a cell with a comma, quote or
 * line break is quoted, quotes doubled), with the OWASP guard against formula injection: a cell
 * that starts with =, +, -, @, a tab or a carriage return gets a leading ' so a spreadsheet shows
 * it as text instead of running it (https://owasp.org/www-community/attacks/CSV_Injection).
 * Pure, no Node imports: the dashboard names its downloads with `csvFileName` too.
 */
import { localIso } from '../domain/zones.js';

const formulaStart = /^[=+\-@\t\r]/;

/** One cell as written: numbers as they are, text guarded and quoted when it must be. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const guarded = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** A header line and one line per row, each ending in CRLF (RFC 4180). */
export function toCsv<C extends string>(
  columns: readonly C[],
  rows: readonly Record<C, string | number>[],
): string {
  const line = (cells: readonly (string | number)[]) => `${cells.map(csvCell).join(',')}\r\n`;
  return line(columns) + rows.map((row) => line(columns.map((c) => row[c]))).join('');
}

/**
 * The download's name: the route and the range in the site's zone, e.g.
 * `pageviews-stats-2026-11-01--2026-11-08.csv` for whole local days, else with the local time
 * (`2026-11-01T14-30`: colons left out, Windows refuses them in file names).
 */
export function csvFileName(route: string, from: number, to: number, zone: string, detail?: string): string {
  const stamp = (ms: number) => {
    const wall = localIso(ms, zone).slice(0, 16).replace(':', '-');
    return wall.endsWith('T00-00') ? wall.slice(0, 10) : wall;
  };
  const name = ['pageviews', route.replace(/^\//, ''), detail, `${stamp(from)}--${stamp(to)}`]
    .filter(Boolean)
    .join('-');
  return `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;
}
