import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { envNames } from '../../lambdas/core/settings.js';
import { esmRequireBanner, externalModules } from '../bundling.js';
import { lockFile, repoRoot } from '../paths.js';

/** One place for the runtime, so moving every function to a newer Node.js is a one-line change. */
const lambdaRuntime = Runtime.NODEJS_22_X;

export interface AppFunctionProps {
  /** The handler file (one of `handlerEntries`). */
  readonly entry: string;
  /** Powertools service name, also part of the function's description. */
  readonly serviceName: string;
  readonly description: string;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  readonly logRetention?: RetentionDays;
  readonly reservedConcurrentExecutions?: number;
  /** Removal policy of the function's log group. */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Leave out Lambda's START / END / REPORT lines (JSON log format, system log level WARN): for a
   * function invoked once per page view they are most of its log bytes, $0.16 per 1M views.
   * Duration and errors stay in CloudWatch metrics; the function's own logs are unchanged.
   */
  readonly withoutPlatformLines?: boolean;
}

/**
 * A NodejsFunction with the project's defaults: arm64, Node.js 22, ESM, minified with source
 * maps, the AWS SDK bundled in (infra/bundling.ts), local esbuild (no Docker), its own log group with a
 * retention period, and the Powertools environment.
 */
export class AppFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** The handler file this function bundles. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // An own role instead of the managed AWSLambdaBasicExecutionRole (logs:* on every log group):
    // this function may write to its own log group and, through the bind helpers, nothing else.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.serviceName} function: its log group plus what its bindings grant`,
    });
    this.logGroup.grantWrite(this.role);
    this.fn = new NodejsFunction(this, 'Function', {
      role: this.role,
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambdaRuntime,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      logGroup: this.logGroup,
      ...(props.withoutPlatformLines
        ? {
            loggingFormat: LoggingFormat.JSON,
            systemLogLevelV2: SystemLogLevel.WARN,
            applicationLogLevelV2: ApplicationLogLevel[props.logLevel ?? 'INFO'],
          }
        : {}),
      projectRoot: repoRoot,
      depsLockFilePath: lockFile,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: esmRequireBanner,
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        externalModules: [...externalModules],
        forceDockerBundling: false,
      },
    });
  }
}

/** DynamoDB actions, named for what a binding lets a function do. */
export const tableAccess = {
  /** Point reads and queries. */
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  /** Point reads only: look an item up by its key. */
  lookup: ['dynamodb:GetItem'],
  /**
   * What TransactWriteItems needs: IAM has no TransactWriteItems action, a transaction is
   * authorised item by item with the underlying Put/Update/ConditionCheck actions.
   */
  transactWrite: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
  /** Read a batch of items strongly consistent, then write them back in a transaction (the consumer's visitor-days). */
  readThenTransactWrite: [
    'dynamodb:BatchGetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const;

export type TableEnv = 'orgsTable' | 'countersTable' | 'visitsTable';

/**
 * Grants a function access to a table AND sets the environment variable that names it, so the
 * permission and the configuration cannot drift apart (the idea of Powertools' `bindTable`).
 * The variable names come from the settings module the handlers and `local/` read.
 */
export function bindTable(
  fn: NodejsFunction,
  env: TableEnv,
  table: ITable,
  actions: readonly string[],
): void {
  table.grant(fn, ...actions);
  fn.addEnvironment(envNames[env], table.tableName);
}

/**
 * Allows item actions only on items whose partition key matches one of `patterns` (IAM's
 * `dynamodb:LeadingKeys` condition key, `ForAllValues:StringLike`: every partition key the
 * request touches must match).
 */
export function grantForLeadingKeys(
  fn: NodejsFunction,
  table: ITable,
  actions: readonly string[],
  patterns: readonly string[],
): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [...actions],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] } },
    }),
  );
}

/**
 * `bindTable` for a table a function may use only in part: each grant allows its actions on the
 * items whose partition keys match its patterns, and the environment variable names the table.
 */
export function bindTableItems(
  fn: NodejsFunction,
  env: TableEnv,
  table: ITable,
  grants: readonly { actions: readonly string[]; patterns: readonly string[] }[],
): void {
  for (const { actions, patterns } of grants) grantForLeadingKeys(fn, table, actions, patterns);
  fn.addEnvironment(envNames[env], table.tableName);
}

/** Lets a function send to a queue and sets QUEUE_URL to it. */
export function bindQueueSender(fn: NodejsFunction, queue: IQueue): void {
  queue.grantSendMessages(fn);
  fn.addEnvironment(envNames.queueUrl, queue.queueUrl);
}
