/**
 * GET /export?dateFrom=&dateTo=: the org's page views and events of the range as CSV, one row
 * each, with the archive's columns in the export's order (core/archive/row.ts): the owner's data,
 * to keep, move to another stack (`npm run org -- import`) or load anywhere. Archived days come
 * from the archive, open days from their visitor-days. A Lambda answer through API Gateway is at
 * most 6 MB: a range over that is refused with what to do instead (export it month by month).
 */
import { rowsToCsv } from '../core/archive/csv.js';
import { type ArchiveRow, byTime } from '../core/archive/row.js';
import { HttpError } from '../core/http/errors.js';
import { type ExploreDeps, exploreRows } from './explore/explore.js';
import { type RangeQuery, checkParameters, parseRange } from './params.js';
import { daysOf, overlappingDays } from './range.js';

export const exportParameters = ['dateFrom', 'dateTo'] as const;
/** Under API Gateway's and Lambda's 6 MB answer, with room for headers. */
export const maxExportBytes = 5_500_000;

export interface ExportQuery extends RangeQuery {
  now: number;
}

export function parseExportQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
): ExportQuery {
  checkParameters('GET /export', exportParameters, query, parameterCount);
  return { ...parseRange(query, now, zone, 'day'), now };
}

export class ExportTooLargeError extends HttpError {
  override name = 'ExportTooLargeError';
  constructor(message: string) {
    super(413, message);
  }
}

/** The rows of [from, to), in time order, as CSV. */
export async function queryExport(
  orgId: string,
  q: ExportQuery,
  deps: ExploreDeps,
): Promise<{ csv: string; rows: number; itemsRead: number }> {
  const { rows, itemsRead } = await exploreRows(orgId, daysOf(overlappingDays(q)), deps, q);
  const inRange: ArchiveRow[] = rows.filter((row) => row.time >= q.from && row.time < q.to).sort(byTime);
  const csv = rowsToCsv(inRange);
  if (Buffer.byteLength(csv) > maxExportBytes)
    throw new ExportTooLargeError(
      `The export of this range is ${(Buffer.byteLength(csv) / 1e6).toFixed(1)} MB, over the ${maxExportBytes / 1e6} MB one answer can carry; export it in shorter ranges (a month at a time), or query the archive in Athena (README).`,
    );
  return { csv, rows: inRange.length, itemsRead };
}
