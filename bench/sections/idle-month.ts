/**
 * The idle month: what a deployed stack costs in a month with no traffic, item by item, read
 * from the synthesized template (so the figure follows the stack: an alarm added is a line
 * that grows). List prices in us-east-1, without the free tier (which would make all of it free
 * in most accounts: 10 alarms, 3 dashboards, 1M SQS requests).
 *
 *   npm run bench -- --idle-month     this section only: prints it and updates docs/BENCHMARKS.md
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../../infra/create-app.js';
import { testWebAssets } from '../../infra/web-assets.js';

/** Monthly list prices (us-east-1, checked 2026-12) of what costs money while nothing happens. */
export const idlePrices = {
  /** CloudWatch, standard-resolution alarm on one metric. */
  alarm: 0.1,
  /** CloudWatch dashboard (an account's first three are free). */
  dashboard: 3.0,
  /** WAF: web ACL, and each rule in it. */
  webAcl: 5.0,
  webAclRule: 1.0,
  /** KMS customer-managed key (SQS- and S3-managed keys cost nothing). */
  kmsKey: 1.0,
  /** SQS, per million requests. */
  sqsPerMillion: 0.4,
} as const;

/**
 * Lambda's SQS event source long-polls an empty queue: about five pollers, each a 20-second
 * ReceiveMessage, i.e. 3 a minute each (AWS does not publish the exact figure; this is the
 * commonly measured one). Billed as SQS requests.
 */
export const idleSqsPollsPerMonth = 5 * 3 * 60 * 24 * 30;

export interface IdleRow {
  item: string;
  count: number;
  monthlyUsd: number;
  note: string;
}

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, any> }> };

export function idleMonth(template: Template): { rows: IdleRow[]; totalUsd: number } {
  const resources = Object.values(template.Resources);
  const count = (type: string) => resources.filter((r) => r.Type === type).length;
  const alarms = count('AWS::CloudWatch::Alarm');
  const dashboards = count('AWS::CloudWatch::Dashboard');
  const webAcls = resources.filter((r) => r.Type === 'AWS::WAFv2::WebACL');
  const rules = webAcls.reduce((sum, acl) => sum + (acl.Properties?.Rules?.length ?? 0), 0);
  const pollers = count('AWS::Lambda::EventSourceMapping');
  const tables = resources.filter(
    (r) => r.Type === 'AWS::DynamoDB::GlobalTable' || r.Type === 'AWS::DynamoDB::Table',
  );
  const pitr = tables.filter((t) =>
    JSON.stringify(t.Properties ?? {}).includes('"PointInTimeRecoveryEnabled":true'),
  );
  const rows: IdleRow[] = [
    {
      item: 'CloudWatch alarms',
      count: alarms,
      monthlyUsd: alarms * idlePrices.alarm,
      note: `$${idlePrices.alarm.toFixed(2)} each, billed with or without data`,
    },
    {
      item: 'SQS polls of the empty visit queue',
      count: pollers * idleSqsPollsPerMonth,
      monthlyUsd: (pollers * idleSqsPollsPerMonth * idlePrices.sqsPerMillion) / 1e6,
      note: 'Lambda long-polls the queue: ~5 pollers x 3 ReceiveMessage a minute; free within 1M requests a month',
    },
    {
      item: 'CloudWatch dashboard',
      count: dashboards,
      monthlyUsd: dashboards * idlePrices.dashboard,
      note: dashboards ? 'asked for with -c dashboard=true' : 'off by default; -c dashboard=true adds $3.00',
    },
    {
      item: 'WAF web ACL and rules',
      count: webAcls.length + rules,
      monthlyUsd: webAcls.length * idlePrices.webAcl + rules * idlePrices.webAclRule,
      note: webAcls.length ? 'asked for with -c waf=true' : 'off by default; -c waf=true adds $6.00',
    },
    {
      item: 'KMS customer-managed keys',
      count: count('AWS::KMS::Key'),
      monthlyUsd: count('AWS::KMS::Key') * idlePrices.kmsKey,
      note: 'queues and buckets use SQS- and S3-managed keys',
    },
    {
      item: 'DynamoDB tables (on demand) with point-in-time recovery',
      count: tables.length,
      monthlyUsd: 0,
      note: `no capacity to pay for; storage $0.25 and PITR $0.20 per GB-month of data kept (${pitr.length} of ${tables.length} with PITR)`,
    },
    {
      item: 'Log groups',
      count: count('AWS::Logs::LogGroup'),
      monthlyUsd: 0,
      note: '$0.03 per GB-month stored, 30 days kept; nothing is written without traffic',
    },
    {
      item: 'Lambda functions, reserved concurrency, API, CloudFront, SNS topic',
      count:
        count('AWS::Lambda::Function') +
        count('AWS::ApiGatewayV2::Api') +
        count('AWS::ApiGateway::RestApi') +
        count('AWS::CloudFront::Distribution') +
        count('AWS::SNS::Topic'),
      monthlyUsd: 0,
      note: 'billed per request or invocation only',
    },
    {
      item: 'S3 (site, dashboard, access logs)',
      count: count('AWS::S3::Bucket'),
      monthlyUsd: 0,
      note: 'a few MB at $0.023 per GB-month: under a cent',
    },
  ];
  return { rows, totalUsd: rows.reduce((sum, r) => sum + r.monthlyUsd, 0) };
}

