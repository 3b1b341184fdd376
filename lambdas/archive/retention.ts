/**
 * An org's retention (`npm run org -- set --retention <months>`): at each run the archiver
 * removes every local day older than that many months from the archive (the day's Parquet
 * file), the counters (the minute, hour and day items of the day, of every dimension) and the
 * visitor-days that may remain. There are no month items: a month is the sum of its days, so a
 * month that straddles the limit keeps its newer days.
 *
 * No progress is stored: each run finds what is left, oldest first, from the archive's day files
 * and the site's day counters (every counted day has one). A day's other items go first and
 * those two last, so a run that stops (a failure, or the per-run budget of work) leaves the
 * day findable and the next run finishes it; a day removed twice removes nothing the second time.
 */
import { archivedDays, dayKey, visitPagesKey } from '../core/archive/archive.js';
import { counterDefinitions } from '../core/counters/index.js';
import { siteCounter } from '../core/counters/site.js';
import type { Resolution } from '../core/domain/buckets.js';
import { type Day, addDays, addMonths, localDayOf, startOfLocalDay } from '../core/domain/zones.js';
import { archive, orgRetention } from '../core/settings.js';
import { bucketOfSortKey, partitionRanges, storedRanges } from '../core/store/counters.js';
import { type ItemKey, deleteKeys, queryKeys } from '../core/store/deletes.js';
import { dayPartitions } from '../core/store/visitor-days.js';
import type { ImportDeps } from './import.js';

/** What the import writes, retention removes. */
export type RetentionDeps = ImportDeps;

export interface RetentionOutcome {
  orgId: string;
  /** Days wholly removed in this run. */
  days: Day[];
  /** Items and files deleted in this run. */
  deleted: number;
  /** False when the budget ran out first: the next run goes on. */
  done: boolean;
}

const HOUR_MS = 3_600_000;
/** UTC offsets run from -12 to +14 hours: a day counted in any zone starts within this of the site's. */
const ZONE_SLACK_MS = 14 * HOUR_MS;

/** The oldest day kept: the same day `months` months back in the org's zone; every day before it goes. */
export function firstKeptDay(now: number, zone: string, months: number): Day {
  return addMonths(localDayOf(now, zone), -months);
}

/** The day a day counter is reported in: the local day that holds its middle (lambdas/query/range.ts). */
const reportedDayOf = (bucket: number, zone: string) => localDayOf(bucket + 12 * HOUR_MS, zone);

export async function removeExpiredDays(
  deps: RetentionDeps,
  org: { orgId: string; timezone: string; retentionMonths?: number },
  now: number,
  { budget = orgRetention.workPerRun }: { budget?: number } = {},
): Promise<RetentionOutcome> {
  const outcome: RetentionOutcome = { orgId: org.orgId, days: [], deleted: 0, done: true };
  if (org.retentionMonths === undefined) return outcome;
  const zone = org.timezone;
  const kept = firstKeptDay(now, zone, org.retentionMonths);
  let left = budget;
  for (const day of await expiredDays(deps, org.orgId, zone, kept)) {
    for (const step of dayRemoval(deps, org.orgId, zone, day)) {
      const deleted = await step(left);
      // A Query that finds nothing is work too: a long run of empty days stays bounded.
      left -= Math.max(1, deleted);
      outcome.deleted += deleted;
      if (left <= 0) return { ...outcome, done: false };
    }
    outcome.days.push(day);
  }
  return outcome;
}

/** The days before `kept` that still have a day file or a site day counter, oldest first. */
async function expiredDays(deps: RetentionDeps, orgId: string, zone: string, kept: Day): Promise<Day[]> {
  const days = new Set((await archivedDays(deps.blobs, orgId)).filter((day) => day < kept));
  // One Query per year partition (one small item a day): a day counted before the archive
  // existed has a counter and no file.
  const counted = partitionRanges({
    orgId,
    dimension: siteCounter.dimension,
    resolution: 'day',
    firstBucket: startOfLocalDay(archive.firstDay, zone) - ZONE_SLACK_MS,
    lastBucket: startOfLocalDay(kept, zone) - 12 * HOUR_MS - 1,
  });
  for (const range of counted)
    for (const key of await queryKeys(deps.doc, deps.countersTable, range))
      days.add(reportedDayOf(bucketOfSortKey(key.sk), zone));
  return [...days].filter((day) => day < kept).sort();
}

/** Deletes what it can within the budget it is given; answers how many it deleted. */
type Step = (budget: number) => Promise<number>;

/** The steps that remove one day, the two that find it (its file, then its site day counter) last. */
function dayRemoval(deps: RetentionDeps, orgId: string, zone: string, day: Day): Step[] {
  const start = startOfLocalDay(day, zone);
  const end = startOfLocalDay(addDays(day, 1), zone);
  // Minutes and hours are UTC buckets starting within the day; a day bucket is the day's when its
  // middle is (as the query reports it).
  const windows: Record<Resolution, [number, number]> = {
    minute: [start, end - 1],
    hour: [start, end - 1],
    day: [start - 12 * HOUR_MS, end - 12 * HOUR_MS - 1],
  };
  const ranges = new Map<string, { pk: string; fromSk: string; toSk: string }>();
  for (const definition of counterDefinitions)
    for (const resolution of definition.resolutions) {
      const [firstBucket, lastBucket] = windows[resolution];
      const q = { orgId, dimension: definition.dimension, resolution, firstBucket, lastBucket };
      for (const range of storedRanges(q)) ranges.set(`${range.pk} ${range.fromSk}`, range);
    }
  const [firstDay, lastDay] = windows.day;
  const siteDays = storedRanges({
    orgId,
    dimension: siteCounter.dimension,
    resolution: 'day',
    firstBucket: firstDay,
    lastBucket: lastDay,
  });
  const isSiteDay = (range: { pk: string; fromSk: string }) =>
    siteDays.some((site) => site.pk === range.pk && site.fromSk === range.fromSk);

  const deleteRange =
    (table: string, range: { pk: string; fromSk?: string; toSk?: string }): Step =>
    async (budget) => {
      const keys: ItemKey[] = await queryKeys(deps.doc, table, range, budget);
      await deleteKeys(deps.doc, table, keys);
      return keys.length;
    };
  return [
    ...[...ranges.values()]
      .filter((range) => !isSiteDay(range))
      .map((range) => deleteRange(deps.countersTable, range)),
    ...dayPartitions(orgId, day).map((pk) => deleteRange(deps.visitsTable, { pk })),
    async () => {
      const key = dayKey(orgId, day);
      const present = (await deps.blobs.list(key)).includes(key);
      // The day's visit pages go with its rows (archive.ts writeDay writes both); counted as one day file.
      await deps.blobs.delete(visitPagesKey(orgId, day));
      if (present) await deps.blobs.delete(key);
      return present ? 1 : 0;
    },
    ...siteDays.map((range) => deleteRange(deps.countersTable, range)),
  ];
}
