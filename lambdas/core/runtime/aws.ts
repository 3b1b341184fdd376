/**
 * AWS clients. Where they connect is decided by the SDK's standard variables
 * (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL), so the same handler runs
 * against AWS, LocalStack or the embedded local stack without knowing which.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type BlobStore, fileBlobStore, s3BlobStore } from '../archive/blobs.js';
import type { ItemCalls } from '../store/item-calls.js';
import type { SendMessage } from './aws-lite/sqs.js';
import { envNames } from '../settings.js';
import { requireEnv } from './env.js';

export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** The single-item calls the key resolver, salts and daily usage make, through the SDK (every function but ingest). */
export function documentItemCalls(doc: DynamoDBDocumentClient): ItemCalls {
  return {
    getItem: (input) => doc.send(new GetCommand(input)),
    putItem: async (input) => {
      await doc.send(new PutCommand(input));
    },
    updateItem: (input) => doc.send(new UpdateCommand(input)),
  };
}

export function createSqsClient(): SQSClient {
  // Send to the configured endpoint, not the host in the queue URL: emulators name hosts that do not resolve.
  return new SQSClient({ useQueueUrlAsEndpoint: false });
}

/** SendMessage through the SDK: what ingest did before it signed its own calls (the bench's before). */
export function sqsClientSender(sqs: SQSClient): SendMessage {
  return async (queueUrl, body) => {
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    return { messageId: String(MessageId) };
  };
}

/** The archive's files: a folder when ARCHIVE_DIR names one (the local stack), else the S3 bucket ARCHIVE_BUCKET. */
export function createArchiveBlobs(): BlobStore {
  const dir = process.env[envNames.archiveDir];
  if (dir) return fileBlobStore(dir);
  return s3BlobStore(new S3Client({ forcePathStyle: true }), requireEnv(envNames.archiveBucket));
}
