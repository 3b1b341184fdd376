/**
 * 6. Sizes and cold starts: tracker.js raw / gzip / brotli; each Lambda bundled as the CDK stack
 * bundles it (infra/bundling.ts: esbuild, minified, ESM for Node 22, the AWS SDK bundled in where
 * a function uses it), and the source table ingest parses on its first request; and the time a
 * fresh `node` process takes to import each bundle. That time is small next to a node start whose
 * own time swings with the machine's load, so the bundle and an empty script are started
 * alternately, many times, and the median of the paired differences is reported with its spread.
 * The ingest bundle is also built as it was before it signed its own calls (issue 25: the same
 * handler with the AWS SDK's clients, bench/lib/ingest-sdk-entry.ts) and measured in the same
 * alternation. Then the two ingest builds, alternated again, each import and answer two POST
 * /visits in a fresh process (bench/lib/first-request.mjs), timed inside it, against a local
 * endpoint that answers DynamoDB and SQS at once: so the first request's time is the function's
 * own (clients loaded on first use, signing, the connection, parsing the source table), not the
 * database's.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { esmRequireBanner, externalModules } from '../../infra/bundling.js';
import { browserUserAgent } from '../../lambdas/core/settings.js';
import { buildTracker } from '../../tracker/build.js';
import type { BenchContext } from '../lib/context.js';
import { median, percentile } from '../lib/stats.js';

/** Issue 25: the ingest bundle's import, measured as above, at most this. */
export const coldStartGoalMs = 120;

export interface BundleResult {
  name: string;
  /** The AWS SDK: bundled in (consume, query; ingest before issue 25), or none (ingest signs its own calls). */
  sdk: 'bundled' | 'none';
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

/** Medians and spreads over the runs of one ingest build, timed inside a fresh process, ms. */
export interface FirstRequestResult {
  build: 'own client' | 'SDK clients (before)';
  importMs: Spread;
  firstRequestMs: Spread;
  secondRequestMs: Spread;
}

export interface Spread {
  median: number;
  p25: number;
  p75: number;
}

export interface SizesResult {
  tracker: { raw: number; gzip: number; brotli: number };
  /** As deployed, then the ingest bundle with the SDK's clients (before). */
  bundles: BundleResult[];
  /** Pairs (empty script, bundle) per bundle. */
  runs: number;
  /** Import, first and second request of ingest, as deployed and before, alternated `runs` times. */
  firstRequests: FirstRequestResult[];
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
  // then ingest with the SDK's clients, as deployed before issue 25.
  const entries: [name: string, entry: string, sdk: BundleResult['sdk']][] = [
    ['ingest', `${root}lambdas/ingest/handler.ts`, 'none'],
    ['consume', `${root}lambdas/consume/handler.ts`, 'bundled'],
    ['query', `${root}lambdas/query/handler.ts`, 'bundled'],
    ['source table (in ingest)', `${root}bench/lib/source-table-entry.ts`, 'none'],
    ['ingest', `${root}bench/lib/ingest-sdk-entry.ts`, 'bundled'],
  ];
  const builds: { name: string; sdk: BundleResult['sdk']; code: Uint8Array; file: string }[] = [];
  for (const [name, entry, sdk] of entries) {
    const code = await bundle(entry, externalModules);
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
  const [deployed, before] = [builds[0]!, builds[4]!];
  const firstRequests = await measureFirstRequests(
    [
      ['own client', deployed.file],
      ['SDK clients (before)', before.file],
    ],
    runs,
  );
  for (const r of firstRequests)
    ctx.log(
      `  6. ingest, ${r.build}: import ${r.importMs.median.toFixed(0)} ms, first request ${r.firstRequestMs.median.toFixed(0)} ms, second ${r.secondRequestMs.median.toFixed(1)} ms (medians of ${runs})`,
    );
  return {
    tracker: { raw: tracker.raw, gzip: tracker.gzip, brotli: tracker.brotli },
    bundles,
    runs,
    firstRequests,
  };
}

const spread = (values: number[]): Spread => ({
  median: median(values),
  p25: percentile(values, 25),
  p75: percentile(values, 75),
});

/**
 * Answers the ingest path's DynamoDB and SQS calls at once, as the real services would: the key
 * resolves to a site key of an org with no domain list, the day's salt exists, the daily usage is
 * empty, and a message is accepted with the MD5 of its body (both clients check it).
 */
async function startInstantAws(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const attribute = (value: string) => ({ S: value });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const target = String(req.headers['x-amz-target']);
      const pk: string = input.Key?.pk?.S ?? '';
      let output: object = {};
      if (target === 'AmazonSQS.SendMessage')
        output = {
          MessageId: randomUUID(),
          MD5OfMessageBody: createHash('md5').update(input.MessageBody, 'utf8').digest('hex'),
        };
      else if (target.endsWith('.GetItem') && pk.startsWith('key#'))
        output = {
          Item: {
            pk: attribute(pk),
            sk: attribute('key'),
            orgId: attribute('bench-org'),
            kind: attribute('site'),
            domains: { L: [] },
            timezone: attribute('UTC'),
          },
        };
      else if (target.endsWith('.GetItem') && pk.startsWith('salt#'))
        output = { Item: { pk: attribute(pk), sk: attribute('salt'), value: attribute('bench-salt') } };
      else if (target.endsWith('.UpdateItem')) output = { Attributes: { accepted: { N: '1' } } };
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' });
      res.end(JSON.stringify(output));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function measureFirstRequests(
  builds: [FirstRequestResult['build'], string][],
  runs: number,
): Promise<FirstRequestResult[]> {
  const aws = await startInstantAws();
  const env = {
    ...process.env,
    ...dummyEnv,
    AWS_ENDPOINT_URL_DYNAMODB: aws.endpoint,
    AWS_ENDPOINT_URL_SQS: aws.endpoint,
    QUEUE_URL: `${aws.endpoint}/000000000000/visits`,
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const event = {
    version: '2.0',
    routeKey: 'POST /visits',
    rawPath: '/visits',
    rawQueryString: '',
    headers: { 'content-type': 'text/plain', 'user-agent': browserUserAgent },
    requestContext: {
      http: { method: 'POST', path: '/visits', sourceIp: '203.0.113.7', userAgent: browserUserAgent },
    },
    body: JSON.stringify({
      key: 'pvs_bench',
      pageUrl: 'https://bench.example/pricing',
      referrer: 'https://www.google.com/',
      eventId: 'bench-first-request',
    }),
    isBase64Encoded: false,
  };
  const runner = fileURLToPath(new URL('../lib/first-request.mjs', import.meta.url));
  const times = builds.map(() => ({
    importMs: [] as number[],
    firstRequestMs: [] as number[],
    secondRequestMs: [] as number[],
  }));
  try {
    // Alternating, as the import pairs above: the machine's load swings hit both builds alike.
    for (let i = 0; i < runs; i++)
      for (const [j, [, file]] of builds.entries()) {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [runner, file, JSON.stringify(event)],
          {
            env,
            cwd: root,
          },
        );
        const t = JSON.parse(stdout.trim().split('\n').pop()!);
        times[j]!.importMs.push(t.importMs);
        times[j]!.firstRequestMs.push(t.firstRequestMs);
        times[j]!.secondRequestMs.push(t.secondRequestMs);
      }
  } finally {
    await aws.stop();
  }
  return builds.map(([build], j) => ({
    build,
    importMs: spread(times[j]!.importMs),
    firstRequestMs: spread(times[j]!.firstRequestMs),
    secondRequestMs: spread(times[j]!.secondRequestMs),
  }));
}
