/**
 * 9. The archive and the engine: what archiving costs per 1M page views, and a filtered
 * breakdown over 12 months of a site with 10,000 visitors a day, by DuckDB over the Parquet the
 * bench writes straight to an archive folder (lambdas/core/archive), exact against the rows'
 * own total; and the bytes Athena would scan for it, and its price.
 *
 * One day of rows is encoded once (the Parquet writer's time, measured: the rows and the day's
 * visit pages, core/archive/parquet.ts) and its two files copied to each day's partitions: DuckDB
 * then reads 365 days of a real day's size. Each visitor: one visit of three page views ten
 * minutes apart, a country (one of five) and a source (one of four); one in ten comes back three
 * hours later for a second visit (a visitor-day of two visits, counted once), one in twenty sends
 * a custom event. The total is checked against the site counters' definition (counters/site.ts)
 * applied to the same visitor-days: what the counters would hold for the unfiltered range.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayKey, visitPagesKey, writeProgress } from '../../lambdas/core/archive/archive.js';
import { fileBlobStore } from '../../lambdas/core/archive/blobs.js';
import { dayToParquet } from '../../lambdas/core/archive/parquet.js';
import { type ArchiveRow, viewOfRow } from '../../lambdas/core/archive/row.js';
import { visitMetrics } from '../../lambdas/core/counters/definition.js';
import { siteCounter } from '../../lambdas/core/counters/site.js';
import { visitsOf } from '../../lambdas/core/domain/visitor-day.js';
import { addDays, utc } from '../../lambdas/core/domain/zones.js';
import { exploreBreakdown, exploreStats } from '../../lambdas/query/explore/explore.js';
import { duckDbEngine } from '../../lambdas/query/explore/duckdb.js';
import { parseFilter } from '../../lambdas/query/filters.js';
import type { BenchContext } from '../lib/context.js';
import { percentile } from '../lib/stats.js';
import { prices } from './cost.js';

export interface ArchiveResult {
  visitorsPerDay: number;
  days: number;
  rowsPerDay: number;
  /** The rows' Parquet file of one day. */
  bytesPerDay: number;
  /** The visit pages' Parquet file of one day. */
  visitPagesBytesPerDay: number;
  /** Computing one day's visits and encoding its two files (hyparquet-writer). */
  encodeMsPerDay: number;
  /** The filtered page breakdown (the hardest: one row per page of each kept visit). */
  breakdownP50Ms: number;
  breakdownSpreadMs: [number, number];
  /** The same filter, a breakdown by source (one row per kept visit). */
  sourceP50Ms: number;
  sourceSpreadMs: [number, number];
  /** GET /stats' figures, with a filter that keeps every visit, equal to what the site counters hold for the range. */
  exactTotal: boolean;
  counted: { visitors: number; visits: number; pageviews: number };
  engine: { visitors: number; visits: number; pageviews: number };
  filteredRows: number;
  /** Upper bound: every column of the range's visit-pages files, all the page breakdown reads (Athena reads only the columns a query names). */
  athenaBytes: number;
  athenaPriceUsd: number;
  /** Archiving per 1M page views: S3 PUTs, a month of storage, the archiver's Lambda time and its visitor-day reads. */
  costPerMillion: { puts: number; storageMonth: number; lambda: number; reads: number; total: number };
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const countries = ['DE', 'US', 'FR', 'IN', 'BR'];
const sources = ['Google', 'Bing', undefined, 'newsletter'];
const s3PutPerThousand = 0.005;
const s3StoragePerGbMonth = 0.023;
const athenaPerTb = 5;
const athenaMinimumBytes = 10 * 1024 ** 2;
/** A visitor-day item as the archiver reads it back: about this many bytes per view (store/visitor-days.ts encoding). */
const visitorDayBytesPerView = 120;

export function dayRows(day: string, visitors: number): ArchiveRow[] {
  const start = Date.parse(day);
  const rows: ArchiveRow[] = [];
  for (let v = 0; v < visitors; v++) {
    // Visits start before 20:30 so a second one, three hours later, stays in the day.
    const first = start + Math.floor(((v + 0.5) / visitors) * (DAY - 3.5 * HOUR));
    const source = sources[v % sources.length];
    const view = (time: number, k: number, page: number, withSource: boolean): ArchiveRow => ({
      time,
      event_id: `e${v}x${k}`,
      visitor_id: `v${v}`,
      type: 'pageview',
      page: `https://docs.example.org/page-${page % 20}`,
      country: countries[v % countries.length]!,
      browser: 'Chrome',
      os: 'Windows',
      device: 'desktop',
      ...(withSource && source ? { source } : {}),
    });
    for (let k = 0; k < 3; k++) rows.push(view(first + k * 600_000, k, v + k, k === 0));
    if (v % 10 === 0) rows.push(view(first + 3 * HOUR, 3, v, false));
    if (v % 20 === 0) rows.push({ ...view(first + 60_000, 4, v, false), type: 'event', name: 'Signup' });
  }
  return rows;
}

