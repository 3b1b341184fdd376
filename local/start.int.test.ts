/**
 * `npm start` as a person runs it: it prints the URLs and keys, listens on this machine only,
 * counts a visit, and Ctrl-C leaves nothing running.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { getVisits, postVisit, waitFor } from '../test/helpers.js';

let dataDir: string | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  if (child?.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const javaProcessesUsing = (dir: string) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('DynamoDBLocal') && line.includes(dir));

/** `address:port` of every TCP socket listening in the process group `pgid`, from `ss` (Linux). */
function listeningSockets(pgid: number): { process: string; address: string }[] {
  const pids = new Set(
    execFileSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' })
      .trim()
      .split('\n'),
  );
  return execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' })
    .split('\n')
    .flatMap((line) => {
      const owner = /users:\(\("([^"]+)",pid=(\d+)/.exec(line);
      return owner && pids.has(owner[2]!) ? [{ process: owner[1]!, address: line.split(/\s+/)[3]! }] : [];
    });
}

it('starts, prints the URLs and keys, counts a visit, and stops everything on Ctrl-C', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pageviews-start-'));
  const env = {
    ...process.env,
    PAGEVIEWS_DATA_DIR: dataDir,
    API_PORT: '0',
    SITE_PORT: '0',
    DASHBOARD_PORT: '0',
  };
  // Its own process group, as in a terminal, so that its processes can be found.
  child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));

  await waitFor(async () => output.includes('Ctrl-C stops everything'), 90_000, 200);
  const apiUrl = /API\s+(http:\/\/\S+)\/visits/.exec(output)![1]!;
  const siteKey = /Site key\s+(pvs_\S+)/.exec(output)![1]!;
  const readKey = /Read key\s+(pvr_\S+)/.exec(output)![1]!;
  expect(output).toMatch(/Dashboard\s+http:\/\/localhost:\d+/);
  expect(output).toMatch(/Demo site\s+http:\/\/localhost:\d+/);
  expect(output).toContain(`Data folder ${dataDir}`);
  expect(javaProcessesUsing(dataDir)).toHaveLength(1);

  // API, site, dashboard, the queue journal's proxy, the SQS emulator and DynamoDB Local: all on loopback.
  const sockets = listeningSockets(child.pid!);
  expect(sockets.filter((s) => s.process === 'java')).toHaveLength(1);
  expect(sockets.length).toBeGreaterThanOrEqual(6);
  expect(sockets.filter((s) => !/^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):\d+$/.test(s.address))).toEqual([]);

  // A second stack on the same folder is refused before it starts a second DynamoDB Local.
  const second = spawnSync(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env,
    encoding: 'utf8',
  });
  expect(second.status).toBe(1);
  expect(second.stderr).toContain(
    `Another local stack (process ${child.pid}) is using the data folder ${dataDir}: stop it first`,
  );
  // A port clash is one sentence, not a stack trace.
  const apiPort = new URL(apiUrl).port;
  const clash = spawnSync(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env: { ...env, PAGEVIEWS_DATA_DIR: join(dataDir, 'other'), API_PORT: apiPort },
    encoding: 'utf8',
  });
  expect(clash.status).toBe(1);
  expect(clash.stderr.trim()).toBe(
    `Port ${apiPort} is in use: stop what runs there, or is another npm start still running?`,
  );
  expect(javaProcessesUsing(dataDir)).toHaveLength(1);

  expect((await postVisit(apiUrl, { key: siteKey, pageUrl: 'https://start.example/' })).status).toBe(202);
  await waitFor(
    async () =>
      (await getVisits(apiUrl, readKey, { aggregation: 'day' })).body.data['https://start.example/']?.[0]
        ?.visit_count === 1,
    20_000,
  );

  const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
  child.kill('SIGINT');

  expect(await exited).toBe(0);
  expect(output).toMatch(/SIGINT: counting what is still queued, then stopping\.\.\.\nStopped\./);
  expect(javaProcessesUsing(dataDir)).toEqual([]);

  // The stack.json left behind names ports nothing listens on: say so, not ECONNREFUSED.
  const org = spawnSync(process.execPath, ['--import', 'tsx', 'infra/org-cli.ts', 'list'], {
    env: orgEnv(dataDir),
    encoding: 'utf8',
  });
  expect(org.status).toBe(1);
  expect(org.stderr).toContain(
    `The local stack is not running (data folder ${dataDir}): start it with \`npm start\``,
  );
  expect(org.stderr).not.toContain('ECONNREFUSED');
}, 240_000);

/** The environment of a person with no AWS settings, so that `npm run org` looks for the local stack. */
function orgEnv(dataDir: string) {
  const env: Record<string, string | undefined> = { ...process.env, PAGEVIEWS_DATA_DIR: dataDir };
  for (const name of Object.keys(env))
    if (name.startsWith('AWS_') && name !== 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED')
      delete env[name];
  return env;
}
