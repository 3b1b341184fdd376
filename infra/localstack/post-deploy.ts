/**
 * The LocalStack target's post-deploy step (`npm run deploy:local` runs it after `cdklocal
 * deploy`): what the AWS target does with custom resources and BucketDeployments, done here
 * through the AWS SDK against LocalStack's endpoint, because LocalStack's free plan runs neither.
 *
 *   1. the demo org: created once, its keys kept in .localstack/demo-org.json for later deploys
 *      (skipped when the stack was deployed with -c siteKey=...);
 *   2. the site, with its site key and API URL filled in, and tracker.js, into the site bucket;
 *   3. the dashboard, with a config.json naming the API, into the dashboard bucket;
 *   4. objects a previous deploy left in either bucket are deleted (as BucketDeployment prunes);
 *   5. the URLs and keys, printed as `npm start` prints them.
 *
 *   tsx infra/localstack/post-deploy.ts [outputs file]   # default cdk.out/localstack-outputs.json
 *
 * LocalStack's URL comes from AWS_ENDPOINT_URL (default http://localhost:4566).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createOrg, getOrg, type OrgsDeps } from '../../lambdas/core/store/orgs.js';
import { stackName } from '../../lambdas/core/settings.js';
import { contentTypeOf } from '../../local/static-files.js';
import { sitePages } from '../../site/render.js';
import { repoRoot } from '../paths.js';
import { localstackOutputs } from './outputs.js';
import { sitePlaceholders, trackerPath, type WebAssets } from '../web-assets.js';

export const defaultLocalStackEndpoint = 'http://localhost:4566';
export const defaultOutputsFile = path.join(repoRoot, 'cdk.out', 'localstack-outputs.json');
export const defaultDemoOrgFile = path.join(repoRoot, '.localstack', 'demo-org.json');

/** The stack outputs this step reads; a test checks the synthesised LocalStack template has them. */
export const requiredOutputs = [
  'ApiUrl',
  'SiteUrl',
  'DashboardUrl',
  'TrackerUrl',
  'OrgsTableName',
  localstackOutputs.siteBucket,
  localstackOutputs.dashboardBucket,
] as const;

export class PostDeployError extends Error {
  override name = 'PostDeployError';
}

export interface PostDeployOptions {
  /** The stack's outputs, by output name (what `cdk deploy --outputs-file` writes for the stack). */
  outputs: Record<string, string>;
  /** The built site (with placeholders), dashboard and tracker. */
  web: WebAssets;
  /** LocalStack's endpoint: one URL for DynamoDB and S3. */
  endpoint: string;
  region?: string;
  /** Where the demo org's keys are kept between deploys. */
  demoOrgFile?: string;
}

export interface DemoOrgKeys {
  orgId?: string;
  siteKey: string;
  /** Absent when the stack was deployed with `-c siteKey=...`: that org's read key is its owner's. */
  readKey?: string;
}

export interface PostDeployResult {
  apiUrl: string;
  siteUrl: string;
  dashboardUrl: string;
  trackerUrl: string;
  demo: DemoOrgKeys;
  uploaded: { site: string[]; dashboard: string[] };
  deleted: { site: string[]; dashboard: string[] };
}

export async function postDeploy(options: PostDeployOptions): Promise<PostDeployResult> {
  const missing = requiredOutputs.filter((name) => !options.outputs[name]);
  if (missing.length > 0) {
    throw new PostDeployError(
      `The stack outputs lack ${missing.join(', ')}: deploy the LocalStack target first (npm run deploy:local writes them to ${path.relative(repoRoot, defaultOutputsFile)}).`,
    );
  }
  const out = options.outputs as Record<(typeof requiredOutputs)[number], string> & Record<string, string>;
  const clientConfig = {
    endpoint: options.endpoint,
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    // LocalStack accepts any credentials; real ones from the environment are used when set.
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
    },
  };
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig), {
    marshallOptions: { removeUndefinedValues: true },
  });
  // Path-style addressing: `http://localhost:4566/<bucket>/<key>` needs no DNS for bucket hosts.
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });

  const givenSiteKey = options.outputs[localstackOutputs.siteKey];
  const demo: DemoOrgKeys = givenSiteKey
    ? { siteKey: givenSiteKey }
    : await demoOrg(
        { doc, orgsTable: out.OrgsTableName },
        new URL(out.SiteUrl).hostname,
        options.demoOrgFile ?? defaultDemoOrgFile,
      );

  const siteFiles = siteObjects(options.web, {
    [sitePlaceholders.siteKey]: demo.siteKey,
    [sitePlaceholders.apiUrl]: out.ApiUrl,
  });
  const dashboardFiles = dashboardObjects(options.web.dashboardDir, out.ApiUrl);
  const site = await syncBucket(s3, out[localstackOutputs.siteBucket], siteFiles);
  const dashboard = await syncBucket(s3, out[localstackOutputs.dashboardBucket], dashboardFiles);

  return {
    apiUrl: out.ApiUrl,
    siteUrl: out.SiteUrl,
    dashboardUrl: out.DashboardUrl,
    trackerUrl: out.TrackerUrl,
    demo,
    uploaded: { site: site.uploaded, dashboard: dashboard.uploaded },
    deleted: { site: site.deleted, dashboard: dashboard.deleted },
  };
}

