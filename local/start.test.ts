/** `npm start` as a person runs it: it prints the URLs and keys, counts a visit, and Ctrl-C leaves nothing running. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { getVisits, postVisit, waitFor } from '../test/helpers.js';

let dataDir: string | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const javaProcessesUsing = (dir: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal') && line.includes(dir));

it('starts, prints the URLs and keys, counts a visit, and stops everything on Ctrl-C', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pageviews-start-'));
  const env = { ...process.env, PAGEVIEWS_DATA_DIR: dataDir, API_PORT: '0', SITE_PORT: '0', DASHBOARD_PORT: '0' };
  child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));

  await waitFor(async () => output.includes('Ctrl-C stops everything'), 90_000, 200);
  const apiUrl = /API\s+(http:\/\/\S+)\/visits/.exec(output)![1]!;
  const siteKey = /Site key\s+(pvs_\S+)/.exec(output)![1]!;
  const readKey = /Read key\s+(pvr_\S+)/.exec(output)![1]!;
  expect(output).toMatch(/Dashboard\s+http:\/\/localhost:\d+/);
  expect(output).toMatch(/Demo site\s+http:\/\/localhost:\d+/);
  expect(javaProcessesUsing(dataDir)).toHaveLength(1);

  expect((await postVisit(apiUrl, { key: siteKey, pageUrl: 'https://start.example/' })).status).toBe(202);
  await waitFor(async () => (await getVisits(apiUrl, readKey, { aggregation: 'day' })).body.data['https://start.example/']?.[0]?.visit_count === 1, 20_000);

  const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
  child.kill('SIGINT');

  expect(await exited).toBe(0);
  expect(output).toMatch(/SIGINT: counting what is still queued, then stopping\.\.\.\nStopped\./);
  expect(javaProcessesUsing(dataDir)).toEqual([]);
});
