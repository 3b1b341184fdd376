import type { Node } from 'constructs';
import type { CustomDomains } from './constructs/hosting.js';

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
] as const;

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
  return {
    target,
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
