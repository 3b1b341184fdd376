/**
 * `npm start -- --localstack [url]` as a person runs it, against the suite's emulators standing
 * in for LocalStack behind one URL (test/localstack-standin.ts): no emulator of its own starts,
 * the tables and queues live behind that URL, and a visit ends up counted and readable on the
 * API URL the dashboard is configured with.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getVisits, postVisit, waitFor } from '../test/helpers.js';
import { type LocalStackStandIn, startLocalStackStandIn } from '../test/localstack-standin.js';
import { freePort } from './emulators.js';
import { defaultLocalStackUrl, localStackEmulators, localStackFromArgs } from './localstack.js';

describe('the --localstack flag', () => {
  it.each([
    [['--localstack'], defaultLocalStackUrl],
    [['--localstack', 'http://127.0.0.1:4510/'], 'http://127.0.0.1:4510'],
    [['--localstack=http://localstack:4566'], 'http://localstack:4566'],
    [['--localstack', '--other'], defaultLocalStackUrl],
  ])('reads %j as %s', (argv, url) => {
    expect(localStackFromArgs(argv)).toEqual({ url });
  });

  it('is absent unless given', () => {
    expect(localStackFromArgs([])).toBeUndefined();
  });

  it('refuses what is not an http URL, saying what it takes', () => {
    expect(() => localStackFromArgs(['--localstack', 'localhost:4566'])).toThrow(
      '--localstack takes LocalStack\'s URL, such as http://localhost:4566; "localhost:4566" is not an http(s) URL.',
    );
  });

  it('says how to start LocalStack when nothing answers at the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await expect(localStackEmulators(url)).rejects.toThrow(
      `Nothing answers at ${url}: start LocalStack first (localstack start), or give its URL`,
    );
  });
});

describe('npm start -- --localstack', () => {
  let standIn: LocalStackStandIn;
  let dataDir: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    standIn = await startLocalStackStandIn({
      dynamoEndpoint: inject('dynamoEndpoint'),
      sqsEndpoint: inject('sqsEndpoint'),
    });
    dataDir = await mkdtemp(join(tmpdir(), 'pageviews-localstack-'));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await standIn?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('uses the endpoint for DynamoDB and SQS, starts no emulator, counts a visit readable on the dashboard API URL, and stops on Ctrl-C', async () => {
    const env = {
      ...process.env,
      PAGEVIEWS_DATA_DIR: dataDir,
      API_PORT: '0',
      SITE_PORT: '0',
      DASHBOARD_PORT: '0',
    };
    child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--localstack', standIn.endpoint], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));

    await waitFor(
      async () => output.includes('Ctrl-C stops everything') || child!.exitCode !== null,
      90_000,
      200,
    );
    expect(output).toContain(
      `Using LocalStack at ${standIn.endpoint} for DynamoDB and SQS; starting the API, the site and the dashboard...`,
    );
    const apiUrl = /API\s+(http:\/\/\S+)\/visits/.exec(output)![1]!;
    const dashboardUrl = /Dashboard\s+(http:\/\/\S+)/.exec(output)![1]!;
    const siteKey = /Site key\s+(pvs_\S+)/.exec(output)![1]!;
    const readKey = /Read key\s+(pvr_\S+)/.exec(output)![1]!;

    // No DynamoDB Local of its own: the tables are behind the LocalStack URL, and so is the queue.
    const java = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes('DynamoDBLocal') && line.includes(dataDir));
    expect(java).toEqual([]);
    const stackFile = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8'));
    // DynamoDB is LocalStack's; SQS too, behind the local stack's journal of accepted messages (local/durable-queue.ts).
    expect(stackFile.endpoints.dynamo).toBe(standIn.endpoint);
    expect(standIn.requests.dynamodb).toBeGreaterThan(0);
    const sqsBefore = standIn.requests.other;
    expect(sqsBefore).toBeGreaterThan(0);

    expect((await postVisit(apiUrl, { key: siteKey, pageUrl: 'https://localstack.example/' })).status).toBe(
      202,
    );
    const { apiUrl: dashboardApiUrl } = (await (await fetch(`${dashboardUrl}/config.json`)).json()) as {
      apiUrl: string;
    };
    expect(dashboardApiUrl).toBe(apiUrl);
    await waitFor(
      async () =>
        (await getVisits(dashboardApiUrl, readKey, { aggregation: 'day' })).body.data[
          'https://localstack.example/'
        ]?.[0]?.visit_count === 1,
      20_000,
    );
    expect(standIn.requests.other).toBeGreaterThan(sqsBefore);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child!.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toMatch(/Stopped\./);
  });
});
