/**
 * `npm run soak -- --visits 100000 [--rate 500] [--concurrency 32] [--duplicates 0.05] [--bad 0.05]`
 *
 * Against a running `npm start`: posts visits at a steady rate to a fresh org, with a share of
 * re-sent events (same eventId) and of bad requests, waits for the counters to settle, and
 * prints what was sent, accepted, rejected and counted, and what was lost or counted twice.
 * At most `concurrency` requests are outstanding: when the stack is slower than the rate, the
 * soak falls behind and says so, rather than burying the machine in open connections.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createOrg } from '../lambdas/core/store/orgs.js';
import { browserUserAgent } from '../lambdas/core/settings.js';
import { readStackFile } from './data-dir.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    visits: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '500' },
    duplicates: { type: 'string', default: '0.05' },
    bad: { type: 'string', default: '0.05' },
    api: { type: 'string', default: 'http://localhost:8080' },
    pages: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '32' },
  },
});
const total = Number(values.visits);
const rate = Number(values.rate);
const duplicateShare = Number(values.duplicates);
const badShare = Number(values.bad);
const pageCount = Number(values.pages);
const concurrency = Number(values.concurrency);

interface Outcome {
  status: number;
  ms: number;
}

async function main(): Promise<void> {
  const org = await soakOrg();
  const pages = Array.from({ length: pageCount }, (_, i) => `https://soak.example/page-${i}`);
  const accepted = new Map<string, string>(); // eventId -> page, for visits answered 202
  // Visits whose answer never arrived (network error or 5xx): the stack may or may not have taken them.
  const uncertain = new Map<string, string>();
  const sentEvents: { eventId: string; pageUrl: string }[] = [];
  const latencies: number[] = [];
  const tally = { sent: 0, accepted: 0, rejected: 0, throttled: 0, failed: 0, duplicatesSent: 0, badSent: 0 };
  const statuses = new Map<number, number>();

  const started = Date.now();
  const sendOne = async (i: number): Promise<void> => {
    const roll = Math.random();
    let body: string;
    let event: { eventId: string; pageUrl: string } | undefined;
    if (roll < badShare) {
      tally.badSent++;
      body = i % 2 ? '{"key": "' : JSON.stringify({ key: org.siteKey, pageUrl: 'not a url' });
    } else if (roll < badShare + duplicateShare && sentEvents.length > 0) {
      tally.duplicatesSent++;
      event = sentEvents[Math.floor(Math.random() * sentEvents.length)]!;
      body = JSON.stringify({ key: org.siteKey, ...event });
    } else {
      event = { eventId: randomUUID(), pageUrl: pages[i % pages.length]! };
      sentEvents.push(event);
      body = JSON.stringify({ key: org.siteKey, ...event });
    }
    tally.sent++;
    const outcome = await post(body);
    latencies.push(outcome.ms);
    statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
    if (outcome.status === 202) {
      tally.accepted++;
      if (event) accepted.set(event.eventId, event.pageUrl);
    } else if (outcome.status === 429) tally.throttled++;
    else if (outcome.status >= 400 && outcome.status < 500) tally.rejected++;
    else {
      tally.failed++;
      if (event) uncertain.set(event.eventId, event.pageUrl);
    }
  };

  // A steady rate: each 10 ms tick starts the requests due by then.
  const inFlight = new Set<Promise<void>>();
  let next = 0;
  while (next < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
    for (; next < due && inFlight.size < concurrency; next++) {
      const p = sendOne(next).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    if (next % Math.max(1, Math.floor(total / 10)) === 0 && next > 0)
      process.stdout.write(`  ${next} sent\r`);
    await sleep(10);
  }
  await Promise.all(inFlight);
  const sendSeconds = (Date.now() - started) / 1000;

  const expected = perPage(accepted);
  for (const eventId of accepted.keys()) uncertain.delete(eventId);
  const possible = perPage(new Map([...accepted, ...uncertain]));
  const counted = await settledCounts(org.readKey, started, expected, possible);

  // Lost: accepted (202) but not counted. Double-counted: more than every event that could have been taken.
  let lost = 0;
  let doubleCounted = 0;
  for (const pageUrl of new Set([...possible.keys(), ...counted.keys()])) {
    const n = counted.get(pageUrl) ?? 0;
    lost += Math.max(0, (expected.get(pageUrl) ?? 0) - n);
    doubleCounted += Math.max(0, n - (possible.get(pageUrl) ?? 0));
  }
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

  console.log(`
soak: ${total} requests over ${pageCount} pages (${(duplicateShare * 100).toFixed(0)}% re-sent events, ${(badShare * 100).toFixed(0)}% bad requests)
  rate            asked ${rate}/s, achieved ${(total / sendSeconds).toFixed(0)}/s over ${sendSeconds.toFixed(1)} s (at most ${concurrency} in flight)
  sent            ${tally.sent}
  accepted        ${tally.accepted}   (202; of them ${tally.accepted - accepted.size} re-sent events)
  rejected        ${tally.rejected}   (4xx for bad requests; ${tally.badSent} bad sent)
  throttled       ${tally.throttled}   (429)
  failed          ${tally.failed}   (5xx or network)
  unique visits   ${sum(expected)}   (accepted; plus ${uncertain.size} whose answer was lost)
  counted         ${sum(counted)}
  lost            ${lost}
  double-counted  ${doubleCounted}
  latency         p50 ${percentile(50)} ms   p99 ${percentile(99)} ms
  statuses        ${[...statuses]
    .sort()
    .map(([status, n]) => `${status || 'network error'}: ${n}`)
    .join(', ')}
`);
  process.exit(lost === 0 && doubleCounted === 0 && tally.failed === 0 ? 0 : 1);
}

/** A fresh org in the running local stack, so the soak's counts are its own. */
async function soakOrg() {
  const local = readStackFile();
  if (!local)
    throw new Error('No running local stack found: start one with `npm start` in another terminal first.');
  const client = new DynamoDBClient({
    endpoint: local.endpoints.dynamo,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return createOrg(
    { doc: DynamoDBDocumentClient.from(client), orgsTable: local.resources.orgsTable },
    { name: `soak ${new Date().toISOString()}` },
  );
}

async function post(body: string): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(`${values.api}/visits`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': browserUserAgent },
      body,
    });
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

function perPage(events: Map<string, string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pageUrl of events.values()) counts.set(pageUrl, (counts.get(pageUrl) ?? 0) + 1);
  return counts;
}

