/**
 * Production readiness (issue 24), on the synthesized templates: alarms that reach someone,
 * abuse bounded (limits, reserved concurrency, throttles apart, optional WAF), templates valid
 * under AWS's CloudFormation validator, every log group kept with a retention and removed with
 * the stack, the query function kept from the salts, cdk-nag acknowledgements that still apply.
 * These synths skip esbuild: they look at configuration only.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  abuseLimits,
  consumerMetrics,
  envNames,
  ingestMetrics,
  queueSettings,
  queryRoutes,
  reservedConcurrency,
  throttling,
  wafSettings,
} from '../lambdas/core/settings.js';
import { readConfig } from './config.js';
import { createApp } from './create-app.js';
import { idsOf, synth, type Synthesized } from './test-support.js';
import { validateTemplate } from './validate-templates.js';
import { idleMonth } from '../bench/sections/idle-month.js';
import { testWebAssets } from './web-assets.js';

let aws: Synthesized;
let local: Synthesized;
let destroy: Synthesized;
let options: Synthesized;

beforeAll(async () => {
  [aws, local, destroy, options] = [
    await synth({}, { bundle: false }),
    await synth({ target: 'localstack' }, { bundle: false }),
    await synth({ destroy: 'true' }, { bundle: false }),
    await synth(
      {
        alarmEmail: 'ops@example.com',
        waf: 'true',
        dashboard: 'true',
        clientLimit: 'off',
        reservedConcurrency: 'false',
      },
      { bundle: false },
    ),
  ];
});
afterAll(() => {
  for (const s of [aws, local, destroy, options]) s?.cleanup();
});

const resources = (s: Synthesized, type: string) =>
  Object.entries(s.template.findResources(type)) as [string, { Properties: any; DeletionPolicy?: string }][];
const functionOf = (s: Synthesized, fn: { node: { defaultChild?: unknown } }) =>
  s.template.findResources('AWS::Lambda::Function')[s.stack.getLogicalId(fn.node.defaultChild as never)]!;

describe('every target synthesises with cdk-nag clean', () => {
  it.each([
    ['aws', () => aws],
    ['localstack', () => local],
    ['aws, destroy', () => destroy],
    ['aws, every option', () => options],
  ])('%s', (_name, s) => {
    expect(s().synthError).toBeUndefined();
    expect(s().nag.violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('alarms reach someone', () => {
  it.each([
    ['aws', () => aws],
    ['localstack', () => local],
  ])('%s: every alarm notifies the one SNS topic, even with no e-mail given', (_name, s) => {
    const topicId = resources(s(), 'AWS::SNS::Topic')[0]?.[0];
    expect(resources(s(), 'AWS::SNS::Topic')).toHaveLength(1);
    const alarms = resources(s(), 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(0);
    for (const [id, alarm] of alarms) expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topicId }]);
    s().template.resourceCountIs('AWS::SNS::Subscription', 0);
    // CloudWatch may publish to it (enforceSSL replaced SNS's default policy).
    const policy = resources(s(), 'AWS::SNS::TopicPolicy')[0]![1].Properties.PolicyDocument.Statement;
    expect(policy).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
    );
  });

  it('prints the topic and the command that subscribes an address to it', () => {
    const outputs = aws.template.toJSON().Outputs as Record<string, { Value: unknown; Description: string }>;
    const topicId = resources(aws, 'AWS::SNS::Topic')[0]![0];
    expect(outputs.AlarmTopicArn!.Value).toEqual({ Ref: topicId });
    expect(JSON.stringify(outputs.AlarmSubscribeCommand!.Value)).toContain('aws sns subscribe --topic-arn ');
    expect(outputs.AlarmSubscribeCommand!.Description).toMatch(/^No one receives the alarms yet/);
  });

  it('subscribes alarmEmail to the topic', () => {
    options.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('alarms on dead letters, the oldest visit, the consumer, the archiver, API 5xx and an org reaching its daily limit: seven', () => {
    const alarms = resources(aws, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms.map((a) => `${a.Namespace} ${a.MetricName}`).sort()).toEqual(
      [
        'AWS/ApiGateway 5xx',
        'AWS/Lambda Errors',
        'AWS/Lambda Errors',
        'AWS/Lambda Throttles',
        'AWS/SQS ApproximateAgeOfOldestMessage',
        'AWS/SQS ApproximateNumberOfMessagesVisible',
        `${ingestMetrics.namespace} ${ingestMetrics.names.dailyLimit}`,
      ].sort(),
    );
    const consumer = aws.stack.getLogicalId(aws.stack.consume.appFunction.fn.node.defaultChild as never);
    const archiver = aws.stack.getLogicalId(aws.stack.archive.archiver.fn.node.defaultChild as never);
    expect(
      alarms
        .filter((x) => x.Namespace === 'AWS/Lambda')
        .map((a) => `${a.MetricName} ${a.Dimensions[0].Value.Ref}`)
        .sort(),
    ).toEqual([`Errors ${archiver}`, `Errors ${consumer}`, `Throttles ${consumer}`].sort());
    expect(alarms.find((a) => a.MetricName === ingestMetrics.names.dailyLimit)!.Dimensions).toEqual([
      { Name: 'service', Value: ingestMetrics.service },
    ]);
  });

  it('leaves the CloudWatch dashboard out unless asked for (3 USD a month)', () => {
    aws.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    options.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(Object.keys(options.template.toJSON().Outputs)).toContain('MonitoringDashboardUrl');
  });

  it('graphs on the dashboard, when asked for, the metrics the consumer publishes', () => {
    const body = JSON.stringify(
      Object.values(options.template.findResources('AWS::CloudWatch::Dashboard'))[0]!.Properties
        .DashboardBody,
    );
    for (const name of Object.values(consumerMetrics.names)) expect(body).toContain(`\\"${name}\\"`);
  });
});

describe('abuse bounded', () => {
  it('gives ingest the per-client limit from settings, and none with -c clientLimit=off, under the service name its metrics use', () => {
    const env = (s: Synthesized) =>
      functionOf(s, s.stack.ingest.appFunction.fn).Properties.Environment.Variables;
    const { ratePerSecond, burst } = abuseLimits.perClient;
    expect(env(aws)[envNames.clientLimit]).toBe(`${ratePerSecond}/${burst}`);
    expect(env(options)[envNames.clientLimit]).toBeUndefined();
    expect(env(aws).POWERTOOLS_SERVICE_NAME).toBe(ingestMetrics.service);
  });

  it('reserves concurrency for each function, the consumer at least its event source maximum, unless turned off', () => {
    const reserved = (s: Synthesized) =>
      [s.stack.ingest, s.stack.consume, s.stack.query].map(
        (c) => functionOf(s, c.appFunction.fn).Properties.ReservedConcurrentExecutions,
      );
    expect(reserved(aws)).toEqual([
      reservedConcurrency.ingest,
      reservedConcurrency.consume,
      reservedConcurrency.query,
    ]);
    expect(reserved(local)).toEqual(reserved(aws));
    expect(reserved(options)).toEqual([undefined, undefined, undefined]);
    expect(reservedConcurrency.consume).toBeGreaterThanOrEqual(queueSettings.maxConcurrency);
    aws.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: queueSettings.maxConcurrency },
    });
  });

  it('throttles the HTTP API reads apart from the writes, route by route', () => {
    const [[stageId, stage]] = resources(aws, 'AWS::ApiGatewayV2::Stage') as [[string, any]];
    expect(stage.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: throttling.rateLimitPerSecond,
      ThrottlingBurstLimit: throttling.burstLimit,
    });
    // The query function's routes: the reads and the owner's PUT and DELETE /segments.
    const routeKeys = Object.values(queryRoutes).map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(stage.Properties.RouteSettings).sort()).toEqual(routeKeys.sort());
    for (const key of routeKeys)
      expect(stage.Properties.RouteSettings[key]).toEqual({
        ThrottlingRateLimit: throttling.reads.rateLimitPerSecond,
        ThrottlingBurstLimit: throttling.reads.burstLimit,
      });
    // Route settings name routes that must exist first.
    const routes = idsOf(aws.template, 'AWS::ApiGatewayV2::Route', { RouteKey: routeKeys[0] });
    expect(aws.template.toJSON().Resources[stageId].DependsOn).toEqual(expect.arrayContaining(routes));
  });

  it('throttles the REST API (LocalStack) reads apart from the writes, method by method', () => {
    const stage = resources(local, 'AWS::ApiGateway::Stage')[0]![1].Properties;
    const settings = stage.MethodSettings as Record<string, unknown>[];
    expect(settings).toContainEqual(
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: throttling.rateLimitPerSecond,
        ThrottlingBurstLimit: throttling.burstLimit,
      }),
    );
    for (const route of Object.values(queryRoutes))
      expect(settings).toContainEqual(
        expect.objectContaining({
          HttpMethod: route.method,
          ResourcePath: `/~1${route.path.slice(1)}`,
          ThrottlingRateLimit: throttling.reads.rateLimitPerSecond,
          ThrottlingBurstLimit: throttling.reads.burstLimit,
        }),
      );
  });

  it('puts no WAF in by default, and with -c waf=true one rate rule per IP on both distributions, in us-east-1 only', () => {
    aws.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    const [[aclId, acl]] = resources(options, 'AWS::WAFv2::WebACL') as [[string, any]];
    expect(acl.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    expect(acl.Properties.Rules).toEqual([
      expect.objectContaining({
        Action: { Block: {} },
        Statement: {
          RateBasedStatement: {
            AggregateKeyType: 'IP',
            Limit: wafSettings.requestsPerIpPer5Minutes,
            EvaluationWindowSec: 300,
          },
        },
      }),
    ]);
    const distributions = resources(options, 'AWS::CloudFront::Distribution');
    expect(distributions).toHaveLength(2);
    for (const [, d] of distributions)
      expect(d.Properties.DistributionConfig.WebACLId).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    const rules = Object.values(options.template.toJSON().Rules as Record<string, any>);
    expect(JSON.stringify(rules)).toContain('"us-east-1"');
  });

  it('refuses -c waf=true on the LocalStack target, and a malformed clientLimit, saying what is accepted', () => {
    const configOf = (context: Record<string, string>) => {
      const root = new Construct(undefined as never, '');
      for (const [key, value] of Object.entries(context)) root.node.setContext(key, value);
      return readConfig(root.node);
    };
    expect(() => configOf({ target: 'localstack', waf: 'true' })).toThrow(/"waf" needs the AWS target/);
    expect(() => configOf({ clientLimit: 'lots' })).toThrow(
      /clientLimit" must be "<requests a second>\/<burst>"/,
    );
    expect(() => configOf({ waf: 'yes' })).toThrow('Context "waf" must be true or false, got "yes"');
  });
});

describe('validated templates', () => {
  it.each([
    ['aws', () => aws],
    ['localstack', () => local],
    ['aws, every option', () => options],
  ])('%s: AWS CloudFormation validator finds no error and no unexplained warning', (_name, s) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pageviews-template-'));
    try {
      const file = path.join(dir, 'template.json');
      writeFileSync(file, JSON.stringify(s().template.toJSON()));
      const verdict = validateTemplate(file);
      expect(verdict.rulesEvaluated).toBeGreaterThan(100);
      expect(verdict.errors).toEqual([]);
      expect(verdict.unexplained).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a template with an error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pageviews-template-'));
    try {
      const file = path.join(dir, 'template.json');
      writeFileSync(
        file,
        JSON.stringify({
          Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } } },
        }),
      );
      expect(validateTemplate(file).errors.length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('nothing left behind', () => {
  it.each([
    ['aws', () => aws, 'Retain'],
    ['localstack', () => local, 'Retain'],
    ['aws, destroy', () => destroy, 'Delete'],
  ])(
    '%s: every function, the CDK providers included, logs to a log group of the stack with a retention, removed as the data is',
    (_name, s, policy) => {
      const logGroups = s().template.findResources('AWS::Logs::LogGroup');
      const functions = resources(s(), 'AWS::Lambda::Function');
      expect(functions.length).toBeGreaterThanOrEqual(3);
      for (const [id, fn] of functions) {
        const group = logGroups[fn.Properties.LoggingConfig?.LogGroup?.Ref];
        expect(group, id).toBeDefined();
        expect(group!.Properties.RetentionInDays, id).toBe(30);
      }
      for (const [id, group] of Object.entries(logGroups)) {
        expect(group.Properties.RetentionInDays, id).toBe(30);
        expect(group.DeletionPolicy, id).toBe(policy);
      }
    },
  );

  it("covers aws-cdk-lib's BucketDeployment handler and, with -c destroy=true, the buckets' auto-delete handler", () => {
    const ids = resources(destroy, 'AWS::Lambda::Function').map(([id]) => id);
    expect(ids.some((id) => id.startsWith('CustomCDKBucketDeployment'))).toBe(true);
    expect(ids.some((id) => id.startsWith('CustomS3AutoDeleteObjects'))).toBe(true);
  });
});

describe('nothing wider than needed', () => {
  it("lets BucketDeployment's handler invalidate only the stack's two distributions", () => {
    const [, policy] = resources(aws, 'AWS::IAM::Policy').find(([id]) =>
      id.startsWith('CustomCDKBucketDeployment'),
    )!;
    const statements = policy.Properties.PolicyDocument.Statement as {
      Action: string[];
      Resource: unknown;
    }[];
    const invalidation = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('cloudfront:')));
    expect(invalidation).toHaveLength(1);
    const resource = JSON.stringify(invalidation[0]!.Resource);
    expect(invalidation[0]!.Resource).not.toBe('*');
    for (const [id] of resources(aws, 'AWS::CloudFront::Distribution'))
      expect(resource).toContain(`":distribution/",{"Ref":"${id}"}`);
    for (const s of statements) expect([s.Resource].flat()).not.toContain('*');
  });

  it.each([
    ['aws', {}],
    ['localstack', { target: 'localstack' }],
    ['aws with a WAF', { waf: 'true' }],
  ])('%s: acknowledges only findings cdk-nag really reports', async (_name, context) => {
    // The app again, with acknowledgements recorded instead of applied, so cdk-nag reports everything.
    const recorded: { path: string; id: string }[] = [];
    const proto = Object.getPrototypeOf(Validations.of(new Construct(undefined as never, 'probe')));
    const acknowledge = proto.acknowledge;
    proto.acknowledge = function (this: { scope: Construct }, rule: { id: string }) {
      recorded.push({ path: this.scope.node.path, id: rule.id });
    };
    const web = await testWebAssets();
    const outdir = mkdtempSync(path.join(tmpdir(), 'cdk.out-pageviews-'));
    try {
      const { app } = createApp({
        web,
        outdir,
        context: { ...context, 'aws:cdk:bundling-stacks': [] },
        builtinCloudFormationValidation: false,
      });
      const findings = new AwsSolutionsChecks()
        .validateScope(app)
        .violations.flatMap((v) =>
          v.violatingResources.map((r) => ({ path: r.constructPath ?? '', id: v.ruleName })),
        );
      // aws-cdk-lib acknowledges its own findings of the CloudFormation validator on its buckets.
      const ours = recorded.filter((a) => a.id.startsWith('AwsSolutions-'));
      expect(ours.length).toBeGreaterThan(0);
      const stale = ours.filter(
        (a) => !findings.some((f) => f.id === a.id && (f.path === a.path || f.path.startsWith(`${a.path}/`))),
      );
      expect(stale).toEqual([]);
    } finally {
      proto.acknowledge = acknowledge;
      rmSync(outdir, { recursive: true, force: true });
      rmSync(web.root, { recursive: true, force: true });
    }
  });
});

describe('the idle month', () => {
  it('costs at most 1.00 USD by default, item by item, and says what the options add', () => {
    const idle = idleMonth(aws.template.toJSON() as never);
    expect(idle.totalUsd).toBeLessThanOrEqual(1.0);
    const alarms = idle.rows.find((r) => r.item === 'CloudWatch alarms')!;
    expect(alarms.count).toBe(7);
    expect(alarms.monthlyUsd).toBeCloseTo(0.7, 5);
    const withOptions = idleMonth(options.template.toJSON() as never);
    expect(withOptions.totalUsd - idle.totalUsd).toBeCloseTo(3 + 5 + 1, 5);
  });
});
