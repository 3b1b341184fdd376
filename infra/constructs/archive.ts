import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { visitPageColumnTypes, visitPageColumns } from '../../lambdas/core/archive/parquet.js';
import { archiveColumns } from '../../lambdas/core/archive/row.js';
import { archive, envNames } from '../../lambdas/core/settings.js';
import { handlerEntries } from '../paths.js';
import { AppFunction, bindTable } from './function.js';

/** Athena's answers are kept this long, then expire (they are copies of what the archive holds). */
export const athenaResultsDays = 7;
/** Per query: past this many bytes scanned Athena cancels it (a 12-month breakdown of a 10,000-visitor-a-day site scans a few hundred MB). */
export const bytesScannedCutoff = 10 * 1024 ** 3;
const resultsPrefix = 'athena-results/';

interface GlueColumn {
  name: string;
  type: string;
}

export interface ArchiveProps {
  readonly removalPolicy: RemovalPolicy;
  readonly orgsTable: ITableV2;
  readonly visitsTable: ITableV2;
  /** Retention removes an org's old days from the counters too. */
  readonly countersTable: ITableV2;
  /** Server access logs (the hosting's log bucket on AWS). */
  readonly accessLogsBucket?: IBucket;
  /** Athena and Glue: AWS only (LocalStack's free plan has S3 but neither of them). */
  readonly engine: boolean;
}

/**
 * Archive promises: the visits of closed days as Parquet in an encrypted, private, TLS-only
 * bucket (`visits/org=<id>/day=<YYYY-MM-DD>/` and the day's visit pages under `visit-pages/`),
 * written by the scheduled archiver (lambdas/archive/handler.ts) with read access to the orgs
 * table, queries and deletes on the visits and counters tables (an org's retention) and write
 * access to the archive's prefixes only. On AWS, a Glue table over each with partition projection (no
 * crawler, no partitions to add) and an Athena workgroup that cancels a query past its
 * bytes-scanned cutoff and writes its results under a prefix that expires.
 */
export class Archive extends Construct {
  readonly bucket: Bucket;
  readonly archiver: AppFunction;
  readonly schedule: Rule;
  readonly database?: CfnDatabase;
  readonly table?: CfnTable;
  readonly visitPagesTable?: CfnTable;
  readonly workgroup?: CfnWorkGroup;

