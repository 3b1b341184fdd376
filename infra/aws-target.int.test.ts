/**
 * The AWS target (`npx cdk synth`): one synth of the real app (bundling included) in beforeAll,
 * then each construct's promises, checked on the CloudFormation template.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CfnElement, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveColumns } from '../lambdas/core/archive/row.js';
import { visitPageColumnTypes, visitPageColumns } from '../lambdas/core/archive/parquet.js';
import {
  archive,
  cors,
  envNames,
  queueSettings,
  throttling,
  ttlAttribute,
} from '../lambdas/core/settings.js';
import { pageForPath } from '../site/render.js';
import { createDailySalts } from '../lambdas/core/store/salts.js';
import { athenaResultsDays, bytesScannedCutoff } from './constructs/archive.js';
import { demoOrgServiceTimeout } from './constructs/demo-org.js';
import { esmRequireBanner } from './bundling.js';
import { tableAccess } from './constructs/function.js';
import { ingestOrgsGrants } from './constructs/ingest.js';
import { queryOrgsGrants } from './constructs/query.js';
import { deleteSaved, listSaved, putSaved, savedItemsPattern } from '../lambdas/core/store/saved.js';
import { createKeyResolver } from '../lambdas/core/store/key-resolver.js';
import { createDailyUsage } from '../lambdas/core/store/daily-usage.js';
import type { ItemCalls } from '../lambdas/core/store/item-calls.js';
import { queueLogicalIds } from './constructs/queue.js';
import { type CdnHosting, sitePathRewriteCode, stripApiPrefixCode } from './constructs/cdn-hosting.js';
import { corsOriginEnv } from './constructs/query.js';
import { oldestMessageAlarmSeconds } from './constructs/monitoring.js';
import { inlineScriptHashes } from './csp.js';
import { repoRoot } from './paths.js';
import { findAssetFiles, idsOf, runViewerRequestFunction, synth, type Synthesized } from './test-support.js';
import { sitePlaceholders } from './web-assets.js';

let aws: Synthesized;

beforeAll(async () => {
  aws = await synth({});
});
afterAll(() => aws?.cleanup());

const ref = (id: string) => ({ Ref: id });
/** The logical id in the template, overrides (VisitQueue pins its queues' ids) included. */
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  aws.stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;

describe('the app', () => {
  it('synthesises with the cdk-nag AwsSolutions plugin and no unacknowledged finding', () => {
    expect(aws.synthError).toBeUndefined();
    expect(
      aws.nag.violations.map(
        (v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
    expect(aws.nag.success).toBe(true);
  });

  it('gives every cdk-nag acknowledgement a reason, and acknowledges nothing on the project functions but their runtime', () => {
    const acknowledged: { path: string; id: string; reason: string }[] = [];
    for (const construct of aws.app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledged.push({ path: construct.node.path, id: id.replace(/^annotation::/i, ''), reason });
        }
      }
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledged) expect(reason.length, id).toBeGreaterThan(60);
    for (const fn of [aws.stack.ingest, aws.stack.consume, aws.stack.query, aws.stack.archive]) {
      const ids = acknowledged.filter((a) => a.path.startsWith(`${fn.node.path}/`)).map((a) => a.id);
      // Besides the runtime, only the archive's object prefixes (one object per org and day).
      expect(
        ids.filter(
          (id) =>
            !/^AwsSolutions-IAM5\[Resource::(<ArchiveBucket\w+\.Arn>\/[a-z-]+\/\*|arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:table\/<ArchiveDatabase\w+>\/(visits|visit_pages))\]$/.test(
              id,
            ),
        ),
      ).toEqual(['AwsSolutions-L1']);
    }
  });
});

describe('Storage', () => {
  it('creates three on-demand tables with pk/sk string keys, PITR and TTL on expiresAt', () => {
    const tables = aws.template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(3);
    for (const table of Object.values(tables)) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
      });
      expect(table.Properties.Replicas[0]).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      });
    }
  });

  it('keeps the logical ids of the tables, queues and buckets, so no refactor replaces them', () => {
    // A changed logical id makes CloudFormation create a new resource and delete the old one:
    // the counts in a table, the visits in a queue, the files in a bucket would be gone.
    const stateful = (type: string) => idsOf(aws.template, type).sort();
    expect(stateful('AWS::DynamoDB::GlobalTable')).toEqual([
      'StorageCounters147FAC27',
      'StorageOrgs1E250CED',
      'StorageVisitsAA6E203C',
    ]);
    expect(stateful('AWS::SQS::Queue')).toEqual(
      [queueLogicalIds.deadLetterQueue, queueLogicalIds.queue].sort(),
    );
    expect(queueLogicalIds).toEqual({
      queue: 'IngestQueue95F6DB49',
      deadLetterQueue: 'IngestDeadLetterQueueE8016E9B',
    });
    expect(stateful('AWS::S3::Bucket')).toEqual([
      'ArchiveBucket49F1AC64',
      'HostingAccessLogs745F29C2',
      'HostingDashboardBucketA512431C',
      'HostingSiteBucket3431FC18',
    ]);
  });

  it('keeps the tables when the stack is deleted', () => {
    for (const table of Object.values(aws.template.findResources('AWS::DynamoDB::GlobalTable'))) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
    }
  });
});

