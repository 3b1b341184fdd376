/**
 * The engine's entry: a filtered question over days. Days up to the org's archived-through day
 * are answered by SQL over the archive (DuckDB or Athena); later days, not yet archived, are
 * counted from their visitor-days; the two add up (rows.ts). Exact: every visit is counted.
 */
import { readProgress } from '../../core/archive/archive.js';
import type { BlobStore } from '../../core/archive/blobs.js';
import type { Day } from '../../core/domain/zones.js';
import { BadRequestError } from '../../core/http/errors.js';
import { retention } from '../../core/settings.js';
import { type VisitorDaysDeps, forEachVisitorDay } from '../../core/store/visitor-days.js';
import type { VisitorDay } from '../../core/domain/visitor-day.js';
import { type BreakdownProperty, firstFilteredDay } from '../answers.js';
import type { Filter } from '../filters.js';
import type { ArchiveEngine, ArchiveRelations, SqlRow } from './engine.js';
import {
  type OpenDayCount,
  openDayBreakdown,
  openDayGoals,
  openDayProps,
  openDayStats,
} from './open-days.js';
import { propsSql } from './props-sql.js';
import {
  type EventRow,
  type GoalsRows,
  type PropRow,
  type StatsRow,
  type ValueRow,
  sumRows,
} from './rows.js';
import { type SqlDialect, breakdownSql, exportSql, goalsSql, statsSql } from './sql.js';
import { type ArchiveRow, archiveRowOf, rowsOfVisitorDay } from '../../core/archive/row.js';

export interface ExploreDeps extends VisitorDaysDeps {
  /** The archive and its engine; undefined where there is none (the LocalStack free plan has no Athena). */
  archive?: { blobs: BlobStore; engine: ArchiveEngine };
  /** Why there is no archive, said in the refusal of older ranges. */
  noArchiveReason?: string;
}

interface Split {
  archived?: { from: Day; to: Day };
  open: Day[];
}

/** Which days SQL answers and which the visitor-days do. */
async function split(orgId: string, days: readonly Day[], deps: ExploreDeps, now: number, zone: string) {
  const through = deps.archive ? await readProgress(deps.archive.blobs, orgId) : undefined;
  const archived = through ? days.filter((day) => day <= through) : [];
  const open = through ? days.filter((day) => day > through) : [...days];
  const oldest = firstFilteredDay(now, zone);
  if (open.length > 0 && open[0]! < oldest)
    throw new BadRequestError(
      deps.archive
        ? `Days before ${oldest} are answered from the archive, which holds days up to ${through ?? '(none yet)'}: the archiver has not written them yet. Try again after its next run.`
        : `${deps.noArchiveReason ?? 'This stack has no archive'}: a filtered question is answered from the visits of the last ${retention.rawVisitDays} days only, so dateFrom must be ${oldest} or later.`,
    );
  return {
    ...(archived.length > 0 ? { archived: { from: archived[0]!, to: archived.at(-1)! } } : {}),
    open,
  } satisfies Split;
}

/**
 * The open days' visitor-days, read once for the questions that ask for the same org and days at
 * the same time: a dashboard's filtered view sends every panel's request at once (seven), and in
 * one process (`npm start`, a warm Lambda serving them in turn) they would read the same
 * visitor-days seven times. Shared only while the read is in flight, so no answer is staler than
 * a read of its own; the price is holding the days' visitor-days until each has counted them
 * (section 8 of the bench: about 1 MB per 1,000).
 */
const readsInFlight = new Map<string, Promise<{ visitorDays: VisitorDay[]; read: number }>>();

function readOpenDays(deps: ExploreDeps, orgId: string, days: readonly Day[]) {
  const key = `${deps.visitsTable}|${orgId}|${days.join(',')}`;
  let shared = readsInFlight.get(key);
  if (!shared) {
    const visitorDays: VisitorDay[] = [];
    shared = forEachVisitorDay(deps, orgId, days, (day) => visitorDays.push(day))
      .then((read) => ({ visitorDays, read }))
      .finally(() => readsInFlight.delete(key));
    readsInFlight.set(key, shared);
  }
  return shared;
}

/** Runs both halves; `itemsRead` is the visitor-days read. */
export async function both<Result>(
  orgId: string,
  days: readonly Day[],
  deps: ExploreDeps,
  at: { now: number; zone: string },
  sql: ((relations: ArchiveRelations, dialect: SqlDialect) => string) | undefined,
  counted: OpenDayCount<Result>,
): Promise<{ sqlRows: SqlRow[]; open: Result; itemsRead: number }> {
  const { archived, open } = await split(orgId, days, deps, at.now, at.zone);
  const [sqlRows, itemsRead] = await Promise.all([
    archived && sql && deps.archive
      ? deps.archive.engine.query(orgId, archived.from, archived.to, sql)
      : Promise.resolve([]),
    open.length > 0
      ? readOpenDays(deps, orgId, open).then(({ visitorDays, read }) => {
          for (const visitorDay of visitorDays) counted.add(visitorDay);
          return read;
        })
      : Promise.resolve(0),
  ]);
  return { sqlRows, open: counted.result(), itemsRead };
}

