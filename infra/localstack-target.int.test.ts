/**
 * The LocalStack target (`-c target=localstack`): LocalStack's free plan has no HTTP API, no
 * CloudFront, no custom resources, no Lambda layers and no CloudWatch dashboards, so the stack
 * swaps in a REST API and S3 website hosting and leaves the demo org and the content to the
 * post-deploy step (infra/localstack/post-deploy.ts). One synth with bundling on, and one
 * variant with every flag that adds resources.
 */
import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueSettings, throttling } from '../lambdas/core/settings.js';
import { corsOriginEnv } from './constructs/query.js';
import { websiteErrorDocuments } from './constructs/website-hosting.js';
import { localstackOutputs } from './localstack/outputs.js';
import { synth, type Synthesized } from './test-support.js';

let local: Synthesized;
let flagged: Synthesized;

/** Committed from LocalStack's coverage docs: see its `about`. */
const freePlan = JSON.parse(
  readFileSync(new URL('./localstack/free-plan-types.json', import.meta.url), 'utf8'),
) as {
  types: string[];
  notUsable: Record<string, string>;
};

const resourceTypes = (s: Synthesized) =>
  [
    ...new Set(
      Object.values(s.template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type),
    ),
  ].sort();

beforeAll(async () => {
  local = await synth({ target: 'localstack' });
  flagged = await synth(
    { target: 'localstack', alarmEmail: 'ops@example.com', destroy: 'true', siteKey: 'pvs_given' },
    { bundle: false },
  );
});
afterAll(() => {
  local?.cleanup();
  flagged?.cleanup();
});

describe('LocalStack target on the free plan', () => {
  it('uses only resource types of the free plan, with or without flags', () => {
    for (const variant of [local, flagged]) {
      expect(variant.synthError).toBeUndefined();
      const types = resourceTypes(variant);
      expect(types.length).toBeGreaterThan(10);
      expect(types.filter((type) => !freePlan.types.includes(type))).toEqual([]);
      expect(types.filter((type) => type in freePlan.notUsable)).toEqual([]);
    }
  });

  it('has no custom resource and no Lambda layer', () => {
    for (const variant of [local, flagged]) {
      const types = resourceTypes(variant);
      expect(
        types.filter((type) => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource'),
      ).toEqual([]);
      expect(types).not.toContain('AWS::Lambda::LayerVersion');
      for (const fn of Object.values(variant.template.findResources('AWS::Lambda::Function')))
        expect(fn.Properties.Layers).toBeUndefined();
    }
  });

  it('keeps the alarms but has no CloudWatch dashboard', () => {
    local.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(Object.keys(local.template.findResources('AWS::CloudWatch::Alarm')).length).toBe(7);
    expect(Object.keys(local.template.toJSON().Outputs)).not.toContain('MonitoringDashboardUrl');
  });

  it('names the buckets for the post-deploy step, and passes on a given site key', () => {
    const outputs = local.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs[localstackOutputs.siteBucket]!.Value).toEqual({
      Ref: local.stack.getLogicalId(local.stack.hosting.siteBucket.node.defaultChild as never),
    });
    expect(outputs[localstackOutputs.dashboardBucket]!.Value).toEqual({
      Ref: local.stack.getLogicalId(local.stack.hosting.dashboardBucket.node.defaultChild as never),
    });
    expect(outputs[localstackOutputs.siteKey]).toBeUndefined();
    expect(
      (flagged.template.toJSON().Outputs as Record<string, { Value: unknown }>)[localstackOutputs.siteKey]!
        .Value,
    ).toBe('pvs_given');
  });
});

describe('LocalStack target', () => {
  it('synthesises with the cdk-nag AwsSolutions plugin and no unacknowledged finding', () => {
    expect(local.synthError).toBeUndefined();
    expect(
      local.nag.violations.map(
        (v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
  });

  it('has no HTTP API and no CloudFront', () => {
    for (const type of [
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::Stage',
      'AWS::ApiGatewayV2::Route',
      'AWS::CloudFront::Distribution',
      'AWS::CloudFront::OriginAccessControl',
      'AWS::CloudFront::Function',
    ]) {
      local.template.resourceCountIs(type, 0);
    }
  });

  it('serves POST /visits and GET /visits on a REST API with Lambda proxy integrations', () => {
    local.template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    local.template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'visits' });
    for (const method of ['POST', 'GET']) {
      local.template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: method,
        Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
      });
    }
  });

  it('serves GET, PUT and DELETE /segments from the query function, and preflights PUT and DELETE', () => {
    const resourceId = Object.keys(
      local.template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: 'segments' } }),
    )[0];
    const methods = Object.values(
      local.template.findResources('AWS::ApiGateway::Method', {
        Properties: { ResourceId: { Ref: resourceId } },
      }),
    );
    const queryFn = local.stack.getLogicalId(local.stack.query.appFunction.fn.node.defaultChild as never);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const found = methods.find((m) => m.Properties.HttpMethod === method)!;
      expect(JSON.stringify(found.Properties.Integration.Uri)).toContain(queryFn);
    }
    const options = methods.find((m) => m.Properties.HttpMethod === 'OPTIONS')!;
    const allowed =
      options.Properties.Integration.IntegrationResponses[0].ResponseParameters[
        'method.response.header.Access-Control-Allow-Methods'
      ];
    expect(allowed).toBe("'GET,POST,PUT,DELETE'");
  });

  it('throttles the REST stage with the same rate and burst (reads apart, see production.int.test.ts) and writes access logs', () => {
    local.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: throttling.rateLimitPerSecond,
          ThrottlingBurstLimit: throttling.burstLimit,
        }),
      ]),
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
  });

  it('lets the dashboard website read from the REST API (CORS answered by the query function)', () => {
    const fn =
      local.template.findResources('AWS::Lambda::Function')[
        local.stack.getLogicalId(local.stack.query.appFunction.fn.node.defaultChild as never)
      ]!;
    expect(JSON.stringify(fn.Properties.Environment.Variables[corsOriginEnv])).toContain(
      '.s3-website.localhost.localstack.cloud:4566',
    );
  });

  it('hosts the site and the dashboard as S3 static websites, each falling back to its single-page app', () => {
    const websites = local.template.findResources('AWS::S3::Bucket', {
      Properties: { WebsiteConfiguration: { IndexDocument: 'index.html' } },
    });
    expect(Object.keys(websites)).toHaveLength(2);
    const errorDocuments = Object.values(websites)
      .map((b) => b.Properties.WebsiteConfiguration.ErrorDocument)
      .sort();
    expect(errorDocuments).toEqual([websiteErrorDocuments.site, websiteErrorDocuments.dashboard].sort());
    expect(websiteErrorDocuments.site).toBe('app.html');
  });

  it('keeps the same queue settings and event source mapping as the AWS target', () => {
    local.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: queueSettings.visibilityTimeoutSeconds,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: queueSettings.maxReceiveCount }),
    });
    local.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: queueSettings.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('prints URLs that resolve on LocalStack, and points the dashboard at the REST API', () => {
    const outputs = local.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const name of ['DashboardUrl', 'SiteUrl', 'ApiUrl']) {
      expect(JSON.stringify(outputs[name]!.Value), name).toContain('localhost.localstack.cloud:4566');
    }
    expect(JSON.stringify(outputs.ApiUrl!.Value)).toContain(
      '.execute-api.localhost.localstack.cloud:4566/api"',
    );
    // Only our outputs: RestApi's own AWS-style Endpoint output would not resolve on LocalStack.
    expect(Object.keys(outputs).filter((k) => k.includes('Endpoint'))).toEqual([]);
  });
});
