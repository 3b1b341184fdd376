/** POST /visits on API Gateway (HTTP API or REST API). The logic is in ./ingest.ts. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient } from '../core/aws.js';
import { requireEnv } from '../core/env.js';
import { apiHandler } from '../core/api-handler.js';
import { json } from '../core/http.js';
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

export const handler = apiHandler('ingest', cors, async (request) => {
  const { eventId } = await ingestVisit(request, deps);
  return json(202, { eventId });
});
