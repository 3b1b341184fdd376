/** What every section gets: the emulators' clients, fresh tables, the run's size and a logger. */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type StackResources, createResources } from '../../local/resources.js';

export interface BenchContext {
  smoke: boolean;
  endpoints: { dynamo: string; sqs: string };
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  log: (line: string) => void;
  /** Fresh tables and queues under a new prefix. */
  freshTables(): Promise<StackResources>;
}

export function createContext(options: {
  smoke: boolean;
  endpoints: { dynamo: string; sqs: string };
  log: (line: string) => void;
}): BenchContext {
  const config = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const dynamo = new DynamoDBClient({ ...config, endpoint: options.endpoints.dynamo });
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ ...config, endpoint: options.endpoints.sqs, useQueueUrlAsEndpoint: false });
  return {
    ...options,
    dynamo,
    doc,
    sqs,
    freshTables: () =>
      createResources(dynamo, sqs, {
        prefix: `bench${randomUUID().slice(0, 8)}-`,
        visibilityTimeoutSeconds: 30,
      }),
  };
}