/** The demo org, as `npm start` keeps its own: made on the first deploy, reused while it exists. */
async function demoOrg(deps: OrgsDeps, siteHost: string, file: string): Promise<DemoOrgKeys> {
  const saved = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, DemoOrgKeys>)
    : {};
  const known = saved[deps.orgsTable];
  if (known?.orgId && (await getOrg(deps, known.orgId))) return known;
  const created = await createOrg(deps, { name: 'Demo site', domains: [siteHost] });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...saved, [deps.orgsTable]: created }, null, 2)}\n`, {
    mode: 0o600,
  });
  return created;
}

export interface S3Object {
  key: string;
  body: string | Buffer;
  contentType: string;
}

const textFile = /\.(html?|js|mjs|css|json|txt|svg|xml|webmanifest)$/i;

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

/**
 * The keys each site page is stored under, so an S3 website answers the paths the CloudFront
 * function and the local server map (site/render.ts pageForPath): `/pricing.html`, `/pricing`
 * and `/pricing/` all serve pricing.html. `/app/...` falls through to the bucket's error
 * document, the single-page app (website-hosting.ts).
 */
export function pageKeys(page: string): string[] {
  if (page === 'index.html') return [page];
  const name = page.replace(/\.html$/, '');
  return [page, name, `${name}/index.html`];
}

/** The site's objects: every built file with the deploy-time values put in, and tracker.js. */
export function siteObjects(web: WebAssets, values: Record<string, string>): S3Object[] {
  const objects: S3Object[] = [];
  for (const rel of listFiles(web.siteDir)) {
    const raw = readFileSync(path.join(web.siteDir, rel));
    let body: string | Buffer = raw;
    if (textFile.test(rel)) {
      let text = raw.toString('utf8');
      for (const [marker, value] of Object.entries(values)) text = text.split(marker).join(value);
      body = text;
    }
    const keys = sitePages.includes(rel) ? pageKeys(rel) : [rel];
    for (const key of keys) objects.push({ key, body, contentType: contentTypeOf(rel) });
  }
  objects.push({ key: trackerPath.slice(1), body: web.trackerCode, contentType: contentTypeOf(trackerPath) });
  return objects;
}

/** The dashboard's objects: its build, and the config.json that names its API. */
export function dashboardObjects(dashboardDir: string, apiUrl: string): S3Object[] {
  const objects: S3Object[] = listFiles(dashboardDir)
    .filter((rel) => rel !== 'config.json')
    .map((rel) => ({
      key: rel,
      body: readFileSync(path.join(dashboardDir, rel)),
      contentType: contentTypeOf(rel),
    }));
  objects.push({
    key: 'config.json',
    body: JSON.stringify({ apiUrl }),
    contentType: contentTypeOf('config.json'),
  });
  return objects;
}

/** Uploads the objects and deletes every other object in the bucket. */
async function syncBucket(
  s3: S3Client,
  bucket: string,
  objects: S3Object[],
): Promise<{ uploaded: string[]; deleted: string[] }> {
  for (const object of objects) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: object.key,
        Body: object.body,
        ContentType: object.contentType,
        // As on AWS: stable names, so browsers revalidate every few minutes.
        CacheControl: 'public, max-age=300',
      }),
    );
  }
  const wanted = new Set(objects.map((o) => o.key));
  const stale: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken }));
    for (const item of page.Contents ?? []) if (item.Key && !wanted.has(item.Key)) stale.push(item.Key);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  for (let i = 0; i < stale.length; i += 1000) {
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: stale.slice(i, i + 1000).map((Key) => ({ Key })) },
      }),
    );
  }
  return { uploaded: [...wanted], deleted: stale };
}

/** What `npm run deploy:local` prints at the end, laid out as `npm start` prints its stack. */
export function summary(result: PostDeployResult): string {
  const { demo } = result;
  const readKey = demo.readKey
    ? `  Read key    ${demo.readKey}    (secret: reads the counts)`
    : '  Read key    the owner of the -c siteKey org has it (or: npm run org -- add-key --org <orgId> --kind read --aws)';
  return `
  Dashboard   ${result.dashboardUrl}    (sign in with the read key below)
  Demo site   ${result.siteUrl}    (every page view is counted)
  API         ${result.apiUrl}/visits
${demo.orgId ? `\n  Demo org    ${demo.orgId}\n` : ''}  Site key    ${demo.siteKey}    (public: goes in the script tag)
${readKey}

  Tracker snippet:
  <script defer src="${result.trackerUrl}" data-key="${demo.siteKey}" data-api="${result.apiUrl}"></script>
`;
}

/** Reads the stack's outputs from the file `cdk deploy --outputs-file` wrote. */
export function readOutputsFile(file: string): Record<string, string> {
  if (!existsSync(file)) {
    throw new PostDeployError(
      `No outputs file at ${file}: run npm run deploy:local, whose cdklocal deploy writes it.`,
    );
  }
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>;
  const outputs = all[process.env.STACK_NAME ?? stackName];
  if (!outputs)
    throw new PostDeployError(
      `${file} has no outputs for the stack ${process.env.STACK_NAME ?? stackName} (it has: ${Object.keys(all).join(', ') || 'none'}).`,
    );
  return outputs;
}

async function main(argv: string[]): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const outputs = readOutputsFile(path.resolve(argv[0] ?? defaultOutputsFile));
  const endpoint = process.env.AWS_ENDPOINT_URL ?? defaultLocalStackEndpoint;
  console.log(`Post-deploy on LocalStack at ${endpoint}: demo org, site, dashboard...`);
  const { buildWebAssets } = await import('../web-assets.js');
  const web = await buildWebAssets();
  try {
    const result = await postDeploy({ outputs, web, endpoint });
    console.log(
      `Uploaded ${result.uploaded.site.length} site and ${result.uploaded.dashboard.length} dashboard objects.`,
    );
    console.log(summary(result));
  } finally {
    rmSync(web.siteDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof PostDeployError ? error.message : error);
    process.exit(1);
  });
}