  constructor(scope: Construct, id: string, props: ArchiveProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      ...(props.accessLogsBucket
        ? { serverAccessLogsBucket: props.accessLogsBucket, serverAccessLogsPrefix: 's3/archive/' }
        : {}),
      lifecycleRules: [{ prefix: resultsPrefix, expiration: Duration.days(athenaResultsDays) }],
      removalPolicy: props.removalPolicy,
    });

    this.archiver = new AppFunction(this, 'Archiver', {
      entry: handlerEntries.archive,
      serviceName: 'archive',
      description:
        "Scheduled: closed days of every org, from the visitor-days to Parquet in the archive bucket; then removes days past an org's retention",
      timeout: Duration.minutes(5),
      memorySize: 1024,
    });
    const fn = this.archiver.fn;
    // listOrgs scans the (small) orgs table.
    bindTable(fn, 'orgsTable', props.orgsTable, ['dynamodb:Scan']);
    // Retention (lambdas/archive/retention.ts): finds an org's old items and deletes them.
    bindTable(fn, 'visitsTable', props.visitsTable, ['dynamodb:Query', 'dynamodb:BatchWriteItem']);
    bindTable(fn, 'countersTable', props.countersTable, ['dynamodb:Query', 'dynamodb:BatchWriteItem']);
    this.bindArchive(fn, 'write');
    this.schedule = new Rule(this, 'Schedule', {
      description: 'Runs the archiver: every closed day not yet archived',
      schedule: Schedule.rate(Duration.minutes(archive.everyMinutes)),
      targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
    });

    if (!props.engine) return;
    const stack = Stack.of(this);
    this.database = new CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: `${stack.stackName.toLowerCase()}_archive`,
        description: 'The page-view archive',
      },
    });
    const table = (id: string, name: string, prefix: string, description: string, columns: GlueColumn[]) => {
      const location = `s3://${this.bucket.bucketName}/${prefix}/`;
      return new CfnTable(this, id, {
        catalogId: stack.account,
        databaseName: this.database!.ref,
        tableInput: {
          name,
          description,
          tableType: 'EXTERNAL_TABLE',
          partitionKeys: [
            { name: 'org', type: 'string' },
            { name: 'day', type: 'string' },
          ],
          parameters: {
            classification: 'parquet',
            // Partition projection: Athena computes the partitions from the query's org and day.
            'projection.enabled': 'true',
            'projection.org.type': 'injected',
            'projection.day.type': 'date',
            'projection.day.format': 'yyyy-MM-dd',
            'projection.day.range': `${archive.firstDay},NOW`,
            'projection.day.interval': '1',
            'projection.day.interval.unit': 'DAYS',
            'storage.location.template': `${location}org=\${org}/day=\${day}/`,
          },
          storageDescriptor: {
            location,
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serdeInfo: {
              serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
            },
            columns,
          },
        },
      });
    };
    this.table = table(
      'Table',
      archive.tables.rows,
      archive.rowsPrefix,
      'One row per page view or event, with its visit number (lambdas/core/archive/row.ts)',
      [
        ...archiveColumns.map((name) => ({ name, type: name === 'time' ? 'bigint' : 'string' })),
        { name: 'visit', type: 'int' },
      ],
    );
    this.visitPagesTable = table(
      'VisitPagesTable',
      archive.tables.visitPages,
      archive.visitPagesPrefix,
      "One row per page viewed in a visit, with the visit's figures (lambdas/core/archive/visits.ts)",
      visitPageColumns.map((name) => ({ name, type: visitPageColumnTypes[name] ?? 'string' })),
    );
    this.workgroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: `${stack.stackName}-archive`,
      description: 'Filtered questions of the query function over the archive',
      state: 'ENABLED',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        bytesScannedCutoffPerQuery: bytesScannedCutoff,
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/${resultsPrefix}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
  }

  /** Lets a function read (or write) the archive's rows and progress, and names the bucket in its environment. */
  bindArchive(fn: NodejsFunction, access: 'read' | 'write'): void {
    const prefixes = [
      `${archive.rowsPrefix}/*`,
      `${archive.visitPagesPrefix}/*`,
      `${archive.progressPrefix}/*`,
    ];
    const actions =
      access === 'write' ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] : ['s3:GetObject'];
    fn.addToRolePolicy(
      new PolicyStatement({ actions, resources: prefixes.map((p) => this.bucket.arnForObjects(p)) }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': prefixes } },
      }),
    );
    fn.addEnvironment(envNames.archiveBucket, this.bucket.bucketName);
  }

  /** Lets the query function ask Athena: its workgroup, the Glue table, the archive and the results prefix. */
  bindEngine(fn: NodejsFunction): void {
    if (!this.workgroup || !this.database || !this.table || !this.visitPagesTable) return;
    const stack = Stack.of(this);
    this.bindArchive(fn, 'read');
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
        resources: [
          stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workgroup.name }),
        ],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
        resources: [
          stack.formatArn({ service: 'glue', resource: 'catalog' }),
          stack.formatArn({ service: 'glue', resource: 'database', resourceName: this.database.ref }),
          ...Object.values(archive.tables).map((table) =>
            stack.formatArn({
              service: 'glue',
              resource: 'table',
              resourceName: `${this.database!.ref}/${table}`,
            }),
          ),
        ],
      }),
    );
    // Athena reads the rows and writes its results as the caller.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.bucket.arnForObjects(`${resultsPrefix}*`)],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:GetBucketLocation'], resources: [this.bucket.bucketArn] }),
    );
    fn.addEnvironment(envNames.athenaWorkgroup, this.workgroup.name);
    fn.addEnvironment(envNames.archiveDatabase, this.database.ref);
    // The rows' table; the visit pages' is named in settings beside it (archive.tables).
    fn.addEnvironment(envNames.archiveTable, archive.tables.rows);
  }
}
