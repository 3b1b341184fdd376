/**
 * The LocalStack post-deploy step against the emulators standing in for LocalStack (one URL:
 * DynamoDB Local behind it for DynamoDB, fauxqs for S3), given the outputs of the synthesised
 * LocalStack stack. The API behind its ApiUrl is the local stack's, on the same tables. It ends
 * as an owner would: a visit on the deployed site's key, counted, read on the dashboard's API.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sitePages } from '../../site/render.js';
import type { LocalStack } from '../../local/stack.js';
import { getVisits, postVisit, startTestStack, waitFor } from '../../test/helpers.js';
import { type LocalStackStandIn, startLocalStackStandIn } from '../../test/localstack-standin.js';
import { synth } from '../test-support.js';
import { sitePlaceholders, testWebAssets, type WebAssets } from '../web-assets.js';
import { localstackOutputs } from './outputs.js';
import { type PostDeployResult, pageKeys, postDeploy, requiredOutputs, summary } from './post-deploy.js';

let standIn: LocalStackStandIn;
let stack: LocalStack;
let web: WebAssets & { root: string };
let s3: S3Client;
let templateOutputs: string[];
let outputs: Record<string, string>;
let demoOrgFile: string;
let first: PostDeployResult;
const buckets = {
  site: `site-${randomUUID().slice(0, 8)}`,
  dashboard: `dashboard-${randomUUID().slice(0, 8)}`,
};
const websiteUrl = (bucket: string) => `http://${bucket}.s3-website.localhost.localstack.cloud:4566`;

/** What LocalStack would answer for each output of the template, here from the emulators. */
function emulatedOutput(name: string): string {
  const values: Record<string, string> = {
    ApiUrl: stack.apiUrl,
    SiteUrl: websiteUrl(buckets.site),
    DashboardUrl: websiteUrl(buckets.dashboard),
    TrackerUrl: `${websiteUrl(buckets.site)}/tracker.js`,
    OrgsTableName: stack.resources.orgsTable,
    CountersTableName: stack.resources.countersTable,
    VisitsTableName: stack.resources.visitsTable,
    QueueUrl: stack.resources.queueUrl,
    DeadLetterQueueUrl: stack.resources.deadLetterQueueUrl,
    [localstackOutputs.siteBucket]: buckets.site,
    [localstackOutputs.dashboardBucket]: buckets.dashboard,
  };
  return values[name] ?? `(${name}: not read by the post-deploy step)`;
}

async function objectText(bucket: string, key: string): Promise<string> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return answer.Body!.transformToString();
}

async function keysOf(bucket: string): Promise<string[]> {
  return ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [])
    .map((o) => o.Key!)
    .sort();
}

