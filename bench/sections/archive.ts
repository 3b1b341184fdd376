/**
 * 9. The archive and the engine: what archiving costs per 1M page views, and a filtered
 * breakdown over 12 months of a site with 10,000 visitors a day, by DuckDB over the Parquet the
 * bench writes straight to an archive folder (lambdas/core/archive), exact against the rows'
 * own total; and the bytes Athena would scan for it, and its price.
 *
 * One day of rows is encoded once (the Parquet writer's time, measured) and its file copied to
 * each day's partition: DuckDB then reads 365 files of a real day's size. Each visitor: one
 * visit of three page views ten minutes apart, a country (one of five) and a source (one of four).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayKey, writeProgress } from '../../lambdas/core/archive/archive.js';
import { fileBlobStore } from '../../lambdas/core/archive/blobs.js';
import { rowsToParquet } from '../../lambdas/core/archive/parquet.js';
import type { ArchiveRow } from '../../lambdas/core/archive/row.js';
import { addDays } from '../../lambdas/core/domain/zones.js';
import { exploreBreakdown } from '../../lambdas/query/explore/explore.js';
import { duckDbEngine } from '../../lambdas/query/explore/duckdb.js';
import { parseFilter } from '../../lambdas/query/filters.js';
import type { BenchContext } from '../lib/context.js';
import { percentile } from '../lib/stats.js';
import { prices } from './cost.js';

export interface ArchiveResult {
  visitorsPerDay: number;
  days: number;
  rowsPerDay: number;
  /** The Parquet file of one day. */
  bytesPerDay: number;
  /** hyparquet-writer encoding one day's rows. */
  encodeMsPerDay: number;
  breakdownP50Ms: number;
  breakdownSpreadMs: [number, number];
  /** The breakdown's page views summed, with a filter that keeps every visit, against the rows written. */
  exactTotal: boolean;
  filteredRows: number;
  /** Upper bound: every column of every file of the range (Athena reads only the columns a query names). */
  athenaBytes: number;
  athenaPriceUsd: number;
  /** Archiving per 1M page views: S3 PUTs, a month of storage, the archiver's Lambda time and its visitor-day reads. */
  costPerMillion: { puts: number; storageMonth: number; lambda: number; reads: number; total: number };
}

const DAY = 86_400_000;
const countries = ['DE', 'US', 'FR', 'IN', 'BR'];
const sources = ['Google', 'Bing', undefined, 'newsletter'];
const s3PutPerThousand = 0.005;
const s3StoragePerGbMonth = 0.023;
const athenaPerTb = 5;
const athenaMinimumBytes = 10 * 1024 ** 2;
/** A visitor-day item as the archiver reads it back: about this many bytes per view (store/visitor-days.ts encoding). */
const visitorDayBytesPerView = 120;

function dayRows(day: string, visitors: number): ArchiveRow[] {
  const start = Date.parse(day);
  const rows: ArchiveRow[] = [];
  for (let v = 0; v < visitors; v++) {
    const first = start + Math.floor(((v + 0.5) / visitors) * (DAY - 30 * 60_000));
    const source = sources[v % sources.length];
    for (let k = 0; k < 3; k++)
      rows.push({
        time: first + k * 600_000,
        event_id: `e${v}x${k}`,
        visitor_id: `v${v}`,
        type: 'pageview',
        page: `https://docs.example.org/page-${(v + k) % 20}`,
        country: countries[v % countries.length]!,
        browser: 'Chrome',
        os: 'Windows',
        device: 'desktop',
        ...(k === 0 && source ? { source } : {}),
      });
  }
  return rows;
}

