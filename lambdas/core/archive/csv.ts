/**
 * The archive's rows as CSV, both ways: GET /export writes them (the columns, in order,
 * with the formula-injection guard of format=csv), `npm run org -- import` reads them back. A
 * file is refused whole, with the first bad line's number and what is accepted, before anything
 * is written.
 */
import { type VisitDims, visitProperties } from '../domain/visit-properties.js';
import { canonicalPageUrl } from '../domain/queued-view.js';
import { readEventProps } from '../domain/event-props.js';
import { sourceOf } from '../domain/sources.js';
import { toCsv } from '../http/csv.js';
import { type ArchiveRow, type ExportColumn, exportColumns, lateColumns, rowTypes } from './row.js';

export function rowsToCsv(rows: readonly ArchiveRow[]): string {
  return toCsv(
    exportColumns,
    rows.map((row) => {
      const cells = { timestamp: new Date(row.time).toISOString() } as Record<ExportColumn, string>;
      for (const column of exportColumns.slice(1) as Exclude<ExportColumn, 'timestamp'>[])
        cells[column] = row[column] ?? '';
      return cells;
    }),
  );
}

/** A file that cannot be imported: the line and what is wrong with it. */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** RFC 4180 records, each with the line it starts on; quoted cells may hold commas, quotes and line breaks. */
export function csvRecords(text: string): { line: number; cells: string[] }[] {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.length > 1 || cells[0] !== '') records.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else cell += c;
  }
  if (quoted) throw new ImportFileError(start, 'a quoted cell is not closed');
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ line: start, cells });
  }
  return records;
}

/** Undoes the export's guard: a leading ' before =, +, -, @, a tab or a carriage return was added by it. */
const unguarded = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const eventIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const devices = ['desktop', 'mobile', 'tablet'];

/** The source ingest would have derived from the row's UTM source tag, else its referrer (as counted, `host/path`, or a URL). */
function derivedSource(page: string, dims: VisitDims): string | undefined {
  const url = new URL(page);
  if (dims.utm_source) url.searchParams.set('utm_source', dims.utm_source);
  const referrer =
    dims.referrer && (URL.canParse(dims.referrer) ? dims.referrer : `https://${dims.referrer}`);
  return sourceOf({ pageUrl: url.href, referrer, ownDomains: [] });
}

/**
 * The `props` cell: empty, or a JSON object of an event's properties under POST /events's rules
 * (domain/event-props.ts), kept as the archive keeps it (canonical JSON, values as strings).
 */
function propsCell(
  text: string,
  type: ArchiveRow['type'],
  bad: (message: string) => Error,
): string | undefined {
  if (text === '') return undefined;
  if (type !== 'event') throw bad('a page view has no properties (props must be empty)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad(`props must be a JSON object such as {"plan":"pro"}; got ${JSON.stringify(text.slice(0, 60))}`);
  }
  const checked = readEventProps(parsed);
  if ('error' in checked) throw bad(checked.error);
  return Object.keys(checked.props).length > 0 ? JSON.stringify(checked.props) : undefined;
}

/**
 * Every row of an export-shaped file, checked: the header names every column (in any order;
 * others are ignored), and each row has a time, an event id, a visitor, a known type (an event
 * with its name), an absolute page URL, a two-letter country or none, and an event's properties
 * or none. `source` empty means the source is derived from `utm_source`, else the referrer's
 * host, as ingest derives it.
 */
export function parseArchiveCsv(text: string): { row: ArchiveRow; line: number }[] {
  const [header, ...records] = csvRecords(text);
  if (!header)
    throw new ImportFileError(
      1,
      `the file is empty; its first line must name the columns ${exportColumns.join(',')}`,
    );
  const index = new Map(header.cells.map((name, i) => [name.trim(), i]));
  // An older export, without the columns added since, is still accepted.
  const missing = exportColumns.filter(
    (column) => !index.has(column) && !(lateColumns as readonly string[]).includes(column),
  );
  if (missing.length > 0)
    throw new ImportFileError(
      header.line,
      `missing column(s) ${missing.join(', ')}; the header must name ${exportColumns.join(',')} (as GET /export writes it)`,
    );
  return records.map(({ line, cells }) => {
    const cell = (column: ExportColumn) => unguarded(cells[index.get(column)!] ?? '').trim();
    const bad = (message: string) => new ImportFileError(line, message);
    const timestamp = cell('timestamp');
    const time = isoTime.test(timestamp) ? Date.parse(timestamp) : NaN;
    if (!Number.isFinite(time))
      throw bad(
        `timestamp must be an ISO-8601 time such as 2026-03-01T12:30:00.000Z; got ${JSON.stringify(timestamp.slice(0, 40))}`,
      );
    const event_id = cell('event_id');
    if (!eventIdPattern.test(event_id))
      throw bad(
        `event_id must be 1 to 64 letters, digits, "-" or "_"; got ${JSON.stringify(event_id.slice(0, 70))}`,
      );
    const visitor_id = cell('visitor_id');
    if (visitor_id === '' || visitor_id.length > 128) throw bad('visitor_id must be 1 to 128 characters');
    const type = cell('type') as ArchiveRow['type'];
    if (!rowTypes.includes(type))
      throw bad(`type must be ${rowTypes.join(' or ')}; got ${JSON.stringify(cell('type').slice(0, 40))}`);
    const name = cell('name');
    if (type === 'event' && name === '') throw bad('an event needs its name');
    if (type === 'pageview' && name !== '') throw bad('a page view has no name (name must be empty)');
    const page = cell('page');
    if (!URL.canParse(page) || !/^https?:\/\//.test(page))
      throw bad(`page must be an absolute http(s) URL; got ${JSON.stringify(page.slice(0, 60))}`);
    const dims: VisitDims = {};
    // The export's visit properties (the channel is not one of its columns).
    for (const property of visitProperties) {
      if (!(exportColumns as readonly string[]).includes(property)) continue;
      const value = cell(property as ExportColumn);
      if (value !== '') dims[property] = value;
    }
    if (dims.country !== undefined && !/^[A-Z]{2}$/.test(dims.country))
      throw bad(
        `country must be an ISO 3166-1 alpha-2 code such as DE, or empty; got ${JSON.stringify(dims.country.slice(0, 20))}`,
      );
    if (dims.device !== undefined && !devices.includes(dims.device))
      throw bad(
        `device must be ${devices.join(', ')} or empty; got ${JSON.stringify(dims.device.slice(0, 20))}`,
      );
    dims.source ??= derivedSource(page, dims);
    if (dims.source === undefined) delete dims.source;
    const props = propsCell(cell('props'), type, bad);
    const row: ArchiveRow = {
      time,
      event_id,
      visitor_id,
      type,
      ...(type === 'event' ? { name } : {}),
      page: canonicalPageUrl(page),
      ...dims,
      ...(props !== undefined ? { props } : {}),
    };
    return { row, line };
  });
}
