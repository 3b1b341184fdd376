/**
 * `npm run org -- import`: an export-shaped CSV into the archive and the counters, as if its
 * views had been counted live. Only closed days are taken (an open day is still being counted
 * from its visitor-days); each row is counted once by its event id, so importing a file twice
 * adds nothing the second time. Visits are recomputed by the project's rules in the org's zone:
 * a row's visitor is the visitor of its local day, and the counters change by what each
 * visitor-day contributes after minus before (counters/changes.ts), as the consumer counts.
 *
 * Per day, the counters are written before the day's file: a run that dies between the two
 * leaves counters with rows the archive does not hold, and importing the file again would count
 * them twice. The CLI prints each day as it is done, so such a run can be told.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dayClosesAt, mergeRows, readDay, writeDay } from '../core/archive/archive.js';
import { ImportFileError } from '../core/archive/csv.js';
import { type ArchiveRow, viewOfRow } from '../core/archive/row.js';
import { type CounterChanges, counterChanges, mergeChanges } from '../core/counters/changes.js';
import { counterDefinitions } from '../core/counters/index.js';
import type { VisitorDay } from '../core/domain/visitor-day.js';
import { type Day, localDayOf } from '../core/domain/zones.js';
import { type CounterChange, counterUpdate, termsOf } from '../core/store/counters.js';
import { type ArchiverDeps, archiveOrg } from './archive.js';
import { firstKeptDay } from './retention.js';

export type ImportDeps = ArchiverDeps & { countersTable: string };

export interface ImportOutcome {
  /** Rows counted for the first time. */
  added: number;
  /** Rows whose event id the archive already held (or the file held twice). */
  duplicates: number;
  days: Day[];
}

/** Imported days are long past: their minute counters (realtime) would expire unread, so they are not written. */
const importedDefinitions = counterDefinitions.map((definition) => ({
  ...definition,
  resolutions: definition.resolutions.filter((resolution) => resolution !== 'minute'),
}));

export async function importRows(
  deps: ImportDeps,
  org: { orgId: string; timezone: string; retentionMonths?: number },
  rows: readonly { row: ArchiveRow; line: number }[],
  now: number,
  onDay: (day: Day, added: number) => void = () => undefined,
): Promise<ImportOutcome> {
  const zone = org.timezone;
  const kept = org.retentionMonths === undefined ? undefined : firstKeptDay(now, zone, org.retentionMonths);
  const byDay = new Map<Day, ArchiveRow[]>();
  for (const { row, line } of rows) {
    const day = localDayOf(row.time, zone);
    // The archiver would remove it at its next run: refused rather than counted for an hour.
    if (kept && day < kept)
      throw new ImportFileError(
        line,
        `${day} (${zone}) is older than the org's retention of ${org.retentionMonths} months, which keeps days from ${kept}; import later days, or change it with npm run org -- set --retention`,
      );
    if (dayClosesAt(day, zone) > now)
      throw new ImportFileError(
        line,
        `${day} (${zone}) is still open: its views are being counted live until ${new Date(dayClosesAt(day, zone)).toISOString()}; import days before it`,
      );
    byDay.set(day, [...(byDay.get(day) ?? []), row]);
  }
  // Every closed day the visitor-days still hold is archived first: the archive is then the
  // record of what was counted, for every day the file touches.
  await archiveOrg(deps, org.orgId, zone, now);

  const outcome: ImportOutcome = { added: 0, duplicates: 0, days: [] };
  for (const day of [...byDay.keys()].sort()) {
    const existing = await readDay(deps.blobs, org.orgId, day);
    const seen = new Set(existing.map((row) => row.event_id));
    const added: ArchiveRow[] = [];
    for (const row of byDay.get(day)!) {
      if (seen.has(row.event_id)) {
        outcome.duplicates++;
        continue;
      }
      seen.add(row.event_id);
      added.push(row);
    }
    if (added.length === 0) continue;
    await writeCounters(deps, dayChanges(org.orgId, day, zone, existing, added));
    await writeDay(deps.blobs, org.orgId, day, mergeRows(existing, added));
    outcome.added += added.length;
    outcome.days.push(day);
    onDay(day, added.length);
  }
  return outcome;
}

/** What the day's new rows change in the counters: per visitor, the visitor-day after minus before. */
function dayChanges(
  orgId: string,
  day: Day,
  zone: string,
  existing: readonly ArchiveRow[],
  added: readonly ArchiveRow[],
): CounterChanges {
  const visitorDay = (visitorId: string, rows: readonly ArchiveRow[]): VisitorDay => ({
    orgId,
    day,
    zone,
    visitorId,
    views: rows.filter((row) => row.visitor_id === visitorId).map(viewOfRow),
  });
  const changes: CounterChanges = new Map();
  for (const visitorId of new Set(added.map((row) => row.visitor_id))) {
    const before = visitorDay(visitorId, existing);
    const after = { ...before, views: [...before.views, ...visitorDay(visitorId, added).views] };
    mergeChanges(
      changes,
      counterChanges(before.views.length > 0 ? before : undefined, after, importedDefinitions),
    );
  }
  return changes;
}

/** An update expression is limited to 4 KB: a day's change to one item is written in parts of this many terms. */
const maxTermsPerUpdate = 150;

/** A change cut into parts of at most `maxTermsPerUpdate` metric-value pairs. */
function parts(change: CounterChange): CounterChange[] {
  if (termsOf(change) <= maxTermsPerUpdate) return [change];
  const cut: CounterChange[] = [];
  let part: CounterChange | undefined;
  let terms = 0;
  for (const [metric, byValue] of change.amounts)
    for (const [value, amount] of byValue) {
      if (!part || terms === maxTermsPerUpdate) {
        part = { ...change, amounts: new Map() };
        cut.push(part);
        terms = 0;
      }
      const into = part.amounts.get(metric) ?? new Map<string, number>();
      part.amounts.set(metric, into.set(value, amount));
      terms++;
    }
  return cut;
}

/** The updates of every counter item, a few at a time. */
async function writeCounters(deps: ImportDeps, changes: CounterChanges): Promise<void> {
  const updates = [...changes.values()].filter((change) => termsOf(change) > 0).flatMap(parts);
  let next = 0;
  const writer = async () => {
    for (let change = updates[next++]; change; change = updates[next++])
      await deps.doc.send(new UpdateCommand(counterUpdate(deps.countersTable, change).Update!));
  };
  await Promise.all(Array.from({ length: Math.min(8, updates.length) }, writer));
}
