/** `npm start` keeps its counts in a data folder: a restarted stack still has them. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { getVisits, postVisit } from '../test/helpers.js';
import { freePort } from './emulators.js';
import { type LocalStack, startLocalStack } from './stack.js';

let dataDir: string | undefined;
let stack: LocalStack | undefined;
afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// The same emulator ports both times, like `npm start`: the handlers keep the environment they started with.
const emulatorPorts = { dynamo: await freePort(), sqs: await freePort() };
const startOnDisk = (dir: string) =>
  startLocalStack({
    dataDir: dir,
    emulatorPorts,
    ports: { api: 0, site: 0, dashboard: 0 },
    serveSite: false,
    serveDashboard: false,
    quiet: true,
  });

it('keeps the counts and the demo org across a stop and a restart', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pageviews-restart-'));
  stack = await startOnDisk(dataDir);
  const firstDemo = stack.demo;
  for (let i = 0; i < 7; i++) {
    expect(
      (await postVisit(stack.apiUrl, { key: firstDemo.siteKey, pageUrl: `https://restart.example/${i % 2}` }))
        .status,
    ).toBe(202);
  }
  // Stopping drains the queue first: visits accepted before Ctrl-C are counted, not dropped.
  await stack.stop();

  stack = await startOnDisk(dataDir);
  const { status, body } = await getVisits(stack.apiUrl, stack.demo.readKey, { aggregation: 'day' });

  expect(stack.demo).toEqual(firstDemo);
  expect(status).toBe(200);
  const totals = Object.fromEntries(
    Object.entries(body.data as Record<string, { visit_count: number }[]>).map(([page, rows]) => [
      page,
      rows.reduce((n, r) => n + r.visit_count, 0),
    ]),
  );
  expect(totals).toEqual({ 'https://restart.example/0': 4, 'https://restart.example/1': 3 });
});
