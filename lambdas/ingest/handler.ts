/** POST /visits and POST /events on API Gateway (HTTP API or REST API). The logic is in ./ingest.ts. */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient } from '../core/runtime/aws.js';
import { requireEnv } from '../core/runtime/env.js';
import { apiHandler } from '../core/http/api-handler.js';
import { json } from '../core/http/request.js';
import { createKeyResolver } from '../core/store/orgs.js';
import { cors, envNames, keyCache } from '../core/settings.js';
import { toQueueMessage } from '../core/domain/queued-view.js';
import { createDailySalts } from '../core/store/salts.js';
import { type IngestDeps, ingestVisit } from './ingest.js';

const orgsTable = requireEnv(envNames.orgsTable);
const queueUrl = requireEnv(envNames.queueUrl);
const doc = createDocumentClient();
const sqs = createSqsClient();

const deps: IngestDeps = {
  resolveKey: createKeyResolver({ doc, orgsTable }, { cacheMs: keyCache.ttlMs }),
  saltFor: createDailySalts({ doc, orgsTable }),
  enqueue: async (visit) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: toQueueMessage(visit) }));
  },
  now: () => Date.now(),
};

const corsHeaders = { 'access-control-allow-origin': cors.beaconOrigin };

export const handler = apiHandler('ingest', corsHeaders, async (request) => {
  const { eventId } = await ingestVisit(request, deps);
  return json(202, { eventId });
});
