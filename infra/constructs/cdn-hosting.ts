import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CacheQueryStringBehavior,
  Distribution,
  Function as CfFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  Signing,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketAccessControl,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { sitePages } from '../../site/render.js';
import type { CustomDomains, HostingOutputs } from './hosting.js';
import { accountUniqueName } from './names.js';
import { RateLimitWaf } from './waf.js';

export interface CdnHostingProps {
  /** The API's host name (`{id}.execute-api.{region}.amazonaws.com`), the `/api/*` origin. */
  readonly apiDomainName: string;
  /** Where the site's tracker posts beacons (the ingest function URL): its CSP connect-src. */
  readonly beaconUrl: string;
  readonly removalPolicy: RemovalPolicy;
  /** With custom domains the viewer TLS policy is TLSv1.2_2021; see the CFR4 acknowledgement. */
  readonly customDomains?: CustomDomains;
  /** `'sha256-…'` of the inline scripts of each build (infra/csp.ts), allowed by its CSP. */
  readonly siteScriptHashes: string[];
  readonly dashboardScriptHashes: string[];
  /** A WAF web ACL with a rate rule per IP on both distributions (infra/constructs/waf.ts). */
  readonly waf?: boolean;
}

/**
 * The CloudFront Function on `/api/*`: CloudFront passes the path through unchanged, and the API's
 * routes are `/visits`, so it strips the `/api` prefix. One route table serves the dashboard
 * (same-origin through CloudFront) and beacons (straight to the API).
 */
export const stripApiPrefixCode = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.replace(/^\\/api(?=\\/|$)/, '') || '/';
  return request;
}`;

/**
 * The site's path mapping on CloudFront, the same as site/render.ts `pageForPath` (which the local
 * server uses): `/` the home page, `/pricing` or `/pricing.html` that page, `/app` and every
 * `/app/...` path the single-page app. Other paths (styles.css, tracker.js) pass unchanged.
 * The page list is the site's own `sitePages`, not a copy.
 */
export function sitePathRewriteCode(pages: readonly string[]): string {
  return `var pages = ${JSON.stringify(pages)};
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/app' || uri.indexOf('/app/') === 0) {
    request.uri = '/app.html';
    return request;
  }
  var name = uri.replace(/^\\/+|\\/+$/g, '') || 'index';
  var file = name.slice(-5) === '.html' ? name : name + '.html';
  if (pages.indexOf(file) !== -1) request.uri = '/' + file;
  return request;
}`;
}

/**
 * Hosting promises (AWS target): the site (with tracker.js) and the dashboard each in a private
 * S3 bucket (all public access blocked, TLS enforced, server access logs), each behind a
 * CloudFront distribution that reads it through origin access control, redirects HTTP to HTTPS,
 * adds a security-headers policy (HSTS, CSP, nosniff, frame-deny, referrer policy), and routes
 * `/api/*` to the HTTP API, so the dashboard calls its API same-origin. Two distributions rather
 * than one with path prefixes, because the dashboard is a Vite build that expects to be at `/`.
 */
export class CdnHosting extends Construct implements HostingOutputs {
  readonly logBucket: Bucket;
  readonly siteBucket: Bucket;
  readonly dashboardBucket: Bucket;
  readonly siteDistribution: Distribution;
  readonly dashboardDistribution: Distribution;
  readonly siteUrl: string;
  readonly dashboardUrl: string;
  readonly trackerUrl: string;
  readonly siteDomain: string;
  readonly dashboardApiUrl = '/api';
  readonly waf?: RateLimitWaf;

