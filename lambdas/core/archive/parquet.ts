/**
 * A day's archive files to and from Parquet. hyparquet-writer is pure JavaScript (MIT, one
 * dependency, no native binary), so the archiver bundles into an arm64 Lambda as it is; DuckDB
 * and Athena read what it writes. Snappy-compressed, one row group per day file.
 *
 * A day is two files: its rows (row.ts's columns, then `visit`, the row's visit number) and its
 * visit pages (visits.ts), both computed here from the rows alone, so whoever writes a day (the
 * archiver, the import) writes the same files.
 */
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { visitProperties } from '../domain/visit-properties.js';
import { type ArchiveRow, archiveColumns, archiveRowOf, byTime } from './row.js';
import { type VisitPage, visitsOfDay } from './visits.js';

/** The visit-pages file's numeric columns and their Parquet types; every other column is a string. */
const visitPageNumbers = {
  visitor_number: 'INT32',
  visit: 'INT32',
  views: 'INT32',
  first_page: 'INT32',
  page_visits: 'INT32',
  visitor_visits: 'INT32',
  start_time: 'INT64',
  duration: 'INT32',
  pageviews: 'INT32',
  events: 'INT32',
} as const;
/** The Glue types of the numeric columns (infra/constructs/archive.ts). */
export const visitPageColumnTypes: Partial<Record<string, string>> = Object.fromEntries(
  Object.entries(visitPageNumbers).map(([name, type]) => [name, type === 'INT64' ? 'bigint' : 'int']),
);
export const visitPageColumns = [
  'visitor_id',
  'visitor_number',
  'visit',
  'page',
  'views',
  'first_page',
  'page_visits',
  'visitor_visits',
  'start_time',
  'duration',
  'pageviews',
  'events',
  'entry_page',
  'exit_page',
  ...visitProperties,
] as const satisfies readonly (keyof VisitPage)[];

export interface DayFiles {
  rows: Uint8Array;
  visitPages: Uint8Array;
}

export function dayToParquet(rows: readonly ArchiveRow[]): DayFiles {
  const sorted = [...rows].sort(byTime);
  const { visitOfRow, visitPages, visits } = visitsOfDay(sorted);
  const rowsFile = parquetWriteBuffer({
    columnData: [
      ...archiveColumns.map((name) =>
        name === 'time'
          ? { name, data: sorted.map((row) => BigInt(row.time)), type: 'INT64' as const }
          : { name, data: sorted.map((row) => row[name] ?? null), type: 'STRING' as const },
      ),
      { name: 'visit', data: visitOfRow, type: 'INT32' as const },
    ],
  });
  const visitPagesFile = parquetWriteBuffer({
    // The visits' own rows in row groups of their own: their statistics (first_page 1 to 1) let
    // DuckDB and Athena skip the other pages' groups in a visit-level query.
    rowGroupSize: visits < visitPages.length ? [visits, 100_000] : 100_000,
    columnData: visitPageColumns.map((name) => {
      const type = (visitPageNumbers as Record<string, 'INT32' | 'INT64'>)[name];
      const data = visitPages.map((page) => page[name] ?? null);
      return type === 'INT64'
        ? { name, data: data.map((n) => BigInt(n as number)), type }
        : { name, data, type: type ?? ('STRING' as const) };
    }),
  });
  return { rows: new Uint8Array(rowsFile), visitPages: new Uint8Array(visitPagesFile) };
}

export async function rowsFromParquet(bytes: Uint8Array): Promise<ArchiveRow[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  // A file written before a column was added (issue 22's `props`) is read without it.
  const metadata = parquetMetadata(file);
  const present = new Set(metadata.schema.map((element) => element.name));
  const columns = archiveColumns.filter((column) => present.has(column));
  const objects = (await parquetReadObjects({ file, metadata, columns })) as Record<string, unknown>[];
  return objects.map(archiveRowOf);
}
