import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Duration, IgnoreMode, Lazy, Stack } from 'aws-cdk-lib';
import type { CfnPolicy, Policy } from 'aws-cdk-lib/aws-iam';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { sitePlaceholders, type WebAssets } from '../web-assets.js';

/** Where the content goes: either target's hosting provides this. */
export interface ContentTarget {
  readonly siteBucket: IBucket;
  readonly dashboardBucket: IBucket;
  /** Invalidated after each deployment (AWS target). */
  readonly siteDistribution?: IDistribution;
  readonly dashboardDistribution?: IDistribution;
}

export interface ContentProps {
  readonly hosting: ContentTarget;
  readonly web: WebAssets;
  /** Values that exist only once the stack is deployed; they may be CloudFormation references. */
  readonly siteKey: string;
  /** The API URL the tracker posts to (the API's own endpoint, so it sees the visitor's IP). */
  readonly trackerApiUrl: string;
  /** The API URL the dashboard calls, written to its runtime config.json. */
  readonly dashboardApiUrl: string;
}

const textFile = /\.(html?|js|mjs|css|json|txt|svg|xml|webmanifest)$/i;

/**
 * Content promises: the site with tracker.js, and the dashboard with its config.json, each deployed
 * by one BucketDeployment (one per bucket, so pruning never deletes the other's files). Values
 * that only exist after deployment (site key, API URL) are never typed in: the site is built
 * with placeholders and `Source.data` puts the stack's values in at deploy time.
 */
export class Content extends Construct {
  readonly siteDeployment: BucketDeployment;
  readonly dashboardDeployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: ContentProps) {
    super(scope, id);
    const { hosting, web } = props;
    const values: Record<string, string> = {
      [sitePlaceholders.siteKey]: props.siteKey,
      [sitePlaceholders.apiUrl]: props.trackerApiUrl,
    };

    this.siteDeployment = new BucketDeployment(this, 'Site', {
      destinationBucket: hosting.siteBucket,
      sources: [...siteSources(web.siteDir, values), Source.data('tracker.js', web.trackerCode)],
      // Pages and tracker.js have stable names: browsers revalidate every few minutes.
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.minutes(5))],
      distribution: hosting.siteDistribution,
      distributionPaths: hosting.siteDistribution ? ['/*'] : undefined,
      memoryLimit: 512,
    });

    this.dashboardDeployment = new BucketDeployment(this, 'Dashboard', {
      destinationBucket: hosting.dashboardBucket,
      sources: [
        Source.asset(web.dashboardDir, { exclude: ['config.json'] }),
        // One build serves every environment: the API URL comes from this runtime file.
        Source.jsonData('config.json', { apiUrl: props.dashboardApiUrl }),
      ],
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.minutes(5))],
      distribution: hosting.dashboardDistribution,
      distributionPaths: hosting.dashboardDistribution ? ['/*'] : undefined,
      memoryLimit: 512,
    });

    const distributions = [hosting.siteDistribution, hosting.dashboardDistribution].filter(
      (d): d is IDistribution => d !== undefined,
    );
    if (distributions.length > 0) scopeInvalidations(this.siteDeployment, distributions);
  }
}

/**
 * BucketDeployment lets its handler invalidate any distribution (`Resource: *`), though
 * CloudFront's CreateInvalidation and GetInvalidation take a distribution ARN. Its construct
 * offers no way to say which, so the handler role's policy is rewritten at synth: those two
 * actions on these distributions only. (The handler is one function for both deployments.)
 */
function scopeInvalidations(deployment: BucketDeployment, distributions: IDistribution[]): void {
  const policy = deployment.handlerRole.node.tryFindChild('DefaultPolicy') as Policy | undefined;
  if (!policy) return;
  const stack = Stack.of(deployment);
  const arns = distributions.map((d) =>
    stack.formatArn({
      service: 'cloudfront',
      region: '',
      resource: 'distribution',
      resourceName: d.distributionId,
    }),
  );
  (policy.node.defaultChild as CfnPolicy).addPropertyOverride(
    'PolicyDocument',
    Lazy.any({
      produce: () => {
        const document = stack.resolve(policy.document) as {
          Statement: { Action: unknown; Resource: unknown }[];
        };
        for (const statement of document.Statement)
          if ([statement.Action].flat().includes('cloudfront:CreateInvalidation'))
            statement.Resource = stack.resolve(arns);
        return document;
      },
    }),
  );
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

/** Text files that carry a placeholder become `Source.data` with the values; the rest one asset. */
function siteSources(siteDir: string, values: Record<string, string>): ISource[] {
  const sources: ISource[] = [];
  const replaced: string[] = [];
  const files = listFiles(siteDir);
  for (const rel of files) {
    if (!textFile.test(rel)) continue;
    const text = readFileSync(path.join(siteDir, rel), 'utf8');
    if (!Object.keys(values).some((marker) => text.includes(marker))) continue;
    let out = text;
    for (const [marker, value] of Object.entries(values)) out = out.split(marker).join(value);
    sources.push(Source.data(rel, out));
    replaced.push(rel);
  }
  if (replaced.length < files.length) {
    // Git-style patterns anchored at the root: a glob `index.html` would also match `a/index.html`.
    sources.push(
      Source.asset(siteDir, { ignoreMode: IgnoreMode.GIT, exclude: replaced.map((rel) => `/${rel}`) }),
    );
  }
  return sources;
}
