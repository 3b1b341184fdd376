/**
 * The LocalStack target (`-c target=localstack`): LocalStack's free plan has no HTTP API and no
 * CloudFront, so the stack swaps in a REST API and S3 website hosting. One synth, bundling on.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueSettings, throttling } from '../lambdas/core/settings.js';
import { corsOriginEnv } from './constructs/query.js';
import { findAssetFiles, synth, type Synthesized } from './test-support.js';

let local: Synthesized;

beforeAll(async () => {
  local = await synth({ target: 'localstack' });
});
afterAll(() => local?.cleanup());

describe('LocalStack target', () => {
  it('synthesises with the cdk-nag AwsSolutions plugin and no unacknowledged finding', () => {
    expect(local.synthError).toBeUndefined();
    expect(local.nag.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
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

  it('throttles the REST stage with the same rate and burst and writes access logs', () => {
    local.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: throttling.rateLimitPerSecond,
          ThrottlingBurstLimit: throttling.burstLimit,
        }),
      ],
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
  });

  it('lets the dashboard website read from the REST API (CORS answered by the query function)', () => {
    const fn = local.template.findResources('AWS::Lambda::Function')[local.stack.getLogicalId(local.stack.query.appFunction.fn.node.defaultChild as never)]!;
    expect(JSON.stringify(fn.Properties.Environment.Variables[corsOriginEnv])).toContain('.s3-website.localhost.localstack.cloud:4566');
  });

  it('hosts the site and the dashboard as S3 static websites', () => {
    const websites = local.template.findResources('AWS::S3::Bucket', {
      Properties: { WebsiteConfiguration: { IndexDocument: 'index.html' } },
    });
    expect(Object.keys(websites)).toHaveLength(2);
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
    // config.json carries a deploy-time value here (the REST API id), so it is a Source.jsonData
    // with markers rather than the AWS target's constant '/api'.
    expect(findAssetFiles(local.outdir, 'config.json').map((t) => JSON.parse(t))).not.toContainEqual({ apiUrl: '/api' });
    expect(JSON.stringify(outputs.ApiUrl!.Value)).toContain('.execute-api.localhost.localstack.cloud:4566/api"');
    // Only our outputs: RestApi's own AWS-style Endpoint output would not resolve on LocalStack.
    expect(Object.keys(outputs).filter((k) => k.includes('Endpoint'))).toEqual([]);
  });
});
