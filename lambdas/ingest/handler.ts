/** POST /visits on API Gateway (HTTP API or REST API). The logic is in ./ingest.ts. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createDocumentClient, createSqsClient } from '../core/aws.js';
import { requireEnv } from '../core/env.js';
import { type ApiEvent, type ApiResult, errorResult, json, toApiRequest } from '../core/http.js';
import { logger } from '../core/logger.js';
import { createKeyResolver } from '../core/orgs.js';
import { envNames, ingestLimits } from '../core/settings.js';
import { toQueueMessage } from '../core/visit.js';
import { createDailySalts } from '../core/visitor.js';
import { type IngestDeps, ingestVisit } from './ingest.js';

const orgsTable = requireEnv(envNames.orgsTable);
const queueUrl = requireEnv(envNames.queueUrl);
const doc = createDocumentClient();
const sqs = createSqsClient();

const deps: IngestDeps = {
  resolveKey: createKeyResolver({ doc, orgsTable }, { cacheMs: ingestLimits.keyCacheMs }),
  saltFor: createDailySalts({ doc, orgsTable }),
  enqueue: async (visit) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: toQueueMessage(visit) }));
  },
  now: Date.now,
};

// Any page may send a beacon; which pages count is decided per org by its allowed domains.
const cors = { 'access-control-allow-origin': '*' };

async function ingest(event: ApiEvent): Promise<ApiResult> {
  try {
    const { eventId } = await ingestVisit(toApiRequest(event), deps);
    return json(202, { eventId }, cors);
  } catch (error) {
    const result = errorResult(error, cors);
    if (result.statusCode >= 500) logger.error('ingest failed', error as Error);
    return result;
  }
}

export const handler = middy(ingest).use(injectLambdaContext(logger));
