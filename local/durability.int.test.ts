/**
 * `npm start` stopped the hard ways, mid-burst: kill -9 of its whole process group, and the
 * SIGHUP of a closed terminal. After the next start every visit answered 202 is counted exactly
 * once, and no emulator outlives its stack.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { getVisits, waitFor } from '../test/helpers.js';
import { approximateCount } from './sqs-poller.js';

const BROWSER =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
const started: ChildProcess[] = [];
const dataDirs: string[] = [];
afterAll(async () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGKILL');
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Processes still in the group (`npm start` and everything it started). */
const groupMembers = (child: ChildProcess) => {
  try {
    return execFileSync('pgrep', ['-g', String(child.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
};
const javaUsing = (dir: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('DynamoDBLocal') && l.includes(dir));

/** `npm start` in its own process group, as a terminal runs it, on free ports. */
async function npmStart(dataDir: string) {
  const env = {
    ...process.env,
    PAGEVIEWS_DATA_DIR: dataDir,
    API_PORT: '0',
    SITE_PORT: '0',
    DASHBOARD_PORT: '0',
  };
  const child = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await waitFor(
    async () => output.includes('Ctrl-C stops everything') || child.exitCode !== null,
    120_000,
    200,
  );
  if (!output.includes('Ctrl-C stops everything')) throw new Error(`npm start failed:\n${output}`);
  return {
    child,
    output: () => output,
    apiUrl: /API\s+(http:\/\/\S+)\/visits/.exec(output)![1]!,
    siteKey: /Site key\s+(pvs_\S+)/.exec(output)![1]!,
    readKey: /Read key\s+(pvr_\S+)/.exec(output)![1]!,
  };
}

/**
 * Posts `total` visits, each to its own page, 16 at a time, and stops the stack with `signal`
 * once `killAfter` have been answered 202. Returns the pages answered 202 and every page tried.
 */
async function burstThenKill(
  stack: Awaited<ReturnType<typeof npmStart>>,
  total: number,
  killAfter: number,
  signal: NodeJS.Signals,
) {
  const accepted: string[] = [];
  const tried: string[] = [];
  let next = 0;
  let killed = false;
  const run = `https://burst-${randomUUID().slice(0, 8)}.example`;
  async function worker() {
    while (next < total) {
      const page = `${run}/p${next++}`;
      tried.push(page);
      try {
        const response = await fetch(`${stack.apiUrl}/visits`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain', 'user-agent': BROWSER },
          body: JSON.stringify({ key: stack.siteKey, pageUrl: page, eventId: randomUUID() }),
        });
        if (response.status === 202) accepted.push(page);
      } catch {
        // refused or cut off by the stop: not answered 202, so not owed
      }
      if (!killed && accepted.length >= killAfter) {
        killed = true;
        killGroup(stack.child, signal);
      }
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker));
  return { accepted, tried };
}

async function dayCounts(apiUrl: string, readKey: string): Promise<Map<string, number>> {
  const { status, body } = await getVisits(apiUrl, readKey, { aggregation: 'day' });
  expect(status).toBe(200);
  return new Map(
    Object.entries(body.data as Record<string, { visit_count: number }[]>).map(([page, rows]) => [
      page,
      rows.reduce((n, r) => n + r.visit_count, 0),
    ]),
  );
}

async function queueIsEmpty(dataDir: string): Promise<boolean> {
  const file = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8'));
  const sqs = new SQSClient({
    endpoint: file.endpoints.sqs,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return (await approximateCount(sqs, file.resources.queueUrl, true)) === 0;
}

describe.each([
  { signal: 'SIGKILL' as const, how: 'kill -9 of the whole process group' },
  { signal: 'SIGHUP' as const, how: 'a closed terminal (SIGHUP)' },
])('after $how mid-burst', ({ signal }) => {
  it('counts every visit answered 202 exactly once, and leaves no process behind', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pageviews-durable-'));
    dataDirs.push(dataDir);
    const first = await npmStart(dataDir);

    const { accepted, tried } = await burstThenKill(first, 1500, 400, signal);
    await waitFor(async () => groupMembers(first.child).length === 0, 60_000, 200);

    expect(javaUsing(dataDir)).toEqual([]);
    expect(accepted.length).toBeGreaterThanOrEqual(400);

    const second = await npmStart(dataDir);
    const acceptedSet = new Set(accepted);
    await waitFor(
      async () => {
        const counts = await dayCounts(second.apiUrl, second.readKey);
        return accepted.every((page) => counts.has(page));
      },
      90_000,
      500,
    );
    await waitFor(() => queueIsEmpty(dataDir), 60_000, 200);
    const counts = await dayCounts(second.apiUrl, second.readKey);

    expect(accepted.filter((page) => counts.get(page) !== 1)).toEqual([]);
    // A request cut off by the stop may or may not have been counted, but never twice.
    expect(tried.filter((page) => !acceptedSet.has(page) && (counts.get(page) ?? 0) > 1)).toEqual([]);

    killGroup(second.child, 'SIGINT');
    await waitFor(async () => groupMembers(second.child).length === 0, 60_000, 200);
    expect(javaUsing(dataDir)).toEqual([]);
  }, 300_000);
});