beforeAll(async () => {
  const synthesised = await synth({ target: 'localstack' }, { bundle: false });
  templateOutputs = Object.keys(synthesised.template.toJSON().Outputs);
  synthesised.cleanup();

  standIn = await startLocalStackStandIn({
    dynamoEndpoint: inject('dynamoEndpoint'),
    sqsEndpoint: inject('sqsEndpoint'),
  });
  stack = await startTestStack();
  web = await testWebAssets();
  demoOrgFile = path.join(mkdtempSync(path.join(tmpdir(), 'pageviews-post-deploy-')), 'demo-org.json');
  s3 = new S3Client({
    endpoint: standIn.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  // CloudFormation made these on LocalStack; here they are made by hand, with a leftover object.
  for (const bucket of Object.values(buckets)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutObjectCommand({ Bucket: buckets.site, Key: 'old-page.html', Body: 'from an earlier deploy' }),
  );

  outputs = Object.fromEntries(templateOutputs.map((name) => [name, emulatedOutput(name)]));
  first = await postDeploy({ outputs, web, endpoint: standIn.endpoint, demoOrgFile });
});

afterAll(async () => {
  await stack?.stop();
  await standIn?.stop();
  if (web) rmSync(web.root, { recursive: true, force: true });
  if (demoOrgFile) rmSync(path.dirname(demoOrgFile), { recursive: true, force: true });
});

describe('the LocalStack post-deploy step', () => {
  it('reads only outputs the synthesised LocalStack stack has', () => {
    expect(templateOutputs).toEqual(expect.arrayContaining([...requiredOutputs]));
    // Without -c siteKey the stack names no site key: the step makes the demo org.
    expect(templateOutputs).not.toContain(localstackOutputs.siteKey);
  });

  it('went through the one LocalStack endpoint for DynamoDB and S3', () => {
    expect(standIn.requests.dynamodb).toBeGreaterThan(0);
    expect(standIn.requests.other).toBeGreaterThan(0);
  });

  it('uploads the site with the demo site key and the API URL put in, each page under the paths it is served at, and tracker.js', async () => {
    const keys = await keysOf(buckets.site);
    for (const page of sitePages) for (const key of pageKeys(page)) expect(keys).toContain(key);
    expect(keys).toEqual(
      expect.arrayContaining(['app', 'pricing', 'support/index.html', 'tracker.js', 'styles.css']),
    );
    expect(await objectText(buckets.site, 'tracker.js')).toBe(web.trackerCode);
    const home = await objectText(buckets.site, 'index.html');
    expect(home).toContain(`data-key="${first.demo.siteKey}"`);
    expect(home).toContain(`data-api="${stack.apiUrl}"`);
    for (const marker of Object.values(sitePlaceholders)) expect(home).not.toContain(marker);
    expect(await objectText(buckets.site, 'app')).toBe(await objectText(buckets.site, 'app.html'));
    const head = await s3.send(new GetObjectCommand({ Bucket: buckets.site, Key: 'pricing' }));
    expect(head.ContentType).toMatch(/^text\/html/);
  });

  it('deletes what an earlier deploy left in the bucket', async () => {
    expect(first.deleted.site).toEqual(['old-page.html']);
    expect(await keysOf(buckets.site)).not.toContain('old-page.html');
  });

  it('gives the dashboard a config.json whose API is the stack API', async () => {
    expect(JSON.parse(await objectText(buckets.dashboard, 'config.json'))).toEqual({ apiUrl: stack.apiUrl });
    expect(await keysOf(buckets.dashboard)).toEqual(['assets/index.js', 'config.json', 'index.html']);
  });

  it('prints the URLs and the demo keys the way npm start does', () => {
    const text = summary(first);
    expect(text).toContain(`Dashboard   ${websiteUrl(buckets.dashboard)}`);
    expect(text).toContain(`API         ${stack.apiUrl}/visits`);
    expect(text).toContain(`Site key    ${first.demo.siteKey}`);
    expect(text).toMatch(/Read key {4}pvr_\S+/);
    expect(text).toContain(
      `<script defer src="${websiteUrl(buckets.site)}/tracker.js" data-key="${first.demo.siteKey}" data-api="${stack.apiUrl}"></script>`,
    );
  });

  it('keeps the demo org across deploys instead of making a new one each time', async () => {
    const again = await postDeploy({ outputs, web, endpoint: standIn.endpoint, demoOrgFile });
    expect(again.demo).toEqual(first.demo);
    expect(again.deleted).toEqual({ site: [], dashboard: [] });
  });

  it('ends with a visit on the deployed site key counted and readable on the dashboard API URL', async () => {
    const siteKey = /data-key="(pvs_[^"]+)"/.exec(await objectText(buckets.site, 'index.html'))![1]!;
    const pageUrl = `${websiteUrl(buckets.site)}/pricing`;
    const sent = await postVisit(stack.apiUrl, { key: siteKey, pageUrl });
    expect(sent.status).toBe(202);
    const { apiUrl } = JSON.parse(await objectText(buckets.dashboard, 'config.json')) as { apiUrl: string };
    await waitFor(
      async () =>
        (await getVisits(apiUrl, first.demo.readKey, { aggregation: 'day' })).body.data?.[pageUrl]?.[0]
          ?.visit_count === 1,
      20_000,
    );
  });

  it('uses the site key the stack was deployed with (-c siteKey) and makes no demo org', async () => {
    const withKey = await postDeploy({
      outputs: { ...outputs, [localstackOutputs.siteKey]: 'pvs_given' },
      web,
      endpoint: standIn.endpoint,
      demoOrgFile,
    });
    expect(withKey.demo).toEqual({ siteKey: 'pvs_given' });
    expect(await objectText(buckets.site, 'index.html')).toContain('data-key="pvs_given"');
    expect(summary(withKey)).not.toContain('Demo org');
  });

  it('says which outputs are missing and how to get them', async () => {
    const { OrgsTableName: _dropped, ...partial } = outputs;
    await expect(
      postDeploy({ outputs: partial, web, endpoint: standIn.endpoint, demoOrgFile }),
    ).rejects.toThrow(
      /The stack outputs lack OrgsTableName: deploy the LocalStack target first \(npm run deploy:local/,
    );
  });
});