export async function measureArchive(
  ctx: BenchContext,
  size: { visitorsPerDay?: number; days?: number } = {},
): Promise<ArchiveResult> {
  const visitorsPerDay = size.visitorsPerDay ?? (ctx.smoke ? 200 : 10_000);
  const days = size.days ?? (ctx.smoke ? 14 : 365);
  const dir = await mkdtemp(join(tmpdir(), 'bench-archive-'));
  try {
    const blobs = fileBlobStore(dir);
    const orgId = 'bench-org';
    const last = addDays(new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10), 0);
    const first = addDays(last, 1 - days);
    const rows = dayRows(first, visitorsPerDay);
    const started = performance.now();
    const bytes = rowsToParquet(rows);
    const encodeMsPerDay = performance.now() - started;
    for (let day = first; day <= last; day = addDays(day, 1)) await blobs.put(dayKey(orgId, day), bytes);
    await writeProgress(blobs, orgId, last);
    ctx.log(
      `  9. wrote ${days} day files of ${(bytes.length / 1e6).toFixed(2)} MB (${rows.length} rows each)`,
    );

    const allDays: string[] = [];
    for (let day = first; day <= last; day = addDays(day, 1)) allDays.push(day);
    const deps = {
      doc: ctx.doc,
      visitsTable: 'unused: every day is archived',
      archive: { blobs, engine: duckDbEngine(blobs) },
    };
    const at = { now: Date.now(), zone: 'UTC' };
    const ask = (filter: string) => exploreBreakdown(orgId, allDays, 'page', [parseFilter(filter)], deps, at);
    await ask('country:DE'); // warm-up: DuckDB loads, the files enter the page cache
    const times: number[] = [];
    let filteredRows = 0;
    for (let i = 0; i < (ctx.smoke ? 2 : 5); i++) {
      const t0 = performance.now();
      filteredRows = (await ask('country:DE')).rows.length;
      times.push(performance.now() - t0);
    }
    const everything = await ask('country!:ZZ');
    const exactTotal = everything.rows.reduce((n, r) => n + r.pageviews, 0) === rows.length * days;

    const athenaBytes = bytes.length * days;
    const viewsPerDay = rows.length;
    const orgDaysPerMillion = 1e6 / viewsPerDay;
    const lambdaSeconds = (encodeMsPerDay / 1000) * 2; // encoding plus reading the visitor-days back, about as long
    const costPerMillion = {
      // The day's file and the progress object.
      puts: (orgDaysPerMillion * 2 * s3PutPerThousand) / 1000,
      storageMonth: ((bytes.length / viewsPerDay) * 1e6 * s3StoragePerGbMonth) / 1024 ** 3,
      lambda: orgDaysPerMillion * lambdaSeconds * 1 * prices.lambdaArmPerGbSecond,
      // Eventually consistent Queries: half a read unit per 4 KB.
      reads: (((1e6 * visitorDayBytesPerView) / 4096) * 0.5 * prices.dynamoPerMillionReadUnits) / 1e6,
      total: 0,
    };
    costPerMillion.total =
      costPerMillion.puts + costPerMillion.storageMonth + costPerMillion.lambda + costPerMillion.reads;
    const sorted = [...times].sort((a, b) => a - b);
    const result: ArchiveResult = {
      visitorsPerDay,
      days,
      rowsPerDay: rows.length,
      bytesPerDay: bytes.length,
      encodeMsPerDay,
      breakdownP50Ms: percentile(times, 50),
      breakdownSpreadMs: [sorted[0]!, sorted.at(-1)!],
      exactTotal,
      filteredRows,
      athenaBytes,
      athenaPriceUsd: (Math.max(athenaBytes, athenaMinimumBytes) / 1024 ** 4) * athenaPerTb,
      costPerMillion,
    };
    ctx.log(
      `  9. filtered page breakdown over ${days} days: p50 ${result.breakdownP50Ms.toFixed(0)} ms (${sorted.map((t) => t.toFixed(0)).join(', ')}), exact total ${exactTotal}; Athena would scan at most ${(athenaBytes / 1e6).toFixed(0)} MB ($${result.athenaPriceUsd.toFixed(4)}); archiving $${costPerMillion.total.toFixed(4)} per 1M page views`,
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
