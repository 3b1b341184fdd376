/**
 * The ingest function's handler, made from the clients it calls: ./handler.ts gives it ingest's
 * own SigV4 client (core/runtime/aws-lite/); the bench builds it once more with the AWS SDK's
 * clients, to measure what leaving the SDK out saved (bench/sections/sizes.ts).
 */
import type { SendMessage } from '../core/runtime/aws-lite/sqs.js';
import { requireEnv } from '../core/runtime/env.js';
import { apiHandler } from '../core/http/api-handler.js';
import { json } from '../core/http/request.js';
import type { ItemCalls } from '../core/store/item-calls.js';
import { createKeyResolver } from '../core/store/key-resolver.js';
import { createDailyUsage } from '../core/store/daily-usage.js';
import { abuseLimits, cors, envNames, ingestMetrics, keyCache } from '../core/settings.js';
import { parseRateLimit } from '../core/domain/token-bucket.js';
import { toQueueMessage } from '../core/domain/queued-view.js';
import { createDailySalts } from '../core/store/salts.js';
import { createClientLimiter } from './client-limiter.js';
import { type IngestDeps, ingestVisit } from './ingest.js';

export function createIngestHandler({ items, sendMessage }: { items: ItemCalls; sendMessage: SendMessage }) {
  const orgsTable = requireEnv(envNames.orgsTable);
  const queueUrl = requireEnv(envNames.queueUrl);
  const now = () => Date.now();
  // Unset: no per-client limit (the local stack unless PAGEVIEWS_CLIENT_LIMIT is given).
  const clientLimitSetting = process.env[envNames.clientLimit];
  const clientLimit = clientLimitSetting
    ? parseRateLimit(clientLimitSetting, envNames.clientLimit)
    : undefined;
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

  return apiHandler('ingest', corsHeaders, async (request) => {
    const { eventId } = await ingestVisit(request, deps);
    return json(202, { eventId });
  });
}
