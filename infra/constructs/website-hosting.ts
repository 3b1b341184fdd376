import type { RemovalPolicy } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { HostingOutputs } from './hosting.js';

export interface WebsiteHostingProps {
  readonly removalPolicy: RemovalPolicy;
  /** LocalStack's edge host and port, e.g. `localhost.localstack.cloud:4566`. */
  readonly localstackHost: string;
  /** The REST API's URL, which the dashboard (another origin) calls. */
  readonly apiUrl: string;
}

/**
 * What each website answers for a key it does not have. The dashboard is a single-page app, so
 * its index.html. The site's unknown paths go to its single-page app page, which reads the URL:
 * `/app/notes/3` shows that view and any other path its "Not found" view (an S3 website cannot
 * rewrite a path the way the CloudFront function does; the post-deploy step uploads each page
 * under the extensionless keys too, so `/pricing` and `/app` are served as they are on AWS).
 */
export const websiteErrorDocuments = { site: 'app.html', dashboard: 'index.html' } as const;

/**
 * Hosting for the LocalStack target: LocalStack's free plan has no CloudFront, so the site and
 * the dashboard are S3 static websites. Website endpoints are plain HTTP and anonymous by
 * design; this construct is only ever used with `-c target=localstack`. The buckets are filled
 * after the deploy by infra/localstack/post-deploy.ts, through the S3 API: BucketDeployment
 * needs a custom resource and a Lambda layer, which the free plan does not run.
 */
export class WebsiteHosting extends Construct implements HostingOutputs {
  readonly siteBucket: Bucket;
  readonly dashboardBucket: Bucket;
  readonly siteUrl: string;
  readonly dashboardUrl: string;
  readonly trackerUrl: string;
  readonly siteDomain = undefined;
  readonly dashboardApiUrl: string;
  /** The dashboard's origin (no path), for the query function's CORS answer. */
  readonly dashboardOrigin: string;

  constructor(scope: Construct, id: string, props: WebsiteHostingProps) {
    super(scope, id);
    const websiteBucket = (bucketId: string, errorDocument: string) =>
      new Bucket(this, bucketId, {
        websiteIndexDocument: 'index.html',
        websiteErrorDocument: errorDocument,
        publicReadAccess: true,
        blockPublicAccess: BlockPublicAccess.BLOCK_ACLS_ONLY,
        encryption: BucketEncryption.S3_MANAGED,
        removalPolicy: props.removalPolicy,
      });
    this.siteBucket = websiteBucket('SiteWebsite', websiteErrorDocuments.site);
    this.dashboardBucket = websiteBucket('DashboardWebsite', websiteErrorDocuments.dashboard);
    const websiteUrl = (bucket: Bucket) => `http://${bucket.bucketName}.s3-website.${props.localstackHost}`;
    this.siteUrl = websiteUrl(this.siteBucket);
    this.dashboardUrl = websiteUrl(this.dashboardBucket);
    this.dashboardOrigin = this.dashboardUrl;
    this.trackerUrl = `${this.siteUrl}/tracker.js`;
    this.dashboardApiUrl = props.apiUrl;
  }
}