/** What the site counters (counters/site.ts, day resolution) hold for the day's rows. */
function countedDay(day: string, rows: readonly ArchiveRow[]) {
  const byVisitor = new Map<string, ArchiveRow[]>();
  for (const row of rows) byVisitor.set(row.visitor_id, [...(byVisitor.get(row.visitor_id) ?? []), row]);
  const sums = new Map<string, number>();
  for (const [visitorId, visitorRows] of byVisitor) {
    const visitorDay = { orgId: 'bench-org', day, zone: utc, visitorId, views: visitorRows.map(viewOfRow) };
    const counted = siteCounter.rows(visitorDay, visitsOf(visitorDay.views), 'day', () => Date.parse(day));
    for (const row of counted) sums.set(row.metric, (sums.get(row.metric) ?? 0) + row.amount);
  }
  return {
    visitors: sums.get(visitMetrics.visitors) ?? 0,
    visits: sums.get(visitMetrics.visits) ?? 0,
    pageviews: sums.get(visitMetrics.pageviews) ?? 0,
  };
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
    const files = dayToParquet(rows);
    const encodeMsPerDay = performance.now() - started;
    const bytes = files.rows;
    for (let day = first; day <= last; day = addDays(day, 1)) {
      await blobs.put(visitPagesKey(orgId, day), files.visitPages);
      await blobs.put(dayKey(orgId, day), files.rows);
    }
    await writeProgress(blobs, orgId, last);
    ctx.log(
      `  9. wrote ${days} days: rows ${(bytes.length / 1e6).toFixed(2)} MB (${rows.length} rows), visit pages ${(files.visitPages.length / 1e6).toFixed(2)} MB a day; ${encodeMsPerDay.toFixed(0)} ms to compute and encode a day`,
    );

    const allDays: string[] = [];
    for (let day = first; day <= last; day = addDays(day, 1)) allDays.push(day);
    const deps = {
      doc: ctx.doc,
      visitsTable: 'unused: every day is archived',
      archive: { blobs, engine: duckDbEngine(blobs) },
    };
    const at = { now: Date.now(), zone: 'UTC' };
    const ask = (property: 'page' | 'source', filter: string) =>
      exploreBreakdown(orgId, allDays, property, [parseFilter(filter)], deps, at);
    await ask('page', 'country:DE'); // warm-up: DuckDB loads, the files enter the page cache
    // The two breakdowns alternate, so a change in the machine's load falls on both.
    const times: number[] = [];
    const sourceTimes: number[] = [];
    let filteredRows = 0;
    for (let i = 0; i < (ctx.smoke ? 2 : 7); i++) {
      const t0 = performance.now();
      filteredRows = (await ask('page', 'country:DE')).rows.length;
      times.push(performance.now() - t0);
      const t1 = performance.now();
      await ask('source', 'country:DE');
      sourceTimes.push(performance.now() - t1);
    }
    // A filter that keeps every visit: the range's figures, against the counters'.
    const everything = await exploreStats(orgId, allDays, [parseFilter('country!:ZZ')], deps, at);
    const dayRowsOf = everything.rows.filter((row) => row.hour === null);
    const engine = {
      visitors: dayRowsOf.reduce((n, r) => n + r.visitors, 0),
      visits: dayRowsOf.reduce((n, r) => n + r.visits, 0),
      pageviews: dayRowsOf.reduce((n, r) => n + r.pageviews, 0),
    };
    const oneDay = countedDay(first, rows);
    const counted = {
      visitors: oneDay.visitors * days,
      visits: oneDay.visits * days,
      pageviews: oneDay.pageviews * days,
    };
    const exactTotal =
      engine.visitors === counted.visitors &&
      engine.visits === counted.visits &&
      engine.pageviews === counted.pageviews;

    const athenaBytes = files.visitPages.length * days;
    const viewsPerDay = rows.filter((row) => row.type === 'pageview').length;
    const orgDaysPerMillion = 1e6 / viewsPerDay;
    const lambdaSeconds = (encodeMsPerDay / 1000) * 2; // encoding plus reading the visitor-days back, about as long
    const costPerMillion = {
      // The day's two files and the progress object.
      puts: (orgDaysPerMillion * 3 * s3PutPerThousand) / 1000,
      storageMonth:
        (((bytes.length + files.visitPages.length) / viewsPerDay) * 1e6 * s3StoragePerGbMonth) / 1024 ** 3,
      lambda: orgDaysPerMillion * lambdaSeconds * 1 * prices.lambdaArmPerGbSecond,
      // Eventually consistent Queries: half a read unit per 4 KB.
      reads: (((1e6 * visitorDayBytesPerView) / 4096) * 0.5 * prices.dynamoPerMillionReadUnits) / 1e6,
      total: 0,
    };
    costPerMillion.total =
      costPerMillion.puts + costPerMillion.storageMonth + costPerMillion.lambda + costPerMillion.reads;
    const sorted = [...times].sort((a, b) => a - b);
    const sortedSource = [...sourceTimes].sort((a, b) => a - b);
    const result: ArchiveResult = {
      visitorsPerDay,
      days,
      rowsPerDay: rows.length,
      bytesPerDay: bytes.length,
      visitPagesBytesPerDay: files.visitPages.length,
      encodeMsPerDay,
      breakdownP50Ms: percentile(times, 50),
      breakdownSpreadMs: [sorted[0]!, sorted.at(-1)!],
      sourceP50Ms: percentile(sourceTimes, 50),
      sourceSpreadMs: [sortedSource[0]!, sortedSource.at(-1)!],
      exactTotal,
      counted,
      engine,
      filteredRows,
      athenaBytes,
      athenaPriceUsd: (Math.max(athenaBytes, athenaMinimumBytes) / 1024 ** 4) * athenaPerTb,
      costPerMillion,
    };
    ctx.log(
      `  9. filtered breakdowns over ${days} days: pages p50 ${result.breakdownP50Ms.toFixed(0)} ms (${sorted.map((t) => t.toFixed(0)).join(', ')}), sources p50 ${result.sourceP50Ms.toFixed(0)} ms (${sortedSource.map((t) => t.toFixed(0)).join(', ')}); exact against the counters ${exactTotal} (${engine.pageviews} page views, ${engine.visits} visits, ${engine.visitors} visitors); Athena would scan at most ${(athenaBytes / 1e6).toFixed(0)} MB ($${result.athenaPriceUsd.toFixed(4)}); archiving $${costPerMillion.total.toFixed(4)} per 1M page views`,
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
