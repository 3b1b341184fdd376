/**
 * Which stack `npm run org` manages, chosen explicitly:
 *
 *   --local                          the running local stack (`npm start`)
 *   --aws [--profile P] [--region R] a deployed stack, with the AWS SDK's credential chain
 *   --stack NAME                     that deployed stack (implies --aws; default Pageviews)
 *
 * With none of them: the running local stack if there is one, else AWS. AWS credentials and
 * region come from wherever the SDK finds them (environment, the default or --profile profile,
 * SSO, `aws login`, CloudShell, an instance or container role), never from guessing at
 * environment variables. The Orgs table is ORGS_TABLE, or the stack's OrgsTableName output.
 *
 * The chosen target is described in one line (the CLI's first line of output), and every error
 * from the target's clients names it, so a 401 from the wrong table is never a mystery.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ImportDeps } from '../lambdas/archive/import.js';
import { fileBlobStore, s3BlobStore } from '../lambdas/core/archive/blobs.js';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { OrgsDeps } from '../lambdas/core/store/orgs.js';
import { envNames, stackName as defaultStackName } from '../lambdas/core/settings.js';
import { StackNotRunningError, localDataDir, readStackFile, type StackFile } from '../local/data-dir.js';

/** The options `npm run org` takes to choose its target (node:util parseArgs form). */
export const targetOptions = {
  local: { type: 'boolean' },
  aws: { type: 'boolean' },
  profile: { type: 'string' },
  region: { type: 'string' },
  stack: { type: 'string' },
} as const;

export const targetUsage = `Target (default: the running local stack, else AWS):
  --local | --aws [--profile P] [--region R] | --stack <name>`;

export interface TargetFlags {
  local?: boolean;
  aws?: boolean;
  profile?: string;
  region?: string;
  stack?: string;
}

export interface OrgTarget {
  kind: 'local' | 'aws';
  /** What the CLI prints first: which target, and why it was chosen. */
  description: string;
  deps: OrgsDeps;
  /** The target's dashboard address, for links (the local stack's, or the deployed stack's DashboardUrl output), if it can be found. */
  dashboardUrl(): Promise<string | undefined>;
  /** The counters, visitor-days and archive, for `import` (found when first asked). */
  dataDeps(): Promise<ImportDeps>;
  /** tracker.js and the API, for the tag to paste (the local stack's, or the stack's TrackerUrl and ApiUrl outputs), if they can be found. */
  trackerUrls(): Promise<{ tracker: string; api: string } | undefined>;
  /** The visit queue and its dead-letter queue (local, or the stack's QueueUrl and DeadLetterQueueUrl outputs), for redrive. */
  queues(): Promise<VisitQueues>;
}

export interface VisitQueues {
  sqs: SQSClient;
  queueUrl: string;
  deadLetterQueueUrl: string;
}

/** A target that cannot be used as asked; the message says what to do instead. */
class TargetError extends Error {
  override name = 'TargetError';
}

/**
 * The one place that asks whether a local stack is running: its stack file, or why the one
 * whose stack.json is left over is not (its process is gone).
 */
function localStackState(): { running?: StackFile; stopped?: string } {
  try {
    return { running: readStackFile() };
  } catch (error) {
    if (error instanceof StackNotRunningError) return { stopped: error.message };
    throw error;
  }
}

/** How to reach a local stack that `npm start` runs with another data folder. */
const otherDataDirHint =
  'If npm start runs with another PAGEVIEWS_DATA_DIR (it prints its data folder), run this with the same one: PAGEVIEWS_DATA_DIR=<that folder> npm run org -- ...';