export const n = (value: string | number | null | undefined) => Number(value ?? 0);

export async function exploreStats(
  orgId: string,
  days: readonly Day[],
  filters: readonly Filter[],
  deps: ExploreDeps,
  at: { now: number; zone: string },
): Promise<{ rows: StatsRow[]; itemsRead: number }> {
  const { sqlRows, open, itemsRead } = await both(
    orgId,
    days,
    deps,
    at,
    (relations, dialect) => statsSql(relations, filters, dialect),
    openDayStats(filters),
  );
  const archived: StatsRow[] = sqlRows.map((row) => ({
    day: String(row.day),
    hour: row.hour_start === null ? null : n(row.hour_start),
    visitors: n(row.visitors),
    visits: n(row.visits),
    pageviews: n(row.pageviews),
    bounces: n(row.bounces),
    duration: n(row.duration),
  }));
  return { rows: sumRows([...archived, ...open], (r) => `${r.day}|${r.hour}`), itemsRead };
}

export async function exploreBreakdown(
  orgId: string,
  days: readonly Day[],
  property: Exclude<BreakdownProperty, 'event'>,
  filters: readonly Filter[],
  deps: ExploreDeps,
  at: { now: number; zone: string },
): Promise<{ rows: ValueRow[]; itemsRead: number }> {
  const { sqlRows, open, itemsRead } = await both(
    orgId,
    days,
    deps,
    at,
    (relations, dialect) => breakdownSql(relations, property, filters, dialect),
    openDayBreakdown(property, filters),
  );
  const archived: ValueRow[] = sqlRows.map((row) => ({
    value: String(row.value),
    visitors: n(row.visitors),
    visits: n(row.visits),
    pageviews: n(row.pageviews),
  }));
  return { rows: sumRows([...archived, ...open], (r) => r.value), itemsRead };
}

export async function exploreGoals(
  orgId: string,
  days: readonly Day[],
  filters: readonly Filter[],
  deps: ExploreDeps,
  at: { now: number; zone: string },
): Promise<GoalsRows & { itemsRead: number }> {
  const { sqlRows, open, itemsRead } = await both(
    orgId,
    days,
    deps,
    at,
    (relations, dialect) => goalsSql(relations, filters, dialect),
    openDayGoals(filters),
  );
  const archived: EventRow[] = sqlRows
    .filter((row) => row.value !== null)
    .map((row) => ({ value: String(row.value), visitors: n(row.visitors), events: n(row.events) }));
  const archivedVisitors = n(sqlRows.find((row) => row.value === null)?.visitors);
  return {
    rows: sumRows([...archived, ...open.rows], (r) => r.value),
    visitors: archivedVisitors + open.visitors,
    itemsRead,
  };
}

/** An event property's values (`key`), or the keys (undefined), over the events of the kept visits. */
export async function exploreProps(
  orgId: string,
  days: readonly Day[],
  key: string | undefined,
  filters: readonly Filter[],
  deps: ExploreDeps,
  at: { now: number; zone: string },
): Promise<{ rows: PropRow[]; itemsRead: number }> {
  const { sqlRows, open, itemsRead } = await both(
    orgId,
    days,
    deps,
    at,
    (relation, dialect) => propsSql(relation, key, filters, dialect),
    openDayProps(key, filters),
  );
  const archived: PropRow[] = sqlRows.map((row) => ({
    value: String(row.value),
    visitors: n(row.visitors),
    visits: n(row.visits),
    events: n(row.events),
  }));
  return { rows: sumRows([...archived, ...open], (r) => r.value), itemsRead };
}

/** Every row of the days (GET /export): the archive's, then the open days' from their visitor-days. */
export async function exploreRows(
  orgId: string,
  days: readonly Day[],
  deps: ExploreDeps,
  at: { now: number; zone: string },
): Promise<{ rows: ArchiveRow[]; itemsRead: number }> {
  const open: ArchiveRow[] = [];
  const { sqlRows, itemsRead } = await both(orgId, days, deps, at, exportSql, {
    add: (visitorDay) => open.push(...rowsOfVisitorDay(visitorDay)),
    result: () => undefined,
  });
  return { rows: [...sqlRows.map(archiveRowOf), ...open], itemsRead };
}
