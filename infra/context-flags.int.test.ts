/**
 * Context flags (`-c key=value`): how they are read, and what each changes in the template.
 * These synths skip esbuild (CDK's bundling-stacks context): they look at configuration only.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from './config.js';
import { synth, type Synthesized } from './test-support.js';

/** A bare root construct carries context like an App, without an App's temp cdk.out folder. */
function configOf(context: Record<string, string | undefined>) {
  const root = new Construct(undefined as never, '');
  for (const [key, value] of Object.entries(context)) root.node.setContext(key, value);
  return readConfig(root.node);
}

describe('readConfig', () => {
  it('defaults to the AWS target, retained data and no e-mail', () => {
    expect(configOf({})).toMatchObject({
      target: 'aws',
      destroy: false,
      alarmEmail: undefined,
      customDomains: undefined,
    });
  });

  it.each([
    [{ target: 'gcp' }, 'Context "target" must be "aws" or "localstack", got "gcp"'],
    [{ alarmEmail: 'ops' }, 'Context "alarmEmail" must be an e-mail address, got "ops"'],
    [{ siteDomain: 'www.example.com' }, 'Custom domains need all three of'],
  ])('refuses %j with a message that says what is accepted', (context, message) => {
    expect(() => configOf(context)).toThrow(message);
  });

  it.each([{ destroy: 'true' }, { stage: 'dev' }])('treats %j as a throw-away stage', (context) => {
    expect(configOf(context).destroy).toBe(true);
  });
});

describe('variants', () => {
  let destroy: Synthesized;
  let configured: Synthesized;

  beforeAll(async () => {
    destroy = await synth({ destroy: 'true' }, { bundle: false });
    configured = await synth(
      {
        alarmEmail: 'ops@example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f4c1d2e-aaaa-bbbb-cccc-123456789012',
        siteDomain: 'www.example.com',
        dashboardDomain: 'stats.example.com',
        siteKey: 'site_public_key_from_npm_run_org',
      },
      { bundle: false },
    );
  });
  afterAll(() => {
    destroy?.cleanup();
    configured?.cleanup();
  });

  it('stay cdk-nag clean', () => {
    for (const variant of [destroy, configured]) {
      expect(variant.synthError).toBeUndefined();
      expect(variant.nag.violations.map((v) => v.ruleName)).toEqual([]);
    }
  });

  it('destroy=true deletes tables and buckets with the stack', () => {
    for (const table of Object.values(destroy.template.findResources('AWS::DynamoDB::GlobalTable'))) {
      expect(table.DeletionPolicy).toBe('Delete');
      expect(table.Properties.Replicas[0].DeletionProtectionEnabled).toBe(false);
    }
    for (const bucket of Object.values(destroy.template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.DeletionPolicy).toBe('Delete');
    }
    destroy.template.resourceCountIs('Custom::S3AutoDeleteObjects', 3);
    // Custom resources of aws-cdk-lib's own get a ServiceTimeout too.
    for (const resource of Object.values(destroy.template.findResources('Custom::S3AutoDeleteObjects'))) {
      expect(resource.Properties.ServiceTimeout).toBe(16 * 60);
    }
  });

  it('alarmEmail subscribes the address to a TLS-only topic that CloudWatch may publish to and every alarm notifies', () => {
    configured.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    const topicId = Object.keys(configured.template.findResources('AWS::SNS::Topic'))[0]!;
    configured.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    // The topic's own policy replaces SNS's default one: without this allow, alarms never publish.
    configured.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'CloudWatchAlarmsPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId },
            Condition: {
              ArnLike: {
                'aws:SourceArn': Match.objectLike({
                  'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':alarm:\\*$')])],
                }),
              },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          },
        ]),
      },
    });
    const alarms = Object.values(configured.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBe(7);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  it('custom domains get their certificate and a TLS 1.2 minimum at the edge', () => {
    const distributions = Object.values(configured.template.findResources('AWS::CloudFront::Distribution'));
    const aliases = distributions.flatMap((d) => d.Properties.DistributionConfig.Aliases).sort();
    expect(aliases).toEqual(['stats.example.com', 'www.example.com']);
    for (const d of distributions) {
      expect(d.Properties.DistributionConfig.ViewerCertificate).toMatchObject({
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      });
    }
    const outputs = configured.template.toJSON().Outputs;
    expect(outputs.SiteUrl.Value).toBe('https://www.example.com');
    expect(outputs.DashboardUrl.Value).toBe('https://stats.example.com');
  });

  it('a given siteKey replaces the deploy-time demo org', () => {
    configured.template.resourceCountIs('Custom::DemoOrg', 0);
    expect(JSON.stringify(configured.template.toJSON())).not.toContain('DemoSiteKey');
  });
});
