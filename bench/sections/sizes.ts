/**
 * 6. Sizes and cold starts: tracker.js raw / gzip / brotli; each Lambda bundled as the CDK stack
 * bundles it (infra/bundling.ts: esbuild, minified, ESM for Node 22, the AWS SDK bundled in), and
 * the source table ingest parses on its first request; and the time a fresh `node` process takes
 * to import each bundle. That time is small next to a node start whose own time swings with the
 * machine's load, so the bundle and an empty script are started alternately, many times, and the
 * median of the paired differences is reported with its spread. The ingest bundle is also built
 * the way the first releases built it (`@aws-sdk/*` left to the runtime) and measured in the
 * same alternation, as the before of that change.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { esmRequireBanner, externalModules } from '../../infra/bundling.js';
import { buildTracker } from '../../tracker/build.js';
import type { BenchContext } from '../lib/context.js';
import { median, percentile } from '../lib/stats.js';

/** Issue 25: the ingest bundle's import, measured as above, at most this. */
export const coldStartGoalMs = 120;

export interface BundleResult {
  name: string;
  /** How it was built: as deployed, or with the AWS SDK left to the runtime (the first releases). */
  sdk: 'bundled' | 'runtime';
  raw: number;
  gzip: number;
  /** Median over the runs of (wall time of `node bundle.mjs`) minus (that of the empty script just before it), ms. */
  coldStartMs: number;
  /** The 25th and 75th percentiles of those differences. */
  coldStartP25Ms: number;
  coldStartP75Ms: number;
  /** Median wall time of the empty script. */
  baselineMs: number;
}

export interface SizesResult {
  tracker: { raw: number; gzip: number; brotli: number };
  /** As deployed, then the ingest bundle with the SDK left to the runtime. */
  bundles: BundleResult[];
  /** Pairs (empty script, bundle) per bundle. */
  runs: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = fileURLToPath(new URL('../.tmp/bundles/', import.meta.url));

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

async function bundle(entry: string, external: readonly string[]): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: { js: esmRequireBanner },
    external: [...external],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}

export async function measureSizes(ctx: BenchContext): Promise<SizesResult> {
  const tracker = await buildTracker();
  mkdirSync(outDir, { recursive: true });
  const runs = ctx.smoke ? 3 : 21;
  const empty = `${outDir}empty.mjs`;
  writeFileSync(empty, '');
  // The three functions, and the source table that ingest parses on its first request (issue 23);
  // then ingest as the first releases built it, the SDK left to the runtime.
  const entries: [name: string, entry: string, sdk: BundleResult['sdk']][] = [
    ['ingest', `${root}lambdas/ingest/handler.ts`, 'bundled'],
    ['consume', `${root}lambdas/consume/handler.ts`, 'bundled'],
    ['query', `${root}lambdas/query/handler.ts`, 'bundled'],
    ['source table (in ingest)', `${root}bench/lib/source-table-entry.ts`, 'bundled'],
    ['ingest', `${root}lambdas/ingest/handler.ts`, 'runtime'],
  ];
  const builds: { name: string; sdk: BundleResult['sdk']; code: Uint8Array; file: string }[] = [];
  for (const [name, entry, sdk] of entries) {
    const code = await bundle(
      entry,
      sdk === 'bundled' ? externalModules : ['@aws-sdk/*', ...externalModules],
    );
    // Inside the repository, so that a runtime @aws-sdk/* resolves from node_modules as it would from the Lambda runtime.
    const file = `${outDir}${name.split(' ')[0]}-${sdk}.mjs`;
    writeFileSync(file, code);
    builds.push({ name, sdk, code, file });
  }
  const baselines: number[] = [];
  const differences = builds.map(() => [] as number[]);
  // Round-robin over the bundles, each right after its own empty start: load swings hit both halves of a pair.
  for (let i = 0; i < runs; i++) {
    builds.forEach((b, j) => {
      const baseline = wallMs(empty);
      baselines.push(baseline);
      differences[j]!.push(wallMs(b.file) - baseline);
    });
  }
  const bundles = builds.map((b, j): BundleResult => {
    const d = differences[j]!;
    return {
      name: b.name,
      sdk: b.sdk,
      raw: b.code.byteLength,
      gzip: gzipSync(b.code, { level: 9 }).length,
      coldStartMs: median(d),
      coldStartP25Ms: percentile(d, 25),
      coldStartP75Ms: percentile(d, 75),
      baselineMs: median(baselines),
    };
  });
  for (const b of bundles)
    ctx.log(
      `  6. ${b.name} (SDK ${b.sdk}): ${b.raw} B, import ${b.coldStartMs.toFixed(0)} ms (p25 ${b.coldStartP25Ms.toFixed(0)}, p75 ${b.coldStartP75Ms.toFixed(0)}) over ${runs} pairs`,
    );
  return { tracker: { raw: tracker.raw, gzip: tracker.gzip, brotli: tracker.brotli }, bundles, runs };
}
