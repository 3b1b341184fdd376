/**
 * POST /visits and POST /events on API Gateway (HTTP API or REST API) or the function URL. The
 * logic is in ./ingest.ts. Its DynamoDB and SQS calls go through the small SigV4 client in
 * core/runtime/aws-lite/, not the AWS SDK, whose loading was most of this function's cold start.
 */
import { createItemCalls } from '../core/runtime/aws-lite/dynamodb.js';
import { createSendMessage } from '../core/runtime/aws-lite/sqs.js';
import { requireEnv } from '../core/runtime/env.js';
import { apiHandler } from '../core/http/api-handler.js';
import { json } from '../core/http/request.js';
import { createKeyResolver } from '../core/store/key-resolver.js';
import { createDailyUsage } from '../core/store/daily-usage.js';
import { abuseLimits, cors, envNames, ingestMetrics, keyCache } from '../core/settings.js';
import { parseRateLimit } from '../core/domain/token-bucket.js';
import { toQueueMessage } from '../core/domain/queued-view.js';
import { createDailySalts } from '../core/store/salts.js';
import { createClientLimiter } from './client-limiter.js';
import { type IngestDeps, ingestVisit } from './ingest.js';

const orgsTable = requireEnv(envNames.orgsTable);
const queueUrl = requireEnv(envNames.queueUrl);
const items = createItemCalls();
const sendMessage = createSendMessage();
const now = () => Date.now();
// Unset: no per-client limit (the local stack unless PAGEVIEWS_CLIENT_LIMIT is given).
const clientLimitSetting = process.env[envNames.clientLimit];
const clientLimit = clientLimitSetting ? parseRateLimit(clientLimitSetting, envNames.clientLimit) : undefined;
// Off where no CloudWatch reads the logs (the local stack sets it, as Powertools does).
const metricsDisabled = process.env.POWERTOOLS_METRICS_DISABLED === 'true';

const deps: IngestDeps = {
  resolveKey: createKeyResolver({ items, orgsTable }, { cacheMs: keyCache.ttlMs }),
  saltFor: createDailySalts({ items, orgsTable }),
  enqueue: async (visit) => {
    await sendMessage(queueUrl, toQueueMessage(visit));
  },
  now,
  ...(clientLimit
    ? { admitClient: createClientLimiter(clientLimit, { maxClients: abuseLimits.maxClientsTracked }) }
    : {}),
  tryAcceptDaily: createDailyUsage(
    { items, orgsTable, now },
    { flush: abuseLimits.dailyUsageFlush, keptDays: abuseLimits.dailyUsageKeptDays },
  ),
  // Only refusals are published, never a line per accepted view: one log line in CloudWatch's
  // embedded metric format each (written here rather than with Powertools Metrics, which would
  // grow the ingest bundle, and its cold start, for one line).
  countRefused: (limit) => {
    if (metricsDisabled) return;
    const name = ingestMetrics.names[limit];
    console.log(
      JSON.stringify({
        _aws: {
          Timestamp: Date.now(),
          CloudWatchMetrics: [
            {
              Namespace: ingestMetrics.namespace,
              Dimensions: [['service']],
              Metrics: [{ Name: name, Unit: 'Count' }],
            },
          ],
        },
        service: ingestMetrics.service,
        [name]: 1,
      }),
    );
  },
};

const corsHeaders = { 'access-control-allow-origin': cors.beaconOrigin };

export const handler = apiHandler('ingest', corsHeaders, async (request) => {
  const { eventId } = await ingestVisit(request, deps);
  return json(202, { eventId });
});
