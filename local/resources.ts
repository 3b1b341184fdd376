/**
 * Creates the tables and queues of the stack in the emulators, from the same settings module
 * the CDK stack reads, so local and cloud cannot drift apart. Safe to run on every start.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { envNames, queueSettings, resourceNames, tableKey, ttlAttribute } from '../lambdas/core/settings.js';

export interface StackResources {
  orgsTable: string;
  countersTable: string;
  visitsTable: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
}

export interface ResourceOptions {
  prefix: string;
  /** Seconds; the local stack may shorten it for fault tests, AWS uses the settings' value. */
  visibilityTimeoutSeconds: number;
}

export async function createResources(
  dynamo: DynamoDBClient,
  sqs: SQSClient,
  options: ResourceOptions,
): Promise<StackResources> {
  const names = {
    orgsTable: options.prefix + resourceNames.orgsTable,
    countersTable: options.prefix + resourceNames.countersTable,
    visitsTable: options.prefix + resourceNames.visitsTable,
  };
  await Promise.all(Object.values(names).map((name) => ensureTable(dynamo, name)));

  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: options.prefix + resourceNames.deadLetterQueue,
      Attributes: { MessageRetentionPeriod: String(queueSettings.deadLetterRetentionDays * 86_400) },
    }),
  );
  const dlqArn = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: options.prefix + resourceNames.queue,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(queueSettings.retentionDays * 86_400),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn.Attributes!.QueueArn,
          maxReceiveCount: queueSettings.maxReceiveCount,
        }),
      },
    }),
  );
  return { ...names, queueUrl: queue.QueueUrl!, deadLetterQueueUrl: dlq.QueueUrl! };
}

/** Creates a table with the stack's key schema and TTL, unless it exists. */
export async function ensureTable(dynamo: DynamoDBClient, TableName: string): Promise<void> {
  try {
    await dynamo.send(new DescribeTableCommand({ TableName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await dynamo.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: tableKey.partition, AttributeType: 'S' },
        { AttributeName: tableKey.sort, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: tableKey.partition, KeyType: 'HASH' },
        { AttributeName: tableKey.sort, KeyType: 'RANGE' },
      ],
    }),
  );
  await dynamo.send(
    new UpdateTimeToLiveCommand({
      TableName,
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
    }),
  );
}

/** The environment through which the handlers find these resources, as the CDK stack sets it. */
export function handlerEnvironment(resources: StackResources): Record<string, string> {
  return {
    [envNames.orgsTable]: resources.orgsTable,
    [envNames.countersTable]: resources.countersTable,
    [envNames.visitsTable]: resources.visitsTable,
    [envNames.queueUrl]: resources.queueUrl,
  };
}