describe('Ingest', () => {
  it('redrives to a dead-letter queue after the max receive count from settings', () => {
    const dlq = logicalId(aws.stack.visitQueue.deadLetterQueue);
    aws.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: queueSettings.visibilityTimeoutSeconds,
      MessageRetentionPeriod: queueSettings.retentionDays * 86400,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] },
        maxReceiveCount: queueSettings.maxReceiveCount,
      },
    });
    aws.template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: queueSettings.deadLetterRetentionDays * 86400,
    });
  });

  it('sets the visibility timeout to at least six times the consumer timeout plus its batching window (AWS guidance)', () => {
    const consumer = Object.values(
      aws.template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('SQS batch') },
      }),
    )[0]!;
    const mapping = Object.values(aws.template.findResources('AWS::Lambda::EventSourceMapping'))[0]!;
    const queue = aws.template.findResources('AWS::SQS::Queue')[logicalId(aws.stack.visitQueue.queue)]!;
    const needed = 6 * consumer.Properties.Timeout + mapping.Properties.MaximumBatchingWindowInSeconds;
    expect(needed).toBe(6 * 30 + 4);
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(needed);
  });

  it('encrypts both queues and denies any request not made over TLS', () => {
    const queues = aws.template.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(2);
    for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const policies = aws.template.findResources('AWS::SQS::QueuePolicy', {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
    });
    expect(Object.keys(policies)).toHaveLength(2);
  });

  it('takes beacons on a function URL without auth, with the CORS of the API, and leaves out platform log lines', () => {
    const fn = logicalId(aws.stack.ingest.function);
    aws.template.hasResourceProperties('AWS::Lambda::Url', {
      TargetFunctionArn: { 'Fn::GetAtt': [fn, 'Arn'] },
      AuthType: 'NONE',
      Cors: {
        AllowOrigins: [cors.beaconOrigin],
        AllowMethods: ['POST'],
        AllowHeaders: [...cors.allowHeaders],
        MaxAge: cors.maxAgeSeconds,
      },
    });
    // Anyone may invoke it through the URL, and only through the URL (the two permissions AWS asks for).
    aws.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
      FunctionUrlAuthType: 'NONE',
      Principal: '*',
    });
    aws.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
      InvokedViaFunctionUrl: true,
      Principal: '*',
    });
    // The API keeps POST /visits for API clients.
    aws.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /visits' });
    aws.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^POST /visits'),
      LoggingConfig: Match.objectLike({
        LogFormat: 'JSON',
        SystemLogLevel: 'WARN',
        ApplicationLogLevel: 'INFO',
      }),
    });
  });

  it('names the orgs table and the queue in the environment it is granted access to', () => {
    const fn = aws.template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('^POST /visits') },
    });
    const [props] = Object.values(fn).map((r) => r.Properties);
    expect(props.Environment.Variables[envNames.orgsTable]).toEqual(
      ref(logicalId(aws.stack.storage.tables.orgs)),
    );
    expect(props.Environment.Variables[envNames.queueUrl]).toEqual(
      ref(logicalId(aws.stack.visitQueue.queue)),
    );
    expect(props.Environment.Variables[envNames.countersTable]).toBeUndefined();
  });
});

