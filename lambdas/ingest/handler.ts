/** POST /visits on API Gateway (HTTP API or REST API). The logic is in ./ingest.ts. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient } from '../core/runtime/aws.js';
import { requireEnv } from '../core/runtime/env.js';
import { apiHandler } from '../core/http/api-handler.js';
import { json } from '../core/http/request.js';
import { createKeyResolver } from '../core/store/orgs.js';
import { envNames, ingestLimits } from '../core/settings.js';
import { toQueueMessage } from '../core/domain/visit.js';
import { createDailySalts } from '../core/store/salts.js';
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

export const handler = apiHandler('ingest', cors, async (request) => {
  const { eventId } = await ingestVisit(request, deps);
  return json(202, { eventId });
});
