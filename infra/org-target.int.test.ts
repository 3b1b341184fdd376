/**
 * How `npm run org` picks its target, run as an owner runs it: a child process whose AWS
 * credentials and region are only in profile files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE
 * pointing at temporary files, no other AWS variable), with a leftover stack.json of a local
 * stack beside it. The profile's endpoint_url points "AWS" at DynamoDB Local, in another table
 * than the local stack's, so each answer shows which target was used.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrg } from '../lambdas/core/store/orgs.js';
import { ensureTable } from '../local/resources.js';
import { repoRoot } from './paths.js';

const id = randomUUID().slice(0, 8);
const tables = { aws: `org-target-aws-${id}`, local: `org-target-local-${id}` };
let dir: string;
let dataDir: string;
let emptyDataDir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run org -- <args>` with AWS configuration only from the temporary profile files. */
function org(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('AWS_') && name !== 'ORGS_TABLE' && name !== 'STACK_NAME',
    ),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/org-cli.ts', ...args], {
    cwd: repoRoot,
    env: {
      ...clean,
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      PAGEVIEWS_DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  const endpoint = inject('dynamoEndpoint');
  const dynamo = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  const doc = DynamoDBDocumentClient.from(dynamo);
  for (const table of Object.values(tables)) await ensureTable(dynamo, table);
  await createOrg({ doc, orgsTable: tables.aws }, { name: 'Org on AWS' });
  await createOrg({ doc, orgsTable: tables.local }, { name: 'Org on the local stack' });

  dir = mkdtempSync(path.join(tmpdir(), 'pageviews-org-target-'));
  writeFileSync(
    path.join(dir, 'config'),
    [
      '[default]',
      'region = eu-west-3',
      `endpoint_url = ${endpoint}`,
      '',
      '[profile owner]',
      'region = ap-southeast-2',
      `endpoint_url = ${endpoint}`,
      '',
      '[profile noregion]',
      `endpoint_url = ${endpoint}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'credentials'),
    [
      '[default]',
      'aws_access_key_id = AKIDDEFAULT',
      'aws_secret_access_key = secret',
      '',
      '[owner]',
      'aws_access_key_id = AKIDOWNER',
      'aws_secret_access_key = secret',
      '',
      '[noregion]',
      'aws_access_key_id = AKIDNOREGION',
      'aws_secret_access_key = secret',
      '',
    ].join('\n'),
  );
  // What a running `npm start` keeps: a stack.json naming the local stack's table, and its lock
  // (here held by this test's own process, which is alive).
  dataDir = path.join(dir, 'local-data');
  emptyDataDir = path.join(dir, 'no-local-stack');
  mkdirSync(dataDir);
  mkdirSync(emptyDataDir);
  writeFileSync(
    path.join(dataDir, 'stack.json'),
    JSON.stringify({
      endpoints: { dynamo: endpoint, sqs: 'http://127.0.0.1:9' },
      resources: {
        orgsTable: tables.local,
        countersTable: 'c',
        visitsTable: 'v',
        queueUrl: 'q',
        deadLetterQueueUrl: 'd',
      },
    }),
  );
  writeFileSync(
    path.join(dataDir, 'stack.lock'),
    JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }),
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const firstLine = (text: string) => text.split('\n')[0];

describe('npm run org picks its target', () => {
  it('tries AWS with --aws, credentials and region from the profile files, though a local stack.json is there', async () => {
    const run = await org(['list', '--aws'], { ORGS_TABLE: tables.aws });
    // Without credentials the SDK would fail with "Could not load credentials from any providers".
    expect(run.code).toBe(0);
    expect(firstLine(run.stderr)).toBe(
      `Target: AWS (region eu-west-3, profile default, table ${tables.aws} from ORGS_TABLE): asked for with --aws.`,
    );
    expect(run.stdout).toContain('Org on AWS');
    expect(run.stdout).not.toContain('Org on the local stack');
  });

  it('says which target on its first line, on stderr, so --json prints exactly one JSON object', async () => {
    const run = await org(['list', '--aws', '--json'], { ORGS_TABLE: tables.aws });
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([
      `Target: AWS (region eu-west-3, profile default, table ${tables.aws} from ORGS_TABLE): asked for with --aws.`,
    ]);
    expect(JSON.parse(run.stdout).map((o: { name: string }) => o.name)).toEqual(['Org on AWS']);
  });

  it('uses the profile and region asked for', async () => {
    const withProfile = await org(['list', '--profile', 'owner', '--json'], { ORGS_TABLE: tables.aws });
    expect(firstLine(withProfile.stderr)).toBe(
      `Target: AWS (region ap-southeast-2, profile owner, table ${tables.aws} from ORGS_TABLE): asked for with --profile.`,
    );
    const withRegion = await org(['list', '--aws', '--region', 'us-west-2', '--json'], {
      ORGS_TABLE: tables.aws,
    });
    expect(firstLine(withRegion.stderr)).toContain('AWS (region us-west-2, profile default,');
    expect(withRegion.code).toBe(0);
  });

  it('defaults to the running local stack', async () => {
    const run = await org(['list'], { ORGS_TABLE: tables.aws });
    expect(run.code).toBe(0);
    expect(firstLine(run.stderr)).toMatch(
      new RegExp(
        `^Target: local stack \\(DynamoDB at http://127\\.0\\.0\\.1:\\d+, table ${tables.local}\\): the running local stack; --aws for a deployed one\\.$`,
      ),
    );
    expect(run.stdout).toContain('Org on the local stack');
  });

  it('defaults to AWS through the default credential chain when no local stack runs', async () => {
    const run = await org(['list'], { ORGS_TABLE: tables.aws, PAGEVIEWS_DATA_DIR: emptyDataDir });
    expect(run.code).toBe(0);
    expect(firstLine(run.stderr)).toBe(
      `Target: AWS (region eu-west-3, profile default, table ${tables.aws} from ORGS_TABLE): no local stack is running.`,
    );
    expect(run.stdout).toContain('Org on AWS');
  });

  it('names the target in its errors', async () => {
    const missingTable = await org(['list', '--aws'], { ORGS_TABLE: `no-such-table-${id}` });
    expect(missingTable.code).toBe(1);
    expect(missingTable.stderr).toMatch(
      /^org: AWS \(region eu-west-3, profile default\): .*non-existent table/m,
    );

    const noRegion = await org(['list', '--profile', 'noregion'], { ORGS_TABLE: tables.aws });
    expect(noRegion.code).toBe(1);
    expect(noRegion.stderr).toContain(
      'AWS (profile noregion) has no region: pass --region <region>, or set one for the profile (aws configure).',
    );

    const noLocal = await org(['list', '--local'], { PAGEVIEWS_DATA_DIR: emptyDataDir });
    expect(noLocal.code).toBe(1);
    expect(noLocal.stderr).toContain(
      `No local stack is running (no ${emptyDataDir}/stack.json): start one with npm start, or manage AWS with --aws.`,
    );

    const both = await org(['list', '--local', '--region', 'eu-west-1']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--local cannot go with --region: choose the local stack or AWS.');
  });
});
