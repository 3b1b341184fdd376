import type { Node } from 'constructs';
import type { CustomDomains } from './constructs/hosting.js';
import { type RateLimit, parseRateLimit } from '../lambdas/core/domain/token-bucket.js';
import { abuseLimits } from '../lambdas/core/settings.js';

export type Target = 'aws' | 'localstack';

/** Everything the stack reads from CDK context (`-c key=value`), checked once, here. */
export interface StackConfig {
  /** `aws` (default): HTTP API + CloudFront. `localstack`: REST API + S3 websites. */
  readonly target: Target;
  /** Throw-away stage: tables and buckets are deleted with the stack (default: retained). */
  readonly destroy: boolean;
  /** Alarm notifications by e-mail (an SNS subscription the address must confirm). */
  readonly alarmEmail?: string;
  /** Use this site key in the demo site instead of creating a demo org at deploy time. */
  readonly siteKey?: string;
  /** Custom domain names with an ACM certificate (us-east-1), which allow TLS 1.2+ at the edge. */
  readonly customDomains?: CustomDomains;
  /** LocalStack's edge host:port, used to print URLs that resolve locally. */
  readonly localstackHost: string;
  /** A WAF web ACL with a rate rule per IP on both distributions (AWS target; about 6 USD a month). */
  readonly waf: boolean;
  /** The CloudWatch dashboard (3 USD a month past an account's free three); off by default. */
  readonly monitoringDashboard: boolean;
  /** Ingest's per-client limit (`<views a second>/<burst>`); undefined: none. */
  readonly clientLimit?: RateLimit;
  /** Reserved concurrency for the functions (settings.reservedConcurrency); off for accounts with a small quota. */
  readonly reservedConcurrency: boolean;
}

const contextKeys = [
  'target',
  'destroy',
  'stage',
  'alarmEmail',
  'siteKey',
  'certificateArn',
  'siteDomain',
  'dashboardDomain',
  'localstackHost',
  'waf',
  'dashboard',
  'clientLimit',
  'reservedConcurrency',
] as const;

/** A yes/no context flag: true or false (anything else is refused, naming the flag). */
function flag(value: string | undefined, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`Context "${name}" must be true or false, got "${value}"`);
}

export function readConfig(node: Node): StackConfig {
  const get = (key: (typeof contextKeys)[number]): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const target = get('target') ?? 'aws';
  if (target !== 'aws' && target !== 'localstack') {
    throw new Error(`Context "target" must be "aws" or "localstack", got "${target}"`);
  }
  const alarmEmail = get('alarmEmail');
  if (alarmEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new Error(`Context "alarmEmail" must be an e-mail address, got "${alarmEmail}"`);
  }
  const certificateArn = get('certificateArn');
  const siteDomain = get('siteDomain');
  const dashboardDomain = get('dashboardDomain');
  const domainParts = [certificateArn, siteDomain, dashboardDomain].filter(Boolean).length;
  if (domainParts !== 0 && domainParts !== 3) {
    throw new Error(
      'Custom domains need all three of: -c certificateArn=… -c siteDomain=… -c dashboardDomain=…',
    );
  }
  const waf = flag(get('waf'), 'waf', false);
  if (waf && target !== 'aws')
    throw new Error(
      'Context "waf" needs the AWS target: LocalStack\'s free plan has no WAF and no CloudFront.',
    );
  const clientLimitText = get('clientLimit');
  return {
    target,
    waf,
    monitoringDashboard: flag(get('dashboard'), 'dashboard', false),
    clientLimit:
      clientLimitText === undefined
        ? abuseLimits.perClient
        : parseRateLimit(clientLimitText, 'Context "clientLimit"'),
    reservedConcurrency: flag(get('reservedConcurrency'), 'reservedConcurrency', true),
    destroy: get('destroy') === 'true' || get('stage') === 'dev',
    alarmEmail,
    siteKey: get('siteKey'),
    customDomains:
      certificateArn && siteDomain && dashboardDomain
        ? { certificateArn, siteDomain, dashboardDomain }
        : undefined,
    localstackHost: get('localstackHost') ?? 'localhost.localstack.cloud:4566',
  };
}
