/**
 * Section 6's before: the ingest handler with the AWS SDK's clients (DynamoDB document client,
 * SQS), as it was deployed before it signed its own calls (issue 25). The same handler code
 * otherwise, so the difference is the clients.
 */
import {
  createDocumentClient,
  createSqsClient,
  documentItemCalls,
  sqsClientSender,
} from '../../lambdas/core/runtime/aws.js';
import { createIngestHandler } from '../../lambdas/ingest/app.js';

export const handler = createIngestHandler({
  items: documentItemCalls(createDocumentClient()),
  sendMessage: sqsClientSender(createSqsClient()),
});
