/**
 * 6. Sizes and cold starts: tracker.js raw / gzip / brotli; each Lambda bundled as the CDK stack
 * bundles it (esbuild, minified, ESM for Node 22, @aws-sdk/* left to the runtime), and the source
 * table ingest parses on its first request; and the time a fresh `node` process takes to import
 * each bundle, minus an empty process's start.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildTracker } from '../../tracker/build.js';
import type { BenchContext } from '../lib/context.js';
import { median } from '../lib/stats.js';

export interface BundleResult {
  name: string;
  raw: number;
  gzip: number;
  /** Median wall time of `node bundle.mjs` minus that of an empty script, ms. */
  coldStartMs: number;
  baselineMs: number;
}

export interface SizesResult {
  tracker: { raw: number; gzip: number; brotli: number };
  bundles: BundleResult[];
  runs: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = fileURLToPath(new URL('../.tmp/bundles/', import.meta.url));

/** The banner the CDK stack puts on every ESM bundle, read from its source so the two cannot drift. */
function cdkBanner(): string {
  const source = readFileSync(`${root}infra/constructs/function.ts`, 'utf8');
  const match = /export const esmRequireBanner =\s*"([^"]+)"/.exec(source);
  return (
    match?.[1] ??
    "import { createRequire as __pvCreateRequire } from 'node:module';const require = __pvCreateRequire(import.meta.url);"
  );
}

const dummyEnv = {
  ORGS_TABLE: 'bench-Orgs',
  COUNTERS_TABLE: 'bench-Counters',
  VISITS_TABLE: 'bench-Visits',
  QUEUE_URL: 'http://127.0.0.1:9/000000000000/visits',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_SERVICE_NAME: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

function wallMs(file: string): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [file], {
    env: { ...process.env, ...dummyEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
    cwd: root,
  });
  const ms = performance.now() - started;
  if (run.status !== 0)
    throw new Error(`node ${file} exited with ${run.status}: ${run.stderr.toString().slice(0, 500)}`);
  return ms;
}

export async function measureSizes(ctx: BenchContext): Promise<SizesResult> {
  const tracker = await buildTracker();
  mkdirSync(outDir, { recursive: true });
  const runs = ctx.smoke ? 1 : 5;
  const empty = `${outDir}empty.mjs`;
  writeFileSync(empty, '');
  const bundles: BundleResult[] = [];
  // The three functions, and the source table that ingest parses on its first request (issue 23).
  const entries: [string, string][] = [
    ['ingest', `${root}lambdas/ingest/handler.ts`],
    ['consume', `${root}lambdas/consume/handler.ts`],
    ['query', `${root}lambdas/query/handler.ts`],
    ['source table (in ingest)', `${root}bench/lib/source-table-entry.ts`],
  ];
  for (const [name, entry] of entries) {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      banner: { js: cdkBanner() },
      external: ['@aws-sdk/*'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.contents;
    // Inside the repository, so that @aws-sdk/* resolves from node_modules as it does from the Lambda runtime.
    const file = `${outDir}${name.split(' ')[0]}.mjs`;
    writeFileSync(file, code);
    const baseline: number[] = [];
    const cold: number[] = [];
    for (let i = 0; i < runs; i++) {
      baseline.push(wallMs(empty));
      cold.push(wallMs(file));
    }
    const baselineMs = median(baseline);
    bundles.push({
      name,
      raw: code.byteLength,
      gzip: gzipSync(code, { level: 9 }).length,
      coldStartMs: Math.max(0, median(cold) - baselineMs),
      baselineMs,
    });
    ctx.log(`  6. ${name}: ${code.byteLength} B, import ${(median(cold) - baselineMs).toFixed(0)} ms`);
  }
  return { tracker: { raw: tracker.raw, gzip: tracker.gzip, brotli: tracker.brotli }, bundles, runs };
}
