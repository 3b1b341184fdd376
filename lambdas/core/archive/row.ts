/**
 * The archive's row: one page view or custom event, with the properties its view carried. The
 * one definition of the columns: the Parquet files (archive.ts), the SQL engine (query/explore),
 * GET /export and the import read them from here.
 *
 * `event_id` is the id the view is known by: the visitor-day's 48-bit hash of the client's event
 * id for a counted view (the raw id is never stored), the file's id for an imported row. It is
 * the exactly-once key of a day's rows and breaks ties of one millisecond, as the hash does in
 * visitor-day.ts, so SQL orders a day's views as visitsOf does.
 */
import type { EventProps } from '../domain/event-props.js';
import { type VisitDims, type VisitProperty, visitProperties } from '../domain/visit-properties.js';
import type { View, VisitorDay } from '../domain/visitor-day.js';

export const rowTypes = ['pageview', 'event'] as const;
export type RowType = (typeof rowTypes)[number];

export interface ArchiveRow extends VisitDims {
  /** Epoch milliseconds. */
  time: number;
  event_id: string;
  /** The visitor of that day (ids are made from the day's salt). */
  visitor_id: string;
  type: RowType;
  /** The custom event's name; absent for a page view. */
  name?: string;
  /** The page (scheme, host, path), as counted. */
  page: string;
  /** A custom event's properties as a JSON object (`{"plan":"pro"}`); absent for a page view and an event without any. */
  props?: string;
}

/** GET /export's columns, in its order (the contract); `timestamp` is `time` as ISO-8601 UTC. */
// The order: referrer before source, then the other visit properties in their order; the
// channel is derived from the others and left out of the export.
const exportedProperties: readonly VisitProperty[] = [
  'referrer',
  'source',
  ...visitProperties.filter((p) => p !== 'referrer' && p !== 'source' && p !== 'channel'),
];
const rowColumns = ['event_id', 'visitor_id', 'type', 'name', 'page', ...exportedProperties] as const;
// Issue 22 appended `props` (the event's properties as a JSON object) after the columns.
export const exportColumns = ['timestamp', ...rowColumns, 'props'] as const;
export type ExportColumn = (typeof exportColumns)[number];

/**
 * The Parquet columns: the export's, in its order (`time` as INT64 milliseconds, every other
 * column a string, null when absent), then the visit properties the export leaves out (the
 * channel, derived from the others: an import leaves it empty, counted as Direct), then `props`
 * (added by issue 22: files written before it have no such column, read as null).
 */
export const archiveColumns = ['time', ...rowColumns, 'channel', 'props'] as const;
export type ArchiveColumn = (typeof archiveColumns)[number];

/**
 * Columns added after the first archives and exports were written: an older Parquet file or CSV
 * file has no such column, read as absent (null) everywhere.
 */
export const lateColumns = ['props'] as const satisfies readonly (ArchiveColumn & ExportColumn)[];

/** The string columns that may be absent (null in Parquet, empty in CSV). */
export const optionalColumns: readonly ArchiveColumn[] = ['name', ...visitProperties, 'props'];

/** A row read back from Parquet or SQL, column by column: an absent or null column is left out, `time` is a number. */
export function archiveRowOf(record: Readonly<Record<string, unknown>>): ArchiveRow {
  const row: Record<string, string | number> = {};
  for (const column of archiveColumns) {
    const value = record[column];
    if (value !== null && value !== undefined)
      row[column] = column === 'time' ? Number(value) : String(value);
  }
  return row as unknown as ArchiveRow;
}

/** A visitor-day's rows: its page views and events (bot views are counted apart and never archived). */
export function rowsOfVisitorDay(day: VisitorDay): ArchiveRow[] {
  const rows: ArchiveRow[] = [];
  for (const view of day.views) {
    if (view.kind !== 'pageview' && view.kind !== 'event') continue;
    rows.push({
      time: view.time,
      event_id: view.hash,
      visitor_id: day.visitorId,
      type: view.kind,
      ...(view.kind === 'event' && view.name !== undefined ? { name: view.name } : {}),
      page: view.page,
      ...view.dims,
      ...(view.kind === 'event' && hasProps(view.props) ? { props: JSON.stringify(view.props) } : {}),
    });
  }
  return rows;
}

/** A row back as the view the counters are computed from (import counts rows as the consumer counts views). */
export function viewOfRow(row: ArchiveRow): View {
  const dims: VisitDims = {};
  for (const property of visitProperties) if (row[property] !== undefined) dims[property] = row[property];
  return {
    time: row.time,
    page: row.page,
    hash: row.event_id,
    kind: row.type,
    ...(Object.keys(dims).length > 0 ? { dims } : {}),
    ...(row.type === 'event' && row.name !== undefined ? { name: row.name } : {}),
    ...(row.type === 'event' && row.props !== undefined
      ? { props: JSON.parse(row.props) as EventProps }
      : {}),
  };
}

const hasProps = (props: EventProps | undefined): props is EventProps =>
  props !== undefined && Object.keys(props).length > 0;

/** Rows in the order they happened, ties broken by event id (visitor-day.ts's `chronological`). */
export function byTime(a: ArchiveRow, b: ArchiveRow): number {
  return a.time - b.time || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);
}
