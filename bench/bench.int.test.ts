/**
 * The benchmark's smoke mode, so it cannot rot: every section runs with tiny sizes on the test
 * suite's emulators (PostgreSQL aside, which `npm run bench` covers) and must produce numbers,
 * and the report and chart must be written (to a temp folder, never docs/).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { type BenchResults, runBench } from './bench.js';
import { summaryRows, textTable } from './report.js';
import { writeReport } from './write-report.js';

const positive = (n: number | undefined) =>
  expect(Number.isFinite(n) && n! > 0, `${n} should be a positive number`).toBe(true);

let results: BenchResults;
const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));

beforeAll(async () => {
  results = await runBench({
    smoke: true,
    postgres: false,
    endpoints: { dynamo: inject('dynamoEndpoint'), sqs: inject('sqsEndpoint') },
  });
  // About 100 s on the shared 2-core machine before sections 9 and 10 (about 60 s more); twice that when six engineers' tests load it.
}, 360_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench smoke run', () => {
  it('measures write units per visit for every traffic shape, above the 2 WCU of the exactly-once record', () => {
    expect(results.writes.map((w) => w.shape)).toEqual(
      expect.arrayContaining(['trickle', 'steady', 'burst']),
    );
    for (const w of results.writes) {
      expect(w.wcuPerVisit).toBeGreaterThan(2);
      positive(w.reportedWcuPerVisit);
      positive(w.msPerBatch);
      // Each committed action costs at least 2 WCU in a transaction (more for an item over 1 KB).
      expect(w.wcuPerVisit).toBeGreaterThanOrEqual(2 * w.actionsPerVisit - 1e-9);
      // The consumer reads each visitor-day it writes: at least one unit per visitor-day.
      positive(w.rcuPerVisit);
    }
  });

  it('reads the same number of items at 1x and 10x the visits for every aggregation', () => {
    expect(results.queries).toHaveLength(8);
    for (const agg of ['minute', 'hour', 'day', 'month']) {
      const [a, b] = results.queries.filter((q) => q.aggregation === agg);
      positive(a!.itemsRead);
      expect(b!.itemsRead).toBe(a!.itemsRead);
      expect(b!.visitsInRange).toBe(10 * a!.visitsInRange);
      positive(a!.p50Ms);
    }
  });

  it('answers the side-by-side query from counters at both sizes, PostgreSQL left to npm run bench', () => {
    expect(results.sideBySide.shortcutMatches).toBe(true);
    expect(results.sideBySide.rows).toHaveLength(2);
    for (const row of results.sideBySide.rows) {
      positive(row.dynamoItemsRead);
      positive(row.dynamoP50Ms);
    }
    expect(results.sideBySide.postgresSkipped).toBeTruthy();
  });

  it('measures freshness and throughput on the local stack, and counts every accepted visit', () => {
    positive(results.freshness.p50Ms);
    positive(results.freshness.p95Ms);
    positive(results.freshness.itemsReadHeader);
    for (const run of [results.throughput.ingestAlone, results.throughput.endToEnd]) {
      positive(run.requestsPerSecond);
      positive(run.p99Ms);
      expect(run.counted).toBeGreaterThanOrEqual(run.accepted);
    }
    positive(results.throughput.consumerViewsPerSecond);
  });

  it('measures the tracker, each bundle and its cold start', () => {
    positive(results.sizes.tracker.gzip);
    expect(results.sizes.bundles.map((b) => `${b.name} ${b.sdk}`)).toEqual([
      'ingest none',
      'consume bundled',
      'query bundled',
      'source table (in ingest) none',
      'ingest bundled',
    ]);
    for (const b of results.sizes.bundles) {
      positive(b.raw);
      expect(b.gzip).toBeLessThan(b.raw);
      expect(Number.isFinite(b.coldStartMs)).toBe(true);
    }
    // Without the SDK's clients the ingest bundle is a fraction of its size before.
    const [ingest, before] = [results.sizes.bundles[0]!, results.sizes.bundles[4]!];
    expect(ingest.raw).toBeLessThan(before.raw / 2);
    expect(results.sizes.firstRequests.map((q) => q.build)).toEqual(['own client', 'SDK clients (before)']);
    for (const q of results.sizes.firstRequests) {
      positive(q.importMs.median);
      positive(q.firstRequestMs.median);
      positive(q.secondRequestMs.median);
    }
  });

  it('prices 1M page views with every line item', () => {
    const steady = results.costs.find((c) => c.shape === 'steady')!;
    expect(steady.lines.map((l) => l.item)).toEqual(
      expect.arrayContaining([
        'Beacon endpoint',
        'Lambda ingest',
        'SQS',
        'Lambda consume',
        'DynamoDB writes',
        'CloudFront tracker.js',
      ]),
    );
    positive(steady.total);
    expect(steady.total).toBeCloseTo(
      steady.lines.reduce((s, l) => s + l.dollars, 0),
      9,
    );
  });

  it('reads back every visitor-day of the range for a filtered breakdown, page by page', () => {
    expect(results.filtered.map((q) => q.days)).toEqual([1, 3]);
    for (const q of results.filtered) {
      expect(q.visitorDaysRead).toBe(q.visitorDaysInRange);
      positive(q.rows);
      positive(q.p50Ms);
    }
  });

  it('answers a filtered breakdown over the archive, exact against the site counters, and prices archiving and Athena', () => {
    const a = results.archive;
    expect(a.exactTotal).toBe(true);
    expect(a.engine.pageviews).toBeGreaterThan(a.engine.visits);
    expect(a.engine.visits).toBeGreaterThan(a.engine.visitors);
    positive(a.filteredRows);
    positive(a.breakdownP50Ms);
    positive(a.sourceP50Ms);
    positive(a.visitPagesBytesPerDay);
    expect(a.athenaBytes).toBe(a.visitPagesBytesPerDay * a.days);
    positive(a.costPerMillion.total);
  });

  it("times the dashboard's filtered view over archived and open days", () => {
    const v = results.filteredView;
    expect(v.requests).toBe(7);
    positive(v.archivedDays);
    positive(v.openDays);
    positive(v.p50Ms);
  });

  it('writes the report with all ten sections and the chart', () => {
    const written = writeReport(results, dir);
    const report = readFileSync(written.report, 'utf8');
    for (const heading of [
      '## 1.',
      '## 2.',
      '## 3.',
      '## 4.',
      '## 5.',
      '## 6.',
      '## 7.',
      '## 8.',
      '## 9.',
      '## 10.',
    ])
      expect(report).toContain(heading);
    expect(report).toContain('SMOKE MODE');
    // Section 6's ingest before and after, import and first request side by side.
    expect(report).toMatch(/\| SDK clients \(before\) \| \d[\d,]* ms \(/);
    expect(report).toContain('PostgreSQL not measured');
    expect(readFileSync(written.chart, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(textTable(summaryRows(results))).toContain('WCU/visit, steady');
  });
});