describe('Consume', () => {
  it('reads the queue in batches with the settings batch size, window and concurrency, reporting item failures', () => {
    aws.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(aws.stack.visitQueue.queue), 'Arn'] },
      BatchSize: queueSettings.batchSize,
      MaximumBatchingWindowInSeconds: queueSettings.batchingWindowSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: queueSettings.maxConcurrency },
    });
  });
});

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** The IAM policy statements attached to a function's role. */
function statementsOf(roleConstruct: { node: { defaultChild?: unknown } }): Statement[] {
  const roleId = logicalId(roleConstruct);
  return Object.values(aws.template.findResources('AWS::IAM::Policy'))
    .filter((policy) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** The IAM actions a function's role is allowed without a condition, per resource reference. */
function allowedActions(roleConstruct: { node: { defaultChild?: unknown } }): Map<string, string[]> {
  const allowed = new Map<string, string[]>();
  for (const statement of statementsOf(roleConstruct).filter((s) => !s.Condition)) {
    const actions: string[] = [statement.Action].flat();
    for (const resource of [statement.Resource].flat()) {
      const key = JSON.stringify(resource);
      allowed.set(key, [...(allowed.get(key) ?? []), ...actions]);
    }
  }
  return allowed;
}

describe('grants and environment are bound together', () => {
  it.each([
    // Orgs: only item by item, through dynamodb:LeadingKeys conditions (tested below).
    ['ingest', () => aws.stack.ingest.appFunction, { orgs: [] }],
    [
      'consume',
      () => aws.stack.consume.appFunction,
      { counters: tableAccess.transactWrite, visits: tableAccess.readThenTransactWrite },
    ],
    [
      'query',
      () => aws.stack.query.appFunction,
      { orgs: [], counters: tableAccess.read, visits: tableAccess.read },
    ],
  ] as const)('%s may use exactly the tables it names in its environment', (_name, appFunction, expected) => {
    const fn = appFunction();
    const allowed = allowedActions(fn.role);
    const tables = aws.stack.storage.tables;
    for (const table of ['orgs', 'counters', 'visits'] as const) {
      const arn = JSON.stringify({ 'Fn::GetAtt': [logicalId(tables[table]), 'Arn'] });
      const want = (expected as Record<string, readonly string[]>)[table];
      expect(allowed.get(arn)?.sort() ?? [], table).toEqual(want ? [...want].sort() : []);
    }
    const variables =
      aws.template.findResources('AWS::Lambda::Function')[logicalId(fn.fn)]!.Properties.Environment.Variables;
    const named = Object.keys(expected).map((t) => envNames[`${t}Table` as 'orgsTable']);
    // ARCHIVE_TABLE names the Glue table of the archive, not a DynamoDB table.
    const tableVars = Object.keys(variables).filter(
      (v) => v.endsWith('_TABLE') && v !== envNames.archiveTable,
    );
    expect(tableVars.sort()).toEqual(named.sort());
  });

  it('sets no CORS origin on the query function: the dashboard reads same-origin through CloudFront', () => {
    const fn =
      aws.template.findResources('AWS::Lambda::Function')[logicalId(aws.stack.query.appFunction.fn)]!;
    expect(fn.Properties.Environment.Variables[corsOriginEnv]).toBeUndefined();
  });

  it.each([
    ['ingest', () => aws.stack.ingest.appFunction, ingestOrgsGrants],
    ['query', () => aws.stack.query.appFunction, queryOrgsGrants],
  ] as const)(
    'lets %s use the Orgs table only on the items its grants name, through dynamodb:LeadingKeys',
    (_name, appFunction, grants) => {
      const orgsArn = { 'Fn::GetAtt': [logicalId(aws.stack.storage.tables.orgs), 'Arn'] };
      const onOrgs = statementsOf(appFunction().role).filter(
        (s) => JSON.stringify(s.Resource) === JSON.stringify(orgsArn),
      );
      expect(onOrgs).toEqual(
        grants.map(({ actions, patterns }) => ({
          Effect: 'Allow',
          Action: actions.length === 1 ? actions[0] : [...actions],
          Resource: orgsArn,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] } },
        })),
      );
    },
  );

  it('names in its patterns the keys the store modules really use, so the query cannot read a salt', async () => {
    // IAM's StringLike: `*` is any run of characters, everything else is literal.
    const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const allowed = (
      grants: readonly { actions: readonly string[]; patterns: readonly string[] }[],
      action: string,
      pk: string,
    ) =>
      grants.some(
        (g) =>
          g.actions.includes(action) &&
          g.patterns.some((p) => new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`).test(pk)),
      );
    // The keys each module reads and writes, taken from the modules themselves.
    const seen: { action: string; pk: string }[] = [];
    const record = (
      action: string,
      input: { Key?: Record<string, unknown>; Item?: Record<string, unknown> },
    ) => seen.push({ action, pk: (input.Key ?? input.Item)!.pk as string });
    const items: ItemCalls = {
      getItem: async (input) => {
        record('dynamodb:GetItem', input);
        return {};
      },
      putItem: async (input) => {
        record('dynamodb:PutItem', input);
      },
      updateItem: async (input) => {
        record('dynamodb:UpdateItem', input);
        return { Attributes: { accepted: 1 } };
      },
    };
    await createDailySalts({ items, orgsTable: 'Orgs' })('2026-01-02');
    await createKeyResolver({ items, orgsTable: 'Orgs' }, { cacheMs: 0 })('pvs_x');
    const tryAccept = createDailyUsage(
      { items, orgsTable: 'Orgs', now: () => 0 },
      { flush: { views: 1, ms: 1 }, keptDays: 3 },
    );
    await tryAccept('org-1', '2026-01-02', 10);
    expect(seen.map((s) => s.action).sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    for (const { action, pk } of seen)
      expect(allowed(ingestOrgsGrants, action, pk), `${action} ${pk}`).toBe(true);
    const salt = seen.find((s) => s.pk.startsWith('salt#'))!.pk;
    const key = seen.find((s) => s.pk.startsWith('key#'))!.pk;
    const usage = seen.find((s) => s.pk.startsWith('usage#'))!.pk;
    expect(allowed(queryOrgsGrants, 'dynamodb:GetItem', key)).toBe(true);
    for (const pk of [salt, usage, 'org#1234'])
      expect(allowed(queryOrgsGrants, 'dynamodb:GetItem', pk), pk).toBe(false);
    for (const pk of ['org#1234', key]) {
      expect(allowed(ingestOrgsGrants, 'dynamodb:PutItem', pk), pk).toBe(false);
      expect(allowed(ingestOrgsGrants, 'dynamodb:UpdateItem', pk), pk).toBe(false);
    }
  });

  it('lets the query function list, save and delete saved items, the only Orgs items it writes', async () => {
    const seen: { command: string; pk: string }[] = [];
    const doc = {
      send: async (command: {
        constructor: { name: string };
        input: { Key?: { pk: string }; Item?: { pk: string }; ExpressionAttributeValues?: { ':pk': string } };
      }) => {
        const { Key, Item, ExpressionAttributeValues } = command.input;
        seen.push({
          command: command.constructor.name,
          pk: (Key ?? Item)?.pk ?? ExpressionAttributeValues![':pk'],
        });
        return {};
      },
    } as never;
    const deps = { doc, orgsTable: 'Orgs', now: () => 0 };
    await listSaved(deps, 'org-1', 'segment');
    await putSaved(deps, 'org-1', 'funnel', { name: 'f', items: [] });
    await deleteSaved(deps, 'org-1', 'segment', 's');
    const action = {
      QueryCommand: 'dynamodb:Query',
      PutCommand: 'dynamodb:PutItem',
      DeleteCommand: 'dynamodb:DeleteItem',
    };
    expect(new Set(seen.map((s) => s.command))).toEqual(new Set(Object.keys(action)));
    for (const { command, pk } of seen) {
      const grant = (g: (typeof queryOrgsGrants)[number]) =>
        (g.actions as readonly string[]).includes(action[command as keyof typeof action]) &&
        g.patterns.some((p) => pk.startsWith(p.replace(/\*$/, '')));
      expect(queryOrgsGrants.some(grant), `${command} ${pk}`).toBe(true);
    }
    // Writes reach saved items alone: no pattern of a write grant matches an org, a key or a salt.
    const writes = queryOrgsGrants.filter(
      (g) => !(g.actions as readonly string[]).every((a) => a === 'dynamodb:GetItem'),
    );
    expect(writes.flatMap((g) => g.patterns)).toEqual([savedItemsPattern]);
  });

  it('lets only ingest send to the queue', () => {
    const queueArn = JSON.stringify({ 'Fn::GetAtt': [logicalId(aws.stack.visitQueue.queue), 'Arn'] });
    expect(allowedActions(aws.stack.ingest.appFunction.role).get(queueArn)).toContain('sqs:SendMessage');
    expect(allowedActions(aws.stack.query.appFunction.role).get(queueArn)).toBeUndefined();
  });
});

describe('functions', () => {
  it.each(['ingest', 'consume', 'query'] as const)(
    '%s bundles its handler.ts from lambdas/, the same file local/ runs',
    (name) => {
      const fns = { ingest: aws.stack.ingest, consume: aws.stack.consume, query: aws.stack.query };
      const entry = path.join(repoRoot, 'lambdas', name, 'handler.ts');
      expect(fns[name].appFunction.entry).toBe(entry);
      // The embedded local stack imports the same module (no second copy of any handler).
      expect(readFileSync(path.join(repoRoot, 'local/lambda-runtime.ts'), 'utf8')).toContain(
        `'../lambdas/${name}/handler.js'`,
      );
    },
  );

  it('run on arm64 and Node.js 22 with Powertools settings and their own log group with a retention', () => {
    const functions = Object.values(
      aws.template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: Match.anyValue() } } },
      }),
    );
    expect(functions.length).toBe(5); // ingest, consume, query, archiver, demo org
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: { Variables: { POWERTOOLS_LOG_LEVEL: 'INFO', NODE_OPTIONS: '--enable-source-maps' } },
      });
      const logGroup =
        aws.template.findResources('AWS::Logs::LogGroup')[fn.Properties.LoggingConfig.LogGroup.Ref];
      expect(logGroup?.Properties.RetentionInDays).toBe(30);
    }
  });

  it('are minified ESM bundles with the createRequire banner, source maps, and the AWS SDK bundled in', () => {
    const bundles = findAssetFiles(aws.outdir, 'index.mjs');
    expect(bundles.length).toBeGreaterThanOrEqual(4);
    for (const code of bundles) {
      expect(code.startsWith(esmRequireBanner)).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      // Nothing is imported from the runtime's copy of the SDK (a cold start loads it file by file).
      expect(code).not.toMatch(/from\s*"@aws-sdk\//);
    }
    // The DynamoDB client's wire protocol, so its code is in the bundle.
    expect(bundles.some((code) => code.includes('DynamoDB_20120810'))).toBe(true);
  });

  it('leave the AWS SDK out of ingest, which signs its own calls (its cold start, issue 25)', () => {
    // Only ingest sends to the queue; the SDK's user agent names `aws-sdk-js` in every bundle it is in.
    const senders = findAssetFiles(aws.outdir, 'index.mjs').filter((code) => code.includes('AmazonSQS'));
    expect(senders).toHaveLength(1);
    const ingest = senders[0]!;
    expect(ingest).not.toContain('aws-sdk-js');
    expect(ingest).toContain('AWS4-HMAC-SHA256');
    expect(ingest.length).toBeLessThan(200_000);
  });
});

describe('API (HTTP API)', () => {
  it('routes POST /visits and GET /visits', () => {
    aws.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /visits' });
    aws.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /visits' });
  });

  it('routes GET, PUT and DELETE /segments to the query function', () => {
    const integrations = aws.template.findResources('AWS::ApiGatewayV2::Integration');
    const queryArn = { 'Fn::GetAtt': [logicalId(aws.stack.query.appFunction.fn), 'Arn'] };
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const [route] = Object.values(
        aws.template.findResources('AWS::ApiGatewayV2::Route', {
          Properties: { RouteKey: `${method} /segments` },
        }),
      );
      const integrationId = (route!.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
      expect(integrations[integrationId.Ref]!.Properties.IntegrationUri).toEqual(queryArn);
    }
  });

  it('throttles the stage with the rate and burst from settings', () => {
    aws.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: throttling.rateLimitPerSecond,
        ThrottlingBurstLimit: throttling.burstLimit,
      },
    });
  });

  it('writes JSON access logs with the request id to a log group', () => {
    const stage = Object.values(aws.template.findResources('AWS::ApiGatewayV2::Stage'))[0]!;
    const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
    expect(DestinationArn).toEqual({ 'Fn::GetAtt': [logicalId(aws.stack.api.accessLogs), 'Arn'] });
    expect(JSON.parse(Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });

  it('lets any origin POST beacons, and offers no cross-origin GET (the dashboard is same-origin)', () => {
    aws.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['POST'] },
    });
  });
});

describe('Hosting (S3 + CloudFront)', () => {
  const distributions = () => Object.values(aws.template.findResources('AWS::CloudFront::Distribution'));

  it('keeps every bucket private and TLS-only, none of them a public website', () => {
    const buckets = aws.template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets).length).toBe(4); // site, dashboard, access logs, archive
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    }
    for (const policy of Object.values(aws.template.findResources('AWS::S3::BucketPolicy'))) {
      const statements = policy.Properties.PolicyDocument.Statement;
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
      // Nothing is granted to everyone: only CloudFront (OAC) reads objects.
      for (const s of statements.filter((x: { Effect: string }) => x.Effect === 'Allow')) {
        expect(s.Principal).not.toBe('*');
        expect(s.Principal).not.toEqual({ AWS: '*' });
      }
    }
  });

  it('reads both buckets through origin access control, never an OAI', () => {
    aws.template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    aws.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    expect(distributions()).toHaveLength(2);
    for (const d of distributions()) {
      const s3Origins = d.Properties.DistributionConfig.Origins.filter(
        (o: { S3OriginConfig?: unknown }) => o.S3OriginConfig,
      );
      expect(s3Origins).toHaveLength(1);
      expect(s3Origins[0].OriginAccessControlId).toBeDefined();
      expect(s3Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
    }
    for (const policy of Object.values(aws.template.findResources('AWS::S3::BucketPolicy'))) {
      const reads = policy.Properties.PolicyDocument.Statement.filter(
        (s: { Principal?: { Service?: string } }) => s.Principal?.Service === 'cloudfront.amazonaws.com',
      );
      for (const s of reads) expect(s.Condition.StringEquals['AWS:SourceArn']).toBeDefined();
    }
  });

  it('serves HTTPS only and reaches the API origin over TLS 1.2', () => {
    for (const d of distributions()) {
      const config = d.Properties.DistributionConfig;
      for (const behavior of [config.DefaultCacheBehavior, ...(config.CacheBehaviors ?? [])]) {
        expect(['redirect-to-https', 'https-only']).toContain(behavior.ViewerProtocolPolicy);
      }
      const custom = config.Origins.filter((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
      for (const origin of custom) {
        expect(origin.CustomOriginConfig).toMatchObject({
          OriginProtocolPolicy: 'https-only',
          OriginSSLProtocols: ['TLSv1.2'],
        });
      }
      expect(config.Logging.Bucket).toBeDefined();
    }
  });

  it('routes /api/* to the HTTP API with the prefix stripped, uncached unless the API says so', () => {
    for (const d of distributions()) {
      const api = d.Properties.DistributionConfig.CacheBehaviors.find(
        (b: { PathPattern: string }) => b.PathPattern === '/api/*',
      );
      expect(api).toMatchObject({
        AllowedMethods: expect.arrayContaining(['GET', 'POST', 'OPTIONS']),
        FunctionAssociations: [expect.objectContaining({ EventType: 'viewer-request' })],
      });
    }
    aws.template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        DefaultTTL: 0,
        MinTTL: 0,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['authorization', 'x-api-key'] },
          QueryStringsConfig: { QueryStringBehavior: 'all' },
        }),
      }),
    });
    expect(runViewerRequestFunction(stripApiPrefixCode, '/api/visits')).toBe('/visits');
    expect(runViewerRequestFunction(stripApiPrefixCode, '/api')).toBe('/');
    expect(runViewerRequestFunction(stripApiPrefixCode, '/apiary')).toBe('/apiary');
  });

  it.each([
    '/',
    '/index.html',
    '/pricing',
    '/pricing.html',
    '/support/',
    '/app',
    '/app/notes/3',
    '/styles.css',
    '/app.js',
    '/tracker.js',
    '/nope',
  ])('maps the site path %s the way the local server (pageForPath) does', async (uri) => {
    const { sitePages } = await import('../site/render.js');
    const mapped = runViewerRequestFunction(sitePathRewriteCode(sitePages), uri);
    const page = pageForPath(uri);
    expect(mapped).toBe(page ? `/${page}` : uri);
  });

  it.each([
    ['AWS::CloudFront::ResponseHeadersPolicy', 'ResponseHeadersPolicyConfig', 'Name', 2],
    ['AWS::CloudFront::OriginAccessControl', 'OriginAccessControlConfig', 'Name', 2],
    ['AWS::CloudFront::CachePolicy', 'CachePolicyConfig', 'Name', 1],
    ['AWS::CloudFront::Function', undefined, 'Name', 2],
  ] as const)(
    'names every %s per stack and region (such names are unique per account)',
    (type, config, key, count) => {
      const resources = Object.values(aws.template.findResources(type));
      expect(resources).toHaveLength(count);
      const names = resources.map((r) => (config ? r.Properties[config] : r.Properties)[key]);
      for (const name of names) {
        expect(name).toEqual({
          'Fn::Join': [
            '',
            [
              expect.stringMatching(/^Pageviews-$/),
              { Ref: 'AWS::Region' },
              expect.stringMatching(/^-[a-z-]+$/),
            ],
          ],
        });
      }
      expect(new Set(names.map((n) => JSON.stringify(n))).size).toBe(count);
    },
  );

  it('adds HSTS, nosniff, frame-deny, a referrer policy and a CSP that allows only the known inline scripts', () => {
    const policies = Object.values(aws.template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      expect(headers).toMatchObject({
        StrictTransportSecurity: {
          AccessControlMaxAgeSec: 63072000,
          IncludeSubdomains: true,
          Override: true,
        },
        ContentTypeOptions: { Override: true },
        FrameOptions: { FrameOption: 'DENY', Override: true },
        ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
      });
      const csp = JSON.stringify(headers.ContentSecurityPolicy.ContentSecurityPolicy);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    }
    const csps = policies.map((p) =>
      JSON.stringify(p.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy),
    );
    // The site: the inline script of its SPA page (site/public/app.html), and the ingest function URL for beacons.
    const siteHashes = inlineScriptHashes(path.join(repoRoot, 'site/public'));
    const siteCsp = csps.find((csp) => csp.includes('FunctionUrl'))!;
    for (const hash of siteHashes) expect(siteCsp).toContain(hash);
    // The dashboard stand-in has one inline script: exactly its hash is allowed.
    const dashboardHash = `'sha256-${createHash('sha256').update('window.dashboardTest = 1;').digest('base64')}'`;
    const dashboardCsp = csps.find((csp) => csp !== siteCsp)!;
    expect(dashboardCsp).toContain(`script-src 'self' ${dashboardHash};`);
    expect(dashboardCsp).toContain("connect-src 'self';");
    // every distribution has its policy on every behaviour
    for (const d of distributions()) {
      const config = d.Properties.DistributionConfig;
      for (const behavior of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
        expect(behavior.ResponseHeadersPolicyId).toBeDefined();
      }
    }
  });
});

describe('Content', () => {
  it('deploys the site with the demo site key and the API URL put in at deploy time, never typed in', () => {
    const deployments = Object.values(aws.template.findResources('Custom::CDKBucketDeployment'));
    const site = deployments.find(
      (d) => d.Properties.DestinationBucketName.Ref === logicalId(aws.stack.hosting.siteBucket),
    );
    const markers = JSON.stringify(site?.Properties.SourceMarkers);
    expect(markers).toContain(
      JSON.stringify({
        'Fn::GetAtt': [
          aws.stack.getLogicalId(aws.stack.demoOrg!.node.findChild('Resource').node.defaultChild as never),
          'SiteKey',
        ],
      }),
    );
    // The tracker posts beacons to the ingest function URL.
    expect(markers).toContain(
      JSON.stringify({
        'Fn::GetAtt': [
          logicalId(aws.stack.ingest.appFunction.fn.node.findChild('FunctionUrl')),
          'FunctionUrl',
        ],
      }),
    );
    const pages = findAssetFiles(aws.outdir, 'index.html').filter((html) => html.includes('data-key='));
    expect(pages.length).toBeGreaterThan(0);
    for (const html of pages) {
      expect(html).not.toContain(sitePlaceholders.siteKey);
      expect(html).toContain('<<marker:0xbaba:');
    }
    expect(findAssetFiles(aws.outdir, 'tracker.js')).toEqual(['(()=>{})();']);
  });

  it('gives the dashboard a config.json whose API is the same-origin /api', () => {
    expect(findAssetFiles(aws.outdir, 'config.json').map((text) => JSON.parse(text))).toContainEqual({
      apiUrl: '/api',
    });
  });

  it('gives every custom resource a ServiceTimeout, so a handler that never answers fails the deploy in minutes, not an hour', () => {
    const custom = Object.entries(
      aws.template.toJSON().Resources as Record<
        string,
        { Type: string; Properties: Record<string, unknown> }
      >,
    ).filter(([, r]) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource');
    expect(custom.map(([, r]) => r.Type).sort()).toEqual([
      'Custom::CDKBucketDeployment',
      'Custom::CDKBucketDeployment',
      'Custom::DemoOrg',
    ]);
    for (const [id, resource] of custom) {
      const seconds = Number(resource.Properties.ServiceTimeout);
      expect(seconds, id).toBeGreaterThan(0);
      expect(seconds, id).toBeLessThanOrEqual(16 * 60);
    }
    const demoOrg = custom.find(([, r]) => r.Type === 'Custom::DemoOrg')![1];
    expect(demoOrg.Properties.ServiceTimeout).toBe(String(demoOrgServiceTimeout.toSeconds()));
  });

  it('never puts a read key into the template', () => {
    expect(JSON.stringify(aws.template.toJSON())).not.toMatch(/ReadKey/i);
  });
});

describe('Monitoring', () => {
  const alarms = () =>
    Object.values(aws.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);

  it('alarms on any dead-lettered visit and on the age of the oldest queued visit', () => {
    expect(alarms()).toContainEqual(
      expect.objectContaining({
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [logicalId(aws.stack.visitQueue.deadLetterQueue), 'QueueName'] },
          },
        ],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
    expect(alarms()).toContainEqual(
      expect.objectContaining({
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [logicalId(aws.stack.visitQueue.queue), 'QueueName'] },
          },
        ],
        Threshold: oldestMessageAlarmSeconds,
      }),
    );
  });

  it("alarms on the consumer's errors and throttles and the archiver's errors (the API functions' show as API 5xx)", () => {
    const consumer = logicalId(aws.stack.consume.appFunction.fn);
    const archiver = logicalId(aws.stack.archive.archiver.fn);
    const watched = alarms()
      .filter((a) => a.Namespace === 'AWS/Lambda')
      .map((a) => `${a.MetricName} ${a.Dimensions[0].Value.Ref}`)
      .sort();
    expect(watched).toEqual([`Errors ${archiver}`, `Errors ${consumer}`, `Throttles ${consumer}`].sort());
  });

  it('alarms on API 5xx, with no CloudWatch dashboard unless asked for', () => {
    expect(alarms()).toContainEqual(
      expect.objectContaining({ Namespace: 'AWS/ApiGateway', MetricName: '5xx' }),
    );
    aws.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  it('sends every alarm to the alarm topic, with no e-mail subscription unless alarmEmail is given', () => {
    aws.template.resourceCountIs('AWS::SNS::Topic', 1);
    aws.template.resourceCountIs('AWS::SNS::Subscription', 0);
    const topic = Object.keys(aws.template.findResources('AWS::SNS::Topic'))[0]!;
    for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
  });
});

describe('outputs', () => {
  it('prints the dashboard, site and API URLs, the tracker snippet, and the table and queue names', () => {
    const outputs = aws.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'DashboardUrl',
        'SiteUrl',
        'ApiUrl',
        'BeaconUrl',
        'TrackerSnippet',
        'TrackerUrl',
        'OrgsTableName',
        'CountersTableName',
        'VisitsTableName',
        'QueueUrl',
        'DeadLetterQueueUrl',
        'DemoSiteKey',
      ]),
    );
    expect(outputs.OrgsTableName!.Value).toEqual(ref(logicalId(aws.stack.storage.tables.orgs)));
    expect(outputs.QueueUrl!.Value).toEqual(ref(logicalId(aws.stack.visitQueue.queue)));
    const snippet = JSON.stringify(outputs.TrackerSnippet!.Value);
    expect(snippet).toContain('<script defer src=\\"https://');
    expect(snippet).toContain('/tracker.js\\" data-key=\\"YOUR_SITE_KEY\\" data-api=\\"');
    // Beacons go to the ingest function URL, not through the HTTP API.
    expect(snippet).toContain('FunctionUrl');
    expect(snippet).not.toContain('ApiEndpoint');
  });
});

describe('Archive (S3 Parquet, Glue, Athena, the scheduled archiver)', () => {
  const bucketId = () => logicalId(aws.stack.archive.bucket);

  it('keeps the archive private, encrypted, TLS-only, logged, and expires Athena results', () => {
    const bucket = aws.template.findResources('AWS::S3::Bucket')[bucketId()]!;
    expect(
      bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({
      Ref: logicalId((aws.stack.hosting as CdnHosting).logBucket),
    });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({
        Prefix: 'athena-results/',
        ExpirationInDays: athenaResultsDays,
        Status: 'Enabled',
      }),
    ]);
    const policy = Object.values(aws.template.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === bucketId(),
    )!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
  });

  it('defines the Glue tables of the rows and the visit pages, with partition projection on org and day (no crawler)', () => {
    const tables = Object.values(aws.template.findResources('AWS::Glue::Table')).map(
      (table) => table.Properties.TableInput,
    );
    const byName = (name: string) => tables.find((input) => input.Name === name)!;
    const rows = byName(archive.tables.rows);
    const visitPages = byName(archive.tables.visitPages);
    expect(tables).toHaveLength(2);
    expect(rows.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual([
      ...archiveColumns,
      'visit',
    ]);
    expect(visitPages.StorageDescriptor.Columns).toEqual(
      visitPageColumns.map((name) => ({ Name: name, Type: visitPageColumnTypes[name] ?? 'string' })),
    );
    for (const [input, prefix] of [
      [rows, 'visits'],
      [visitPages, 'visit-pages'],
    ] as const) {
      expect(input.PartitionKeys).toEqual([
        { Name: 'org', Type: 'string' },
        { Name: 'day', Type: 'string' },
      ]);
      expect(input.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.org.type': 'injected',
        'projection.day.type': 'date',
        'projection.day.format': 'yyyy-MM-dd',
      });
      expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain(
        `/${prefix}/org=\${org}/day=\${day}/`,
      );
    }
    expect(aws.template.findResources('AWS::Glue::Crawler')).toEqual({});
  });

  it('cuts an Athena query off past its bytes scanned and writes results under the expiring prefix, encrypted', () => {
    aws.template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        BytesScannedCutoffPerQuery: bytesScannedCutoff,
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: {
          OutputLocation: Match.anyValue(),
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
        },
      }),
    });
  });

  it('runs the archiver on a schedule', () => {
    expect(archive.everyMinutes).toBe(60);
    aws.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)', // archive.everyMinutes
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(aws.stack.archive.archiver.fn), 'Arn'] } }),
      ],
    });
  });

  it('grants the archiver the orgs scan, visitor-day and counter queries and deletes (retention) and the two archive prefixes, nothing else', () => {
    const statements = statementsOf(aws.stack.archive.archiver.role);
    const actions = statements.flatMap((s) => [s.Action].flat());
    const allowed = allowedActions(aws.stack.archive.archiver.role);
    const tables = aws.stack.storage.tables;
    const onTable = (table: keyof typeof tables) =>
      allowed.get(JSON.stringify({ 'Fn::GetAtt': [logicalId(tables[table]), 'Arn'] }))?.sort();
    expect(onTable('orgs')).toEqual(['dynamodb:Scan']);
    // Retention deletes an org's old counter items and visitor-days, 25 to a request.
    expect(onTable('counters')).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
    expect(onTable('visits')).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
    const variables =
      aws.template.findResources('AWS::Lambda::Function')[logicalId(aws.stack.archive.archiver.fn)]!
        .Properties.Environment.Variables;
    expect(variables[envNames.countersTable]).toEqual(ref(logicalId(tables.counters)));
    expect(new Set(actions)).toEqual(
      new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'dynamodb:Scan',
        'dynamodb:Query',
        'dynamodb:BatchWriteItem',
        's3:GetObject',
        's3:PutObject',
        's3:DeleteObject',
        's3:ListBucket',
      ]),
    );
    const objects = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(JSON.stringify(objects)).toContain('/visits/*');
    expect(JSON.stringify(objects)).toContain('/visit-pages/*');
    expect(JSON.stringify(objects)).toContain('/progress/*');
    expect(JSON.stringify(objects)).not.toContain('athena-results');
  });

  it('lets the query function run Athena in its workgroup only, read the archive and write only the results prefix', () => {
    const statements = statementsOf(aws.stack.query.appFunction.role);
    const athena = statements.find((s) => [s.Action].flat().includes('athena:StartQueryExecution'))!;
    expect(JSON.stringify(athena.Resource)).toContain(':workgroup/');
    const writes = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(JSON.stringify(writes)).toContain('athena-results/*');
    expect(JSON.stringify(writes)).not.toContain('/visits/*');
    const variables =
      aws.template.findResources('AWS::Lambda::Function')[logicalId(aws.stack.query.appFunction.fn)]!
        .Properties.Environment.Variables;
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining([
        envNames.athenaWorkgroup,
        envNames.archiveDatabase,
        envNames.archiveTable,
        envNames.archiveBucket,
      ]),
    );
    expect(variables[envNames.archiveDir]).toBeUndefined();
  });
});