/** The AWS target's template as `cdk synth` builds it (bundling skipped: only configuration counts). */
export async function synthesizedTemplate(context: Record<string, string> = {}): Promise<Template> {
  const web = await testWebAssets();
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk.out-idle-'));
  try {
    const { app, stack } = createApp({
      web,
      outdir,
      context: { ...context, 'aws:cdk:bundling-stacks': [] },
      builtinCloudFormationValidation: false,
    });
    return app.synth().getStackByName(stack.stackName).template as Template;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(web.root, { recursive: true, force: true });
  }
}

const usd = (n: number) => `$${n.toFixed(2)}`;

export function idleMonthMarkdown(idle: { rows: IdleRow[]; totalUsd: number }): string {
  return [
    '## The idle month',
    '',
    'What the default AWS deploy costs in a month with no traffic, read from its synthesized template',
    '(`npm run bench -- --idle-month`). List prices in us-east-1 without the free tier, which covers all',
    'of it in most accounts (10 alarms, 3 dashboards, 1M SQS requests a month). Budget: $1.00.',
    '',
    '| item | count | per month | note |',
    '| --- | ---: | ---: | --- |',
    ...idle.rows.map(
      (r) => `| ${r.item} | ${r.count.toLocaleString('en-US')} | ${usd(r.monthlyUsd)} | ${r.note} |`,
    ),
    `| **total** | | **${usd(idle.totalUsd)}** | |`,
    '',
  ].join('\n');
}

export function idleMonthText(idle: { rows: IdleRow[]; totalUsd: number }): string {
  const width = Math.max(...idle.rows.map((r) => r.item.length));
  return [
    'Idle month (no traffic, list prices, us-east-1):',
    ...idle.rows.map(
      (r) => `  ${r.item.padEnd(width)}  ${String(r.count).padStart(7)}  ${usd(r.monthlyUsd).padStart(6)}`,
    ),
    `  ${'total'.padEnd(width)}  ${''.padStart(7)}  ${usd(idle.totalUsd).padStart(6)}`,
  ].join('\n');
}

const start = '<!-- idle-month:start -->';
const end = '<!-- idle-month:end -->';

/** Puts the section into BENCHMARKS.md between its markers (appended the first time), leaving the rest as it is. */
export function writeIdleMonth(reportFile: string, section: string): void {
  let text = '';
  try {
    text = readFileSync(reportFile, 'utf8');
  } catch {
    // no report yet: the section alone
  }
  const block = `${start}\n${section}${end}\n`;
  const at = text.indexOf(start);
  const after = text.indexOf(end);
  text =
    at >= 0 && after > at
      ? `${text.slice(0, at)}${block}${text.slice(after + end.length + 1)}`
      : `${text.trimEnd()}\n\n${block}`;
  writeFileSync(reportFile, text);
}
