/**
 * 4. Freshness and 5. ingest throughput, on the local stack: the real handlers behind the local
 * API, the SQS emulator, and the poller that batches like Lambda's event source (the settings' window).
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { browserUserAgent, queueSettings, throttling } from '../../lambdas/core/settings.js';
import { queryVisits } from '../../lambdas/query/visits.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import type { BenchContext } from '../lib/context.js';
import { percentile } from '../lib/stats.js';

export interface FreshnessResult {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  batchingWindowSeconds: number;
  /** The x-items-read header of a GET, to show the API reports what a query read. */
  itemsReadHeader: number;
}

export interface ThroughputResult {
  /** POST /visits while the consumer is held: the API and ingest handler alone. */
  ingestAlone: ThroughputRun;
  /** The same with the consumer polling and counting in the same process. */
  endToEnd: ThroughputRun;
  /** The held visits counted per second of the drain that followed: the consumer alone. */
  consumerViewsPerSecond: number;
  throttleNote: string;
}

export interface ThroughputRun {
  consumerHeld: boolean;
  connections: number;
  durationSeconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  accepted: number;
  non2xx: number;
  errors: number;
  /** Every accepted visit was counted once the queue drained. */
  counted: number;
  drainSeconds: number;
}

export async function withLocalStack<T>(
  ctx: BenchContext,
  fn: (stack: LocalStack) => Promise<T>,
): Promise<T> {
  const stack = await startLocalStack({
    ports: { api: 0, site: 0, dashboard: 0 },
    emulators: { dynamoEndpoint: ctx.endpoints.dynamo, sqsEndpoint: ctx.endpoints.sqs },
    prefix: `bench${randomUUID().slice(0, 8)}-`,
    serveSite: false,
    serveDashboard: false,
    quiet: true,
    // API Gateway's throttle (1000 rps, burst 2000) would cap the throughput run: lifted for the bench.
    throttle: { rateLimitPerSecond: 1e9, burstLimit: 1e9 },
  });
  try {
    return await fn(stack);
  } finally {
    await stack.stop();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(stack: LocalStack, pageUrl: string): Promise<number> {
  const response = await fetch(`${stack.apiUrl}/visits`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': browserUserAgent },
    body: JSON.stringify({ key: stack.demo.siteKey, pageUrl }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function visibleCount(
  stack: LocalStack,
  pageUrl: string,
): Promise<{ count: number; itemsRead: number }> {
  const response = await fetch(
    `${stack.apiUrl}/visits?${new URLSearchParams({ aggregation: 'minute', pageUrl })}`,
    { headers: { authorization: `Bearer ${stack.demo.readKey}` } },
  );
  const body = (await response.json()) as { data: Record<string, { visit_count: number }[]> };
  return {
    count: (body.data[pageUrl] ?? []).reduce((n, r) => n + r.visit_count, 0),
    itemsRead: Number(response.headers.get('x-items-read')),
  };
}

/** POST one visit per sample, spaced out, and poll GET until each is visible. */
export async function measureFreshness(ctx: BenchContext, stack: LocalStack): Promise<FreshnessResult> {
  const samples = ctx.smoke ? 2 : 12;
  const gapMs = 700;
  let itemsReadHeader = NaN;
  const runs: Promise<number>[] = [];
  for (let i = 0; i < samples; i++) {
    const pageUrl = `https://fresh.example.com/sample-${i}-${randomUUID().slice(0, 6)}`;
    runs.push(
      (async () => {
        const started = performance.now();
        const status = await post(stack, pageUrl);
        if (status !== 202) throw new Error(`POST /visits answered ${status}`);
        for (;;) {
          const seen = await visibleCount(stack, pageUrl);
          if (seen.count > 0) {
            itemsReadHeader = seen.itemsRead;
            return performance.now() - started;
          }
          if (performance.now() - started > 30_000) throw new Error('a visit was not visible within 30 s');
          await sleep(50);
        }
      })(),
    );
    await sleep(gapMs);
  }
  const times = await Promise.all(runs);
  ctx.log(
    `  4. freshness p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms over ${samples} visits`,
  );
  return {
    samples,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    maxMs: Math.max(...times),
    batchingWindowSeconds: queueSettings.batchingWindowSeconds,
    itemsReadHeader,
  };
}

/** One autocannon run against POST /visits, its accepted visits drained and counted. */
async function loadRun(ctx: BenchContext, stack: LocalStack, holdConsumer: boolean): Promise<ThroughputRun> {
  const connections = ctx.smoke ? 2 : 10;
  const duration = ctx.smoke ? 1 : 8;
  const pageUrl = `https://load.example.com/landing-${randomUUID().slice(0, 6)}`;
  if (holdConsumer) stack.holdConsumer();
  const result = await autocannon({
    url: `${stack.apiUrl}/visits`,
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': browserUserAgent },
    body: JSON.stringify({ key: stack.demo.siteKey, pageUrl }),
    connections,
    duration,
  });
  stack.releaseConsumer();
  const accepted = result['2xx'];
  const started = performance.now();
  const drained = await stack.drain(ctx.smoke ? 30_000 : 120_000);
  const drainSeconds = (performance.now() - started) / 1000;
  const now = Date.now();
  const answer = await queryVisits(
    stack.demo.orgId,
    { aggregation: 'hour', from: now - 2 * 3_600_000, to: now + 60_000, zone: 'UTC', pageUrl },
    { doc: stack.doc, countersTable: stack.resources.countersTable },
  );
  const counted = (answer.data[pageUrl] ?? []).reduce((n, r) => n + r.visit_count, 0);
  ctx.log(
    `  5. ${holdConsumer ? 'ingest alone (consumer held)' : 'end to end'}: ${result.requests.average} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ${counted} of ${accepted} accepted visits counted after a ${drainSeconds.toFixed(1)} s drain${drained ? '' : ' (queue not drained in time)'}`,
  );
  return {
    consumerHeld: holdConsumer,
    connections,
    durationSeconds: duration,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    accepted,
    non2xx: result.non2xx,
    errors: result.errors,
    counted,
    drainSeconds,
  };
}

/**
 * Ingest with the consumer held (its visits wait in the queue, then the consumer drains them
 * alone: its own rate), and end to end with both sharing the process, as `npm start` runs them.
 */
export async function measureThroughput(ctx: BenchContext, stack: LocalStack): Promise<ThroughputResult> {
  const ingestAlone = await loadRun(ctx, stack, true);
  const endToEnd = await loadRun(ctx, stack, false);
  return {
    ingestAlone,
    endToEnd,
    consumerViewsPerSecond: ingestAlone.counted / ingestAlone.drainSeconds,
    throttleNote: `the local API's throttle (API Gateway's ${throttling.rateLimitPerSecond} rps, burst ${throttling.burstLimit}, from settings.throttling) was lifted for this run`,
  };
}
