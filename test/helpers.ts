/** Shared test helpers: a local stack on the suite's emulators, and ways to post and read visits. */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect, inject } from 'vitest';
import type { ScriptedRow } from './scripted-visits.js';
import { browsers } from './user-agents.js';
import type { View } from '../lambdas/core/domain/visitor-day.js';
import { localDayOf, utc } from '../lambdas/core/domain/zones.js';
import { decodeViews, forEachVisitorDay } from '../lambdas/core/store/visitor-days.js';
import { writeStackFile } from '../local/data-dir.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../local/stack.js';

/** The run's DynamoDB Local and SQS emulator: test/global-setup.ts starts them for the integration project only. */
export function sharedEmulators(): { dynamoEndpoint: string; sqsEndpoint: string } {
  const [dynamoEndpoint, sqsEndpoint] = [inject('dynamoEndpoint'), inject('sqsEndpoint')];
  if (!dynamoEndpoint || !sqsEndpoint)
    throw new Error(
      'This test needs DynamoDB Local and the SQS emulator: name its file *.int.test.ts (or *.e2e.test.ts for Chromium) so that it runs in the integration project (vitest.config.ts).',
    );
  return { dynamoEndpoint, sqsEndpoint };
}

/** A local stack on the shared emulators, on free ports, with its own tables and queues. */
export function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({
    ports: { api: 0, site: 0, dashboard: 0 },
    emulators: sharedEmulators(),
    prefix: `t${randomUUID().slice(0, 8)}-`,
    serveSite: false,
    serveDashboard: false,
    quiet: true,
    ...options,
  });
}

/** A beacon as a browser sends it: a page view (POST /visits), or with `route` an event (POST /events). */
export async function postVisit(
  apiUrl: string,
  body: unknown,
  init: { headers?: Record<string, string>; raw?: string; route?: '/visits' | '/events' } = {},
) {
  const response = await fetch(`${apiUrl}${init.route ?? '/visits'}`, {
    method: 'POST',
    // A browser's User-Agent: Node's own ("node") is counted as a bot, not a page view.
    headers: { 'content-type': 'text/plain', 'user-agent': browsers.chromeWindows, ...init.headers },
    body: init.raw ?? JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined,
  };
}

export async function getVisits(
  apiUrl: string,
  readKey: string | undefined,
  params: Record<string, string>,
  route = '/visits',
) {
  const response = await fetch(`${apiUrl}${route}?${new URLSearchParams(params)}`, {
    headers: readKey ? { authorization: `Bearer ${readKey}` } : {},
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

/**
 * A local stack with a data folder of its own, as `npm start` keeps one (the archive, and the
 * stack file through which the org CLI finds the tables). `close()` stops it and removes the folder.
 */
export async function startStackInFolder(name: string) {
  const dataDir = await mkdtemp(join(tmpdir(), `${name}-`));
  const stack = await startTestStack({ dataDir });
  await writeStackFile(stack, dataDir);
  const close = async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { stack, dataDir, close };
}

/** A scripted page view or custom event, as the tests' independent computations see one. */
export interface ScriptedView extends ScriptedRow {
  name?: string;
  page: string;
}

/** A scripted view as it is posted: with the org's site key and its event id. */
export interface PostedView extends ScriptedView {
  key: string;
  eventId: string;
}

/** Posts a row as the tracker would (POST /visits, or /events for an event), which must be accepted. */
export async function postRow(apiUrl: string, row: PostedView, extra: Record<string, unknown> = {}) {
  const response = await postVisit(
    apiUrl,
    {
      key: row.key,
      pageUrl: row.page,
      identifier: row.visitor,
      visitedAt: new Date(row.time).toISOString(),
      eventId: row.eventId,
      ...extra,
      ...(row.type === 'event' ? { name: row.name } : {}),
    },
    { route: row.type === 'event' ? '/events' : '/visits' },
  );
  expect(response.status, JSON.stringify(response.body)).toBe(202);
}

/** A read route's answer for an org (the stack's demo org unless another read key is given), which must be a 200. */
export async function readAnswer(
  stack: LocalStack,
  route: string,
  params: Record<string, string>,
  readKey = stack.demo.readKey,
) {
  const { status, body } = await getVisits(stack.apiUrl, readKey, params, route);
  expect(status, JSON.stringify(body)).toBe(200);
  return body;
}

/** Every page counter of an org at one resolution, as `<bucket>#<page>` -> page views, read straight from DynamoDB. */
export async function readCounters(
  stack: LocalStack,
  orgId: string,
  resolution: 'minute' | 'hour' | 'day',
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const item of await scanAll(stack, stack.resources.countersTable)) {
    if (!(item.pk as string).startsWith(`${orgId}#page#${resolution}#`)) continue;
    const sk = item.sk as string;
    const bucket = sk.slice(0, sk.lastIndexOf('#'));
    for (const [name, value] of Object.entries(item)) {
      if (!name.startsWith('n.')) continue;
      const key = `${bucket}#${item[`@${name.slice(2)}`] as string}`;
      counts.set(key, (counts.get(key) ?? 0) + Number(value));
    }
  }
  return counts;
}

/** Views of an org kept in the Visits table (the exactly-once ledger): in visitor-days, or as records of their own past a visitor-day's cap. */
export async function countStoredViews(stack: LocalStack, orgId: string): Promise<number> {
  let count = 0;
  for (const item of await scanAll(stack, stack.resources.visitsTable)) {
    if (!(item.pk as string).startsWith(`${orgId}#`)) continue;
    // A past-the-cap record's sort key is 'event'; a visitor-day's is its visitor id.
    count += item.sk === 'event' ? 1 : decodeViews(item.pk.split('#')[1], item).length;
  }
  return count;
}

async function scanAll(stack: LocalStack, table: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.doc.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Polls `check` until it returns true or the timeout passes; returns the elapsed milliseconds. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return Date.now() - started;
}

/** The environment of an `npm start` under test: its data in `dataDir`, every port free (0). */
export function startEnv(dataDir: string): NodeJS.ProcessEnv {
  return { ...process.env, PAGEVIEWS_DATA_DIR: dataDir, API_PORT: '0', SITE_PORT: '0', DASHBOARD_PORT: '0' };
}

/** Every entry kept in the demo org's visitor-days of today (UTC): views, events with their properties, engagements. */
export async function storedViewsToday(stack: LocalStack): Promise<View[]> {
  const views: View[] = [];
  await forEachVisitorDay(
    { doc: stack.doc, visitsTable: stack.resources.visitsTable },
    stack.demo.orgId,
    [localDayOf(Date.now(), utc)],
    (day) => views.push(...day.views),
  );
  return views;
}

/**
 * `npm run org -- ... --local` against the stack whose data folder is `dataDir`, without blocking
 * this process (the stack under test runs in it).
 */
export function orgCli(
  dataDir: string,
  ...args: string[]
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/org-cli.ts', ...args, '--local'], {
      env: { ...process.env, PAGEVIEWS_DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
