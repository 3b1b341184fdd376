/** The SQS consumer: counts a batch and hands back only the messages that failed. Logic in ./consume.ts. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createDocumentClient } from '../core/runtime/aws.js';
import { requireEnv } from '../core/runtime/env.js';
import { logger } from '../core/runtime/logger.js';
import { consumerMetrics, envNames } from '../core/settings.js';
import { type ConsumeDeps, consumeBatch } from './consume.js';

const metrics = new Metrics({ namespace: consumerMetrics.namespace, serviceName: consumerMetrics.service });

const deps: ConsumeDeps = {
  doc: createDocumentClient(),
  countersTable: requireEnv(envNames.countersTable),
  visitsTable: requireEnv(envNames.visitsTable),
};

async function consume(event: SQSEvent): Promise<SQSBatchResponse> {
  const outcome = await consumeBatch(event.Records, deps);
  const { failedMessageIds, ...summary } = outcome;
  logger.info('batch consumed', {
    records: event.Records.length,
    failed: failedMessageIds.length,
    ...summary,
  });
  if (outcome.invalid > 0)
    logger.error('malformed messages will be dead-lettered', { count: outcome.invalid });
  const names = consumerMetrics.names;
  metrics.addMetric(names.counted, MetricUnit.Count, outcome.counted);
  metrics.addMetric(names.duplicates, MetricUnit.Count, outcome.duplicates);
  metrics.addMetric(names.malformed, MetricUnit.Count, outcome.invalid);
  metrics.addMetric(names.retried, MetricUnit.Count, failedMessageIds.length);
  // Partial batch response (ReportBatchItemFailures): only these messages return to the queue.
  return { batchItemFailures: failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
}

export const handler = middy(consume).use(injectLambdaContext(logger)).use(logMetrics(metrics));
