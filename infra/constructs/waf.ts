import { Aws, CfnRule, Fn } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { wafSettings } from '../../lambdas/core/settings.js';

/**
 * The optional WAF (`-c waf=true`): one web ACL for both CloudFront distributions (the site with
 * tracker.js, the dashboard with its `/api/*` reads) that blocks an IP past
 * `wafSettings.requestsPerIpPer5Minutes`. Off by default for its price: about 5 USD a month for
 * the ACL, 1 USD for the rule, 0.60 USD per million requests. A CloudFront web ACL must live in
 * us-east-1, so the stack must too (a template rule says so before anything is created).
 *
 * Beacons (POST /visits) go straight to the HTTP API, which cannot take a web ACL; they are
 * bounded by API Gateway's throttle and the per-client and per-org limits in the ingest logic.
 */
export class RateLimitWaf extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new CfnRule(this, 'InUsEast1', {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.REGION, 'us-east-1'),
          assertDescription:
            'A WAF web ACL for CloudFront (-c waf=true) must be created in us-east-1: deploy the stack there, or without -c waf=true.',
        },
      ],
    });
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Page-view analytics: requests per IP over five minutes',
      visibilityConfig: visibility('PageviewsWebAcl'),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: wafSettings.requestsPerIpPer5Minutes,
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('PageviewsRateLimitPerIp'),
        },
      ],
    });
  }
}
