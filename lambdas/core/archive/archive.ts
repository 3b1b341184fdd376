/**
 * The archive's layout and its few operations: a day of an org is one Parquet file, and the
 * org's progress (the last day archived) one small JSON object beside them.
 *
 *   visits/org=<id>/day=<YYYY-MM-DD>/part-0.parquet        the rows, each with its visit number
 *   visit-pages/org=<id>/day=<YYYY-MM-DD>/part-0.parquet   the day's visits (visits.ts)
 *   progress/org=<id>.json          {"archivedThrough": "YYYY-MM-DD", "layout": 2}
 *
 * Every day up to `archivedThrough` is in the archive (a day without views has no file); later
 * days are still read from the visitor-days. That one rule is what the engine, the import and
 * retention share.
 */
import { type Day, addDays, localDayOf, startOfLocalDay } from '../domain/zones.js';
import { archive } from '../settings.js';
import type { BlobStore } from './blobs.js';
import { dayToParquet, rowsFromParquet } from './parquet.js';
import { type ArchiveRow, byTime } from './row.js';

export const dayKey = (orgId: string, day: Day) =>
  `${archive.rowsPrefix}/org=${orgId}/day=${day}/part-0.parquet`;
export const visitPagesKey = (orgId: string, day: Day) =>
  `${archive.visitPagesPrefix}/org=${orgId}/day=${day}/part-0.parquet`;
const progressKey = (orgId: string) => `${archive.progressPrefix}/org=${orgId}.json`;

export async function readDay(blobs: BlobStore, orgId: string, day: Day): Promise<ArchiveRow[]> {
  const bytes = await blobs.get(dayKey(orgId, day));
  return bytes ? rowsFromParquet(bytes) : [];
}

/**
 * Writes a day's rows whole, sorted (so the same rows always make the same files), and its visit
 * pages; no rows, no files. The visit pages first: a reader that finds a day's rows finds them.
 */
export async function writeDay(blobs: BlobStore, orgId: string, day: Day, rows: readonly ArchiveRow[]) {
  if (rows.length === 0) {
    await blobs.delete(dayKey(orgId, day));
    await blobs.delete(visitPagesKey(orgId, day));
    return;
  }
  const files = dayToParquet(rows);
  await blobs.put(visitPagesKey(orgId, day), files.visitPages);
  await blobs.put(dayKey(orgId, day), files.rows);
}

/** The days of an org that have a file. */
export async function archivedDays(blobs: BlobStore, orgId: string): Promise<Day[]> {
  const keys = await blobs.list(`${archive.rowsPrefix}/org=${orgId}/`);
  return keys.map((key) => /\/day=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1]).filter((d): d is Day => !!d);
}

/** Both sets of rows, each event id once (the first seen wins), in time order. */
export function mergeRows(kept: readonly ArchiveRow[], added: readonly ArchiveRow[]): ArchiveRow[] {
  const byId = new Map<string, ArchiveRow>();
  for (const row of [...kept, ...added]) if (!byId.has(row.event_id)) byId.set(row.event_id, row);
  return [...byId.values()].sort(byTime);
}

/**
 * The files' layout: 2 since each day has its visit pages and its rows their visit numbers. A
 * progress without it was written with rows alone; the archiver rewrites those days first.
 */
export const archiveLayout = 2;

export interface Progress {
  archivedThrough: Day;
  layout: number;
}

export async function readProgressRecord(blobs: BlobStore, orgId: string): Promise<Progress | undefined> {
  const bytes = await blobs.get(progressKey(orgId));
  if (!bytes) return undefined;
  const stored = JSON.parse(new TextDecoder().decode(bytes)) as { archivedThrough: Day; layout?: number };
  return { archivedThrough: stored.archivedThrough, layout: stored.layout ?? 1 };
}

/** The last day archived in the current layout (days of an older layout are not readable by the engine yet). */
export async function readProgress(blobs: BlobStore, orgId: string): Promise<Day | undefined> {
  const progress = await readProgressRecord(blobs, orgId);
  return progress?.layout === archiveLayout ? progress.archivedThrough : undefined;
}

export async function writeProgress(blobs: BlobStore, orgId: string, archivedThrough: Day): Promise<void> {
  await blobs.put(
    progressKey(orgId),
    new TextEncoder().encode(JSON.stringify({ archivedThrough, layout: archiveLayout })),
  );
}

/** Rewrites every archived day of an org from its rows (an archive of an older layout): idempotent. */
export async function rewriteArchivedDays(blobs: BlobStore, orgId: string): Promise<Day[]> {
  const days = await archivedDays(blobs, orgId);
  for (const day of days) await writeDay(blobs, orgId, day, await readDay(blobs, orgId, day));
  return days;
}

/** When no view can change `day` any more: its local end, the late-view window and the queue's delay. */
export function dayClosesAt(day: Day, zone: string): number {
  return startOfLocalDay(addDays(day, 1), zone) + archive.closeDelayMs;
}

/** The latest day of the zone that has closed at `now`. */
export function lastClosedDay(now: number, zone: string): Day {
  let day = localDayOf(now, zone);
  while (dayClosesAt(day, zone) > now) day = addDays(day, -1);
  return day;
}
