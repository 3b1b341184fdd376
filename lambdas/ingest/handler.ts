/**
 * POST /visits and POST /events on API Gateway (HTTP API or REST API) or the function URL. The
 * logic is in ./ingest.ts, the handler's making in ./app.ts. Its DynamoDB and SQS calls go through
 * the small SigV4 client in core/runtime/aws-lite/, not the AWS SDK, whose loading was most of
 * this function's cold start (issue 25).
 */
import { createItemCalls } from '../core/runtime/aws-lite/dynamodb.js';
import { createSendMessage } from '../core/runtime/aws-lite/sqs.js';
import { createIngestHandler } from './app.js';

export const handler = createIngestHandler({ items: createItemCalls(), sendMessage: createSendMessage() });
