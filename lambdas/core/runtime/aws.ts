/**
 * AWS clients. Where they connect is decided by the SDK's standard variables
 * (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL), so the same handler runs
 * against AWS, LocalStack or the embedded local stack without knowing which.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function createSqsClient(): SQSClient {
  // Send to the configured endpoint, not the host in the queue URL: emulators name hosts that do not resolve.
  return new SQSClient({ useQueueUrlAsEndpoint: false });
}