export async function resolveTarget(
  flags: TargetFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<OrgTarget> {
  const awsFlags = ['aws', 'profile', 'region', 'stack'].filter(
    (name) => flags[name as keyof TargetFlags] !== undefined && flags[name as keyof TargetFlags] !== false,
  );
  if (flags.local && awsFlags.length > 0) {
    throw new TargetError(
      `--local cannot go with --${awsFlags.join(', --')}: choose the local stack or AWS.`,
    );
  }
  if (flags.local) {
    const local = localStackState();
    if (local.stopped) throw new TargetError(local.stopped);
    if (!local.running)
      throw new TargetError(
        `No local stack is running with the data folder ${localDataDir} (it has no stack.json): start one with npm start, or manage AWS with --aws. ${otherDataDirHint}`,
      );
    return localTarget(local.running, 'asked for with --local');
  }
  if (awsFlags.length > 0) return awsTarget(flags, env, `asked for with --${awsFlags[0]}`);
  const local = localStackState();
  if (local.running) return localTarget(local.running, 'the running local stack; --aws for a deployed one');
  if (!local.stopped) {
    try {
      return await awsTarget(flags, env, 'no local stack is running');
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      // Not asked for AWS: the person may well have meant a local stack that runs elsewhere.
      throw new TargetError(
        `${error.message} (AWS was tried because no local stack runs with the data folder ${localDataDir}. ${otherDataDirHint})`,
      );
    }
  }
  // A stack.json left by a stack that stopped: AWS is the default, and the person is told both.
  try {
    return await awsTarget(
      flags,
      env,
      `the local stack is not running (start it with npm start for the local one)`,
    );
  } catch (error) {
    throw new TargetError(`${local.stopped} Trying AWS instead: ${(error as Error).message}`);
  }
}

function localTarget(local: StackFile, why: string): OrgTarget {
  const label = `local stack (DynamoDB at ${local.endpoints.dynamo}, table ${local.resources.orgsTable})`;
  const client = new DynamoDBClient({
    endpoint: local.endpoints.dynamo,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  nameTargetInErrors(client, label);
  return {
    kind: 'local',
    description: `Target: ${label}: ${why}.`,
    deps: { doc: DynamoDBDocumentClient.from(client), orgsTable: local.resources.orgsTable },
    dashboardUrl: async () => local.urls?.dashboard,
    dataDeps: async () => {
      if (!local.archiveDir)
        throw new TargetError('The running local stack names no archive folder: restart it with npm start.');
      return {
        doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
        orgsTable: local.resources.orgsTable,
        countersTable: local.resources.countersTable,
        visitsTable: local.resources.visitsTable,
        blobs: fileBlobStore(local.archiveDir),
      };
    },
    trackerUrls: async () =>
      local.urls ? { tracker: `${local.urls.site}/tracker.js`, api: local.urls.api } : undefined,
    queues: async () => ({
      sqs: new SQSClient({
        endpoint: local.endpoints.sqs,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      queueUrl: local.resources.queueUrl,
      deadLetterQueueUrl: local.resources.deadLetterQueueUrl,
    }),
  };
}

async function awsTarget(flags: TargetFlags, env: NodeJS.ProcessEnv, why: string): Promise<OrgTarget> {
  // Only what was asked for is set; the SDK resolves the rest through its default chains.
  const config = {
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.region ? { region: flags.region } : {}),
  };
  const dynamo = new DynamoDBClient(config);
  const profile = flags.profile ?? env.AWS_PROFILE ?? 'default';
  let region: string;
  try {
    region = await dynamo.config.region();
  } catch {
    throw new TargetError(
      `AWS (profile ${profile}) has no region: pass --region <region>, or set one for the profile (aws configure).`,
    );
  }
  const stack = flags.stack ?? env.STACK_NAME ?? defaultStackName;
  const where = `AWS (region ${region}, profile ${profile}`;
  nameTargetInErrors(dynamo, `${where})`);
  let orgsTable = env[envNames.orgsTable];
  let source = `${envNames.orgsTable}`;
  if (!orgsTable) {
    const cloudFormation = new CloudFormationClient({ ...config, region });
    nameTargetInErrors(cloudFormation, `${where}, stack ${stack})`);
    orgsTable = await orgsTableOfStack(cloudFormation, stack, `${where})`);
    source = `stack ${stack}`;
  }
  // The stack's outputs, read once and only when asked for; none when there is no stack or no
  // permission, nor when the table was named by ORGS_TABLE alone (then there may be no stack).
  let outputs: Promise<Record<string, string>> | undefined;
  if (env[envNames.orgsTable] && !flags.stack) outputs = Promise.resolve({});
  const output = async (key: string): Promise<string | undefined> => {
    outputs ??= new CloudFormationClient({ ...config, region })
      .send(new DescribeStacksCommand({ StackName: stack }))
      .then(({ Stacks }) =>
        Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? ''])),
      )
      .catch(() => ({}));
    return (await outputs)[key] || undefined;
  };
  return {
    kind: 'aws',
    description: `Target: ${where}, table ${orgsTable} from ${source}): ${why}.`,
    deps: { doc: DynamoDBDocumentClient.from(dynamo), orgsTable },
    dataDeps: async () => {
      const named = async (envName: string, key: string) => {
        const value = process.env[envName] ?? (await output(key));
        if (!value)
          throw new TargetError(
            `${where}): stack ${stack} has no ${key} output; set ${envName}, or name another stack with --stack.`,
          );
        return value;
      };
      return {
        doc: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
        orgsTable: orgsTable!,
        countersTable: await named(envNames.countersTable, 'CountersTableName'),
        visitsTable: await named(envNames.visitsTable, 'VisitsTableName'),
        blobs: s3BlobStore(
          new S3Client({ ...config, region }),
          await named(envNames.archiveBucket, 'ArchiveBucketName'),
        ),
      };
    },
    dashboardUrl: () => output('DashboardUrl'),
    trackerUrls: async () => {
      // Beacons go to the ingest function URL where the stack has one (issue 25), else the API.
      const [tracker, api] = [
        await output('TrackerUrl'),
        (await output('BeaconUrl')) ?? (await output('ApiUrl')),
      ];
      return tracker && api ? { tracker, api } : undefined;
    },
    queues: async () => {
      const [queueUrl, deadLetterQueueUrl] = [await output('QueueUrl'), await output('DeadLetterQueueUrl')];
      if (!queueUrl || !deadLetterQueueUrl)
        throw new TargetError(
          `${where}, stack ${stack}): no QueueUrl and DeadLetterQueueUrl outputs could be read; name the stack with --stack.`,
        );
      const sqs = new SQSClient({ ...config, region });
      nameTargetInErrors(sqs, `${where}, stack ${stack})`);
      return { sqs, queueUrl, deadLetterQueueUrl };
    },
  };
}

async function orgsTableOfStack(client: CloudFormationClient, stack: string, where: string): Promise<string> {
  const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stack }));
  const output = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'OrgsTableName');
  if (!output?.OutputValue) {
    throw new TargetError(
      `${where}: stack ${stack} has no OrgsTableName output; name another with --stack, or set ${envNames.orgsTable}.`,
    );
  }
  return output.OutputValue;
}

/**
 * Puts the target in front of every error a client raises, credentials and region errors
 * included (the SDK resolves those inside the middleware stack), so the CLI's error line always
 * says where it was talking to.
 */
function nameTargetInErrors(client: DynamoDBClient | CloudFormationClient | SQSClient, label: string): void {
  (client as DynamoDBClient).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && !error.message.startsWith(label))
          error.message = `${label}: ${error.message}`;
        throw error;
      }
    },
    { step: 'initialize', name: 'nameOrgTargetInErrors' },
  );
}
