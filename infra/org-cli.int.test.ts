/** `npm run org` as a person types it: help, mistakes, and every command, against DynamoDB Local. */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { documentItemCalls } from '../lambdas/core/runtime/aws.js';
import { createKeyResolver } from '../lambdas/core/store/key-resolver.js';
import { getOrg } from '../lambdas/core/store/orgs.js';
import { ensureTable } from '../local/resources.js';
import { abuseLimits } from '../lambdas/core/settings.js';

const orgsTable = `t${randomUUID().slice(0, 8)}-orgs`;
const env = {
  ...process.env,
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  ORGS_TABLE: orgsTable,
};
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);

function org(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/org-cli.ts', ...args], {
    env,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  await ensureTable(
    new DynamoDBClient({
      endpoint: inject('dynamoEndpoint'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    orgsTable,
  );
});

describe('help and mistakes', () => {
  it.each([['--help'], ['-h'], ['help']])('prints the usage for %s and succeeds', (flag) => {
    const result = org(flag);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run org -- <command>/);
    expect(result.stdout).toContain('add-domain --org <orgId> --domain <host>');
    expect(result.stderr).toBe('');
  });

  it('names a misspelt option and suggests the right one', () => {
    const result = org('create', '--nmae', 'Shop');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Unknown option --nmae: did you mean --name\?\n\nUsage:/);
    expect(result.stderr).not.toContain('ERR_PARSE_ARGS');
  });

  it('says that --kind write is wrong and what is accepted', () => {
    const result = org('add-key', '--org', 'x', '--kind', 'write');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^--kind must be site \(public, writes visits\) or read \(secret, reads counts\), not "write"/,
    );
  });

  it('asks for --yes before deleting', () => {
    const result = org('delete', '--org', 'x');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^delete removes org x and all its keys for good \(its counts stay\); add --yes to confirm/,
    );
  });

  it('says how to find an org id it does not know', () => {
    const result = org('rename', '--org', 'no-such-org', '--name', 'New');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'No org with id no-such-org; `npm run org -- list` shows the orgs and their ids.',
    );
  });
});

describe('managing an org', () => {
  it('creates an org and prints the tag to paste, with its site key', () => {
    const result = org('create', '--name', 'Shop', '--domain', 'shop.test');
    expect(result.status).toBe(0);
    const siteKey = /Site key: (pvs_\S+)/.exec(result.stdout)![1]!;
    expect(result.stdout).toContain(
      `Paste into your pages:\n  <script defer src="<TrackerUrl output>" data-key="${siteKey}" data-api="<BeaconUrl output>"></script>`,
    );
    expect(result.stdout).toMatch(
      /to test a page on localhost too: npm run org -- add-domain --org \S+ --domain localhost/,
    );
  });

  it('adds and removes a domain on the org and on its keys, renames it and deletes it', async () => {
    const created = JSON.parse(org('create', '--name', 'Blog', '--domain', 'blog.test', '--json').stdout) as {
      orgId: string;
      siteKey: string;
      snippet: string;
    };
    expect(created.snippet).toContain(`data-key="${created.siteKey}"`);
    const resolve = createKeyResolver({ items: documentItemCalls(doc), orgsTable }, { cacheMs: 0 });

    const added = org('add-domain', '--org', created.orgId, '--domain', 'localhost');
    expect(added.stdout).toMatch(/now counts pages on blog\.test, localhost/);
    expect((await resolve(created.siteKey))?.domains).toEqual(['blog.test', 'localhost']);

    const removed = org('remove-domain', '--org', created.orgId, '--domain', 'blog.test');
    expect(removed.status).toBe(0);
    expect((await resolve(created.siteKey))?.domains).toEqual(['localhost']);
    expect(org('remove-domain', '--org', created.orgId, '--domain', 'nope.test').stderr).toContain(
      `Org ${created.orgId} has no domain nope.test; its domains: localhost.`,
    );

    expect(org('rename', '--org', created.orgId, '--name', 'Journal').status).toBe(0);
    expect((await getOrg({ doc, orgsTable }, created.orgId))?.name).toBe('Journal');

    const deleted = org('delete', '--org', created.orgId, '--yes');
    expect(deleted.stdout).toContain(`Org ${created.orgId} and its 2 key(s) deleted`);
    expect(await getOrg({ doc, orgsTable }, created.orgId)).toBeUndefined();
    expect(await resolve(created.siteKey)).toBeUndefined();
    expect(org('list').stdout).not.toContain(created.orgId);
  });

  it("sets the org's daily limit on the org and its keys (the default until set), checked, and keys added later carry it", async () => {
    const created = JSON.parse(org('create', '--name', 'Limited', '--json').stdout) as {
      orgId: string;
      siteKey: string;
    };
    const resolve = createKeyResolver({ items: documentItemCalls(doc), orgsTable }, { cacheMs: 0 });
    expect((await resolve(created.siteKey))?.dailyLimit).toBe(abuseLimits.defaultDailyViews);

    for (const wrong of ['fifty', '1e3', '2.5']) {
      const result = org('set', '--org', created.orgId, '--daily-limit', wrong);
      expect(result.status, wrong).toBe(1);
      expect(result.stderr, wrong).toMatch(
        /--daily-limit must be a whole number of views, such as 50000; got/,
      );
    }
    expect(org('set', '--org', created.orgId, '--daily-limit', '0').stderr).toContain(
      'The daily limit must be a whole number of views from 1 to 1,000,000,000; got 0.',
    );

    const set = org('set', '--org', created.orgId, '--daily-limit', '50');
    expect(set.status).toBe(0);
    expect(set.stdout).toMatch(
      /^Org \S+ now accepts 50 views a day \(days of its time zone\); past them POST \/visits answers 429/,
    );
    expect((await resolve(created.siteKey))?.dailyLimit).toBe(50);
    expect((await getOrg({ doc, orgsTable }, created.orgId))?.dailyLimit).toBe(50);
    const site = JSON.parse(org('add-key', '--org', created.orgId, '--kind', 'site', '--json').stdout) as {
      key: string;
    };
    expect((await resolve(site.key))?.dailyLimit).toBe(50);
    expect(org('list').stdout).toMatch(
      new RegExp(
        `${created.orgId}  Limited  domains: any  time zone: UTC  daily limit: 50  retention: kept\n`,
      ),
    );
  });

  it("sets the org's time zone on the org and its keys (checked, UTC until set), and keys added later carry it", async () => {
    const created = JSON.parse(org('create', '--name', 'Berlin shop', '--json').stdout) as {
      orgId: string;
      siteKey: string;
    };
    const resolve = createKeyResolver({ items: documentItemCalls(doc), orgsTable }, { cacheMs: 0 });
    expect((await resolve(created.siteKey))?.timezone).toBe('UTC');

    const wrong = org('set', '--org', created.orgId, '--timezone', 'Europe/Berlln');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(
      '"Europe/Berlln" is not an IANA time zone name; use one such as Europe/Berlin, America/New_York, Asia/Kolkata or UTC.',
    );
    expect(org('set', '--org', created.orgId).stderr).toMatch(
      /^set needs --org <orgId> --timezone <IANA zone, such as Europe\/Berlin>/,
    );

    const set = JSON.parse(
      org('set', '--org', created.orgId, '--timezone', 'europe/berlin', '--json').stdout,
    ) as { timezone: string };
    expect(set.timezone).toBe('Europe/Berlin');
    expect((await resolve(created.siteKey))?.timezone).toBe('Europe/Berlin');
    expect((await getOrg({ doc, orgsTable }, created.orgId))?.timezone).toBe('Europe/Berlin');
    expect(org('set', '--org', created.orgId, '--timezone', 'Asia/Kolkata').stdout).toMatch(
      /now counts its days and months in Asia\/Kolkata .*Views counted before keep the days they were counted in\./,
    );

    const readKey = JSON.parse(org('add-key', '--org', created.orgId, '--kind', 'read', '--json').stdout) as {
      key: string;
    };
    expect((await resolve(readKey.key))?.timezone).toBe('Asia/Kolkata');
    expect(org('list').stdout).toContain(
      `${created.orgId}  Berlin shop  domains: any  time zone: Asia/Kolkata`,
    );
  });

  it('says that a revoked key keeps working until the key cache forgets it', () => {
    const created = JSON.parse(org('create', '--name', 'Docs', '--json').stdout) as { orgId: string };
    const keyId = /site (\S+)/.exec(org('list').stdout.split(created.orgId)[1]!)![1]!;
    const result = org('revoke-key', '--org', created.orgId, '--key', keyId);
    expect(result.stdout).toBe(
      `Key ${keyId} revoked. It may keep working for up to 60 s, until the API's key cache forgets it.\n`,
    );
  });
});