/** Polls GET /visits until the counts equal the expected (or every possible) ones, or stop changing for 20 s. */
async function settledCounts(
  readKey: string,
  since: number,
  expected: Map<string, number>,
  possible: Map<string, number>,
): Promise<Map<string, number>> {
  const key = (m: Map<string, number>) => JSON.stringify([...m].sort());
  let last = '';
  let lastChange = Date.now();
  for (;;) {
    const counts = await readCounts(readKey, since);
    if (key(counts) === key(expected) || key(counts) === key(possible)) return counts;
    if (key(counts) !== last) {
      last = key(counts);
      lastChange = Date.now();
    } else if (Date.now() - lastChange > 20_000) return counts;
    await sleep(500);
  }
}

async function readCounts(readKey: string, since: number): Promise<Map<string, number>> {
  const params = new URLSearchParams({
    aggregation: 'hour',
    dateFrom: new Date(since - 3600_000).toISOString(),
    dateTo: new Date(Date.now() + 3600_000).toISOString(),
  });
  const response = await fetch(`${values.api}/visits?${params}`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  const { data } = (await response.json()) as { data: Record<string, { visit_count: number }[]> };
  return new Map(
    Object.entries(data).map(([page, rows]) => [page, rows.reduce((n, r) => n + r.visit_count, 0)]),
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error) => {
  console.error(`soak: ${(error as Error).message}`);
  process.exit(1);
});
