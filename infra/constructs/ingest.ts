import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type RateLimit, formatRateLimit } from '../../lambdas/core/domain/token-bucket.js';
import { keyItemsPattern } from '../../lambdas/core/store/orgs.js';
import { saltItemsPattern } from '../../lambdas/core/store/salts.js';
import { usageItemsPattern } from '../../lambdas/core/store/daily-usage.js';
import { envNames, ingestMetrics } from '../../lambdas/core/settings.js';
import { handlerEntries } from '../paths.js';
import type { PublicApi } from './api.js';
import { AppFunction, bindQueueSender, bindTableItems } from './function.js';
import { addRoutes } from './routes.js';

export interface IngestProps {
  readonly api: PublicApi;
  readonly orgsTable: ITableV2;
  /** The visit queue (VisitQueue) it sends each accepted visit to. */
  readonly queue: IQueue;
  /** The per-client limit (source IP + User-Agent); undefined: none. */
  readonly clientLimit?: RateLimit;
  /** Reserved concurrency: the most instances a flood of posts can run. */
  readonly reservedConcurrency?: number;
}

/**
 * What the ingest function may do in the Orgs table, by partition key: read key items (resolve
 * site keys), read and create the daily salts, read and add to the orgs' daily usage. Orgs and
 * key items are never written here, so a compromised ingest function cannot add a key or change
 * an org's domains or limit.
 */
export const ingestOrgsGrants = [
  { actions: ['dynamodb:GetItem'], patterns: [keyItemsPattern, saltItemsPattern, usageItemsPattern] },
  { actions: ['dynamodb:PutItem'], patterns: [saltItemsPattern] },
  { actions: ['dynamodb:UpdateItem'], patterns: [usageItemsPattern] },
] as const;

/**
 * Ingest promises: the POST routes of the public API (`POST /visits`, `POST /events`), handled
 * by lambdas/ingest/handler.ts, which validates, applies the per-client and per-org daily limits,
 * resolves the site key and enqueues one message per accepted visit. Its Orgs table access is
 * `ingestOrgsGrants`; it may send to the visit queue.
 */
export class Ingest extends Construct {
  readonly function: IFunction;
  readonly appFunction: AppFunction;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    this.appFunction = new AppFunction(this, 'Ingest', {
      entry: handlerEntries.ingest,
      serviceName: ingestMetrics.service,
      description: 'POST /visits: validate a page view, resolve its site key, enqueue it',
      timeout: Duration.seconds(5),
      memorySize: 512,
      reservedConcurrentExecutions: props.reservedConcurrency,
    });
    const fn = this.appFunction.fn;
    bindTableItems(fn, 'orgsTable', props.orgsTable, ingestOrgsGrants);
    bindQueueSender(fn, props.queue);
    if (props.clientLimit) fn.addEnvironment(envNames.clientLimit, formatRateLimit(props.clientLimit));
    this.function = fn;

    addRoutes(props.api, 'POST', fn);
  }
}
