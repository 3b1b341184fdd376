import { Duration, Fn } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FunctionUrlAuthType, HttpMethod, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type RateLimit, formatRateLimit } from '../../lambdas/core/domain/token-bucket.js';
import { keyItemsPattern } from '../../lambdas/core/store/key-resolver.js';
import { saltItemsPattern } from '../../lambdas/core/store/salts.js';
import { usageItemsPattern } from '../../lambdas/core/store/daily-usage.js';
import { cors, envNames, ingestMetrics } from '../../lambdas/core/settings.js';
import { handlerEntries } from '../paths.js';
import type { PublicApi } from './api.js';
import { AppFunction, bindQueueSender, bindTableItems } from './function.js';
import { addRoutes } from './routes.js';

export interface IngestProps {
  readonly api: PublicApi;
  readonly orgsTable: ITableV2;
  /** The visit queue (VisitQueue) it sends each accepted visit to. */
  readonly queue: IQueue;
  /**
   * Give the function a Lambda function URL for beacons (the AWS target): no per-request price,
   * where the HTTP API charges $1.00 per million. The API keeps its POST routes for API clients.
   */
  readonly functionUrl?: boolean;
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
 * Ingest promises: the POST routes of the public API (`POST /visits`, `POST /events`) and, on AWS,
 * a function URL that tracker.js posts to (`beaconUrl`), both handled by lambdas/ingest/handler.ts,
 * which validates, applies the per-client and per-org daily limits, resolves the site key and
 * enqueues one message per accepted visit. Its Orgs table access is `ingestOrgsGrants`; it may
 * send to the visit queue.
 */
export class Ingest extends Construct {
  readonly function: IFunction;
  readonly appFunction: AppFunction;
  /**
   * Where tracker.js posts beacons, without a trailing slash (`${beaconUrl}/visits`): the
   * function URL when there is one, else the API.
   */
  readonly beaconUrl: string;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    this.appFunction = new AppFunction(this, 'Ingest', {
      entry: handlerEntries.ingest,
      serviceName: ingestMetrics.service,
      description: 'POST /visits: validate a page view, resolve its site key, enqueue it',
      timeout: Duration.seconds(5),
      memorySize: 512,
      withoutPlatformLines: true,
      reservedConcurrentExecutions: props.reservedConcurrency,
    });
    const fn = this.appFunction.fn;
    bindTableItems(fn, 'orgsTable', props.orgsTable, ingestOrgsGrants);
    bindQueueSender(fn, props.queue);
    if (props.clientLimit) fn.addEnvironment(envNames.clientLimit, formatRateLimit(props.clientLimit));
    this.function = fn;

    addRoutes(props.api, 'POST', fn);

    if (props.functionUrl) {
      // The same payload as the HTTP API (version 2.0: path, headers, the visitor's address as
      // requestContext.http.sourceIp), so the handler and its limits are the same on both paths.
      const url = this.appFunction.fn.addFunctionUrl({
        authType: FunctionUrlAuthType.NONE,
        cors: {
          allowedOrigins: [cors.beaconOrigin],
          allowedMethods: [HttpMethod.POST],
          allowedHeaders: [...cors.allowHeaders],
          maxAge: Duration.seconds(cors.maxAgeSeconds),
        },
      });
      // https://{id}.lambda-url.{region}.on.aws/ -> without the trailing slash.
      this.beaconUrl = `https://${Fn.select(2, Fn.split('/', url.url))}`;
    } else {
      this.beaconUrl = props.api.url;
    }
  }
}