  constructor(scope: Construct, id: string, props: CdnHostingProps) {
    super(scope, id);
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;

    // CloudFront standard logs are delivered with ACLs, hence OBJECT_WRITER on this bucket only.
    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      accessControl: BucketAccessControl.LOG_DELIVERY_WRITE,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    });
    const contentBucket = (bucketId: string) =>
      new Bucket(this, bucketId, {
        blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
        encryption: BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
        serverAccessLogsBucket: this.logBucket,
        serverAccessLogsPrefix: `s3/${bucketId.toLowerCase()}/`,
        removalPolicy: props.removalPolicy,
        autoDeleteObjects: destroy,
      });
    this.siteBucket = contentBucket('SiteBucket');
    this.dashboardBucket = contentBucket('DashboardBucket');

    const apiOrigin = new HttpOrigin(props.apiDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    // Nothing is cached unless the query handler says so (Cache-Control on ranges wholly in the
    // past); then the key headers are part of the cache key, so one org never sees another's answer.
    // Listing `authorization` here is also what makes CloudFront forward it on GET at all (an
    // origin request policy cannot), and the dashboard sends its read key as a Bearer token.
    const apiCache = new CachePolicy(this, 'ApiCachePolicy', {
      cachePolicyName: accountUniqueName(this, 'api-cache', 128),
      comment: 'GET /visits: honour the origin Cache-Control, keyed by the read key and query',
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(1),
      headerBehavior: CacheHeaderBehavior.allowList('authorization', 'x-api-key'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const stripApiPrefix = new CfFunction(this, 'StripApiPrefix', {
      functionName: accountUniqueName(this, 'strip-api', 64),
      code: FunctionCode.fromInline(stripApiPrefixCode),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Maps /api/visits to the API route /visits',
    });
    const apiBehavior = (headers: ResponseHeadersPolicy): BehaviorOptions => ({
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: apiCache,
      // The HTTP API routes on its own Host header; everything else the viewer sent goes through.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
      functionAssociations: [{ function: stripApiPrefix, eventType: FunctionEventType.VIEWER_REQUEST }],
    });

    const certificate = props.customDomains
      ? Certificate.fromCertificateArn(this, 'Certificate', props.customDomains.certificateArn)
      : undefined;
    const tls = (domain: string | undefined) =>
      certificate && domain
        ? { certificate, domainNames: [domain], minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {};

    // The site's tracker posts straight to the ingest function URL (so the function sees the
    // visitor's address, which the daily visitor hash needs), hence that origin in its connect-src.
    const siteHeaders = securityHeaders(this, 'SiteHeaders', 'site-headers', {
      scriptSrc: ["'self'", ...props.siteScriptHashes],
      connectSrc: ["'self'", props.beaconUrl],
    });
    const dashboardHeaders = securityHeaders(this, 'DashboardHeaders', 'dashboard-headers', {
      scriptSrc: ["'self'", ...props.dashboardScriptHashes],
      connectSrc: ["'self'"],
    });

    const sitePaths = new CfFunction(this, 'SitePaths', {
      functionName: accountUniqueName(this, 'site-paths', 64),
      code: FunctionCode.fromInline(sitePathRewriteCode(sitePages)),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Site paths as site/render.ts pageForPath maps them',
    });
    if (props.waf) this.waf = new RateLimitWaf(this, 'Waf');
    const webAclId = this.waf?.webAcl.attrArn;
    this.siteDistribution = new Distribution(this, 'SiteCdn', {
      webAclId,
      comment: 'Demo site and tracker.js',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: this.privateOrigin(this.siteBucket, 'SiteOac', 'site-oac'),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: siteHeaders,
        functionAssociations: [{ function: sitePaths, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: { '/api/*': apiBehavior(siteHeaders) },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/site/',
      ...tls(props.customDomains?.siteDomain),
    });
    this.dashboardDistribution = new Distribution(this, 'DashboardCdn', {
      webAclId,
      comment: 'Dashboard, with /api/* routed to the HTTP API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: this.privateOrigin(this.dashboardBucket, 'DashboardOac', 'dashboard-oac'),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: dashboardHeaders,
      },
      additionalBehaviors: { '/api/*': apiBehavior(dashboardHeaders) },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/dashboard/',
      ...tls(props.customDomains?.dashboardDomain),
    });

    this.siteDomain = props.customDomains?.siteDomain ?? this.siteDistribution.distributionDomainName;
    const dashboardDomain =
      props.customDomains?.dashboardDomain ?? this.dashboardDistribution.distributionDomainName;
    this.siteUrl = `https://${this.siteDomain}`;
    this.dashboardUrl = `https://${dashboardDomain}`;
    this.trackerUrl = `${this.siteUrl}/tracker.js`;
  }

  /** A bucket origin read through its own origin access control, named per stack and region. */
  private privateOrigin(bucket: IBucket, id: string, name: string) {
    const originAccessControl = new S3OriginAccessControl(this, id, {
      originAccessControlName: accountUniqueName(this, name, 64),
      signing: Signing.SIGV4_ALWAYS,
    });
    return S3BucketOrigin.withOriginAccessControl(bucket, { originAccessControl });
  }
}

function securityHeaders(
  scope: Construct,
  id: string,
  name: string,
  sources: { scriptSrc: string[]; connectSrc: string[] },
): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, id, {
    responseHeadersPolicyName: accountUniqueName(scope, name, 128),
    comment: 'Security headers for the analytics front ends',
    securityHeadersBehavior: {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365 * 2),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
      contentSecurityPolicy: {
        contentSecurityPolicy: [
          "default-src 'self'",
          `script-src ${sources.scriptSrc.join(' ')}`,
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data:",
          `connect-src ${sources.connectSrc.join(' ')}`,
          "object-src 'none'",
          "base-uri 'self'",
          "frame-ancestors 'none'",
          "form-action 'self'",
        ].join('; '),
        override: true,
      },
    },
  });
}
