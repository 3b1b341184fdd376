/**
 * The archiver: writes every closed day of every org not yet archived, from the visitor-days, to
 * the archive as Parquet. A day is written whole and merged by event id with what is already
 * there (an imported history), so writing it twice gives the same rows; the org's progress is
 * stored after each day, so a run that fails resumes where it stopped. Each day's file carries its
 * visits (core/archive/visits.ts), computed here once rather than at every query. Visitor-days are kept
 * `retention.rawVisitDays`: an org archived for the first time starts that far back.
 */
import { type ArchiveRow, rowsOfVisitorDay } from '../core/archive/row.js';
import {
  lastClosedDay,
  mergeRows,
  archiveLayout,
  readDay,
  readProgressRecord,
  rewriteArchivedDays,
  writeDay,
  writeProgress,
} from '../core/archive/archive.js';
import type { BlobStore } from '../core/archive/blobs.js';
import { type Day, addDays, localDayOf } from '../core/domain/zones.js';
import { retention } from '../core/settings.js';
import { type OrgsDeps, listOrgs } from '../core/store/orgs.js';
import { type VisitorDaysDeps, forEachVisitorDay } from '../core/store/visitor-days.js';

export type ArchiverDeps = VisitorDaysDeps & OrgsDeps & { blobs: BlobStore };

export interface ArchivedOrg {
  orgId: string;
  /** Days written in this run. */
  days: Day[];
  rows: number;
}

/** Catches up every org (or the given ones) to its last closed day. */
export async function archiveClosedDays(
  deps: ArchiverDeps,
  now: number,
  only?: readonly { orgId: string; timezone: string }[],
): Promise<ArchivedOrg[]> {
  const orgs = only ?? (await listOrgs(deps));
  const done: ArchivedOrg[] = [];
  for (const org of orgs) done.push(await archiveOrg(deps, org.orgId, org.timezone, now));
  return done;
}

export async function archiveOrg(
  deps: ArchiverDeps,
  orgId: string,
  zone: string,
  now: number,
): Promise<ArchivedOrg> {
  const last = lastClosedDay(now, zone);
  const record = await readProgressRecord(deps.blobs, orgId);
  // An archive written before the visit pages: its days rewritten in the current layout once.
  if (record && record.layout !== archiveLayout) {
    await rewriteArchivedDays(deps.blobs, orgId);
    await writeProgress(deps.blobs, orgId, record.archivedThrough);
  }
  const progress = record?.archivedThrough;
  const oldestKept = addDays(localDayOf(now, zone), -retention.rawVisitDays);
  const outcome: ArchivedOrg = { orgId, days: [], rows: 0 };
  for (let day = progress ? addDays(progress, 1) : oldestKept; day <= last; day = addDays(day, 1)) {
    const rows: ArchiveRow[] = [];
    await forEachVisitorDay(deps, orgId, [day], (visitorDay) => rows.push(...rowsOfVisitorDay(visitorDay)));
    if (rows.length > 0) {
      const merged = mergeRows(await readDay(deps.blobs, orgId, day), rows);
      await writeDay(deps.blobs, orgId, day, merged);
      outcome.days.push(day);
      outcome.rows += merged.length;
    }
    await writeProgress(deps.blobs, orgId, day);
  }
  return outcome;
}
