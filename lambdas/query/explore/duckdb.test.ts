/**
 * Day files written before a column was added (issue 22's `props`) still answer: DuckDB over a
 * range where no file has the column, and where some do, and the archive's own reader.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayKey, readDay, writeDay } from '../../core/archive/archive.js';
import { fileBlobStore } from '../../core/archive/blobs.js';
import { type ArchiveRow, archiveColumns, lateColumns } from '../../core/archive/row.js';
import { visitsOfDay } from '../../core/archive/visits.js';
import { duckDbEngine } from './duckdb.js';
import { propsSql } from './props-sql.js';
import { exportSql } from './sql.js';

const org = 'org-old';
const t0 = Date.parse('2026-01-01T10:00:00Z');
const DAY = 86_400_000;
const row = (time: number, id: string, extra: Partial<ArchiveRow> = {}): ArchiveRow => ({
  time,
  event_id: id,
  visitor_id: 'v1',
  type: 'pageview',
  page: 'https://old.test/',
  ...extra,
});

/** A day's rows file as the archiver wrote it before `props`: every column but the late ones, then `visit`. */
function oldShapeFile(rows: readonly ArchiveRow[]): Uint8Array {
  const columns = archiveColumns.filter((c) => !(lateColumns as readonly string[]).includes(c));
  const buffer = parquetWriteBuffer({
    columnData: [
      ...columns.map((name) =>
        name === 'time'
          ? { name, data: rows.map((r) => BigInt(r.time)), type: 'INT64' as const }
          : {
              name,
              data: rows.map((r) => (r as unknown as Record<string, string>)[name] ?? null),
              type: 'STRING' as const,
            },
      ),
      { name: 'visit', data: visitsOfDay(rows).visitOfRow, type: 'INT32' as const },
    ],
  });
  return new Uint8Array(buffer);
}

let root: string;
let blobs: ReturnType<typeof fileBlobStore>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'archive-old-'));
  blobs = fileBlobStore(root);
  const event = { type: 'event' as const, name: 'Purchase' };
  // The old day: its visit pages as the writer makes them (they have no props), its rows without props.
  const oldRows = [row(t0, 'a1'), row(t0 + 1000, 'a2', event)];
  await writeDay(blobs, org, '2026-01-01', oldRows);
  await blobs.put(dayKey(org, '2026-01-01'), oldShapeFile(oldRows));
  await writeDay(blobs, org, '2026-01-02', [
    row(t0 + DAY, 'b1'),
    row(t0 + DAY + 1000, 'b2', { ...event, props: '{"plan":"pro"}' }),
  ]);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('day files older than the props column', () => {
  it('are read back by the archive without props', async () => {
    expect(await readDay(blobs, org, '2026-01-01')).toEqual([
      row(t0, 'a1'),
      row(t0 + 1000, 'a2', { type: 'event', name: 'Purchase' }),
    ]);
  });

  it('answer in DuckDB alone (props null) and beside newer files', async () => {
    const engine = duckDbEngine(blobs);
    const oldOnly = await engine.query(org, '2026-01-01', '2026-01-01', exportSql);
    expect(oldOnly.map((r) => [r.event_id, r.props])).toEqual([
      ['a1', null],
      ['a2', null],
    ]);
    expect(
      await engine.query(org, '2026-01-01', '2026-01-01', (rel, dialect) =>
        propsSql(rel, 'plan', [], dialect),
      ),
    ).toEqual([]);
    const both = await engine.query(org, '2026-01-01', '2026-01-02', (rel, dialect) =>
      propsSql(rel, 'plan', [], dialect),
    );
    expect(both).toEqual([{ value: 'pro', visitors: 1, visits: 1, events: 1 }]);
  });
});