describe('share links', () => {
  it('makes a share key and prints a dashboard link that carries it only in the fragment', async () => {
    const created = JSON.parse(org('create', '--name', 'Shared', '--json').stdout) as { orgId: string };
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'infra/org-cli.ts', 'share', '--org', created.orgId],
      {
        env: { ...env, DASHBOARD_URL: 'https://dash.example.test/' },
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(0);
    const [, keyId, url] =
      /^New share key (\w+): anyone with this link sees org \S+ dashboard, read-only:\n {2}(\S+)\n/.exec(
        result.stdout,
      )!;
    const link = new URL(url!);
    expect(link.origin + link.pathname + link.search).toBe('https://dash.example.test/');
    const key = link.hash.replace(/^#share=/, '');
    expect(key).toMatch(/^pvh_[\w-]{43}$/);
    expect(result.stdout).toContain(
      `Stop it with: npm run org -- revoke-key --org ${created.orgId} --key ${keyId}`,
    );

    const resolve = createKeyResolver({ items: documentItemCalls(doc), orgsTable }, { cacheMs: 0 });
    expect(await resolve(key)).toMatchObject({ orgId: created.orgId, kind: 'share', revoked: false });
    expect(org('list').stdout.split(created.orgId)[1]).toContain(`share ${keyId}`);
    expect(org('revoke-key', '--org', created.orgId, '--key', keyId!).status).toBe(0);
    expect(await resolve(key)).toMatchObject({ kind: 'share', revoked: true });
  });

  it('prints the fragment to append when it cannot find the dashboard, and JSON with --json', () => {
    const created = JSON.parse(org('create', '--name', 'Shared too', '--json').stdout) as { orgId: string };
    const shared = JSON.parse(org('share', '--org', created.orgId, '--json').stdout) as {
      kind: string;
      key: string;
      keyId: string;
      url: string;
    };
    expect(shared.kind).toBe('share');
    expect(shared.url).toBe(`#share=${shared.key}`);
    const text = org('share', '--org', created.orgId);
    expect(text.stdout).toMatch(
      /^New share key \w+: .*\n {2}#share=pvh_\S+\nAppend it to your dashboard URL/,
    );
  });

  it('asks for the org', () => {
    const result = org('share');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^share needs --org <orgId>\n\nUsage:/);
  });
});
