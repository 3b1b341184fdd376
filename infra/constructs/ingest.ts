import { Duration, Fn } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { FunctionUrlAuthType, HttpMethod, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { handlerEntries } from '../paths.js';
import type { PublicApi } from './api.js';
import { AppFunction, bindQueueSender, bindTable, grantForLeadingKeys, tableAccess } from './function.js';
import { cors } from '../../lambdas/core/settings.js';
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
}

/**
 * The partition keys the ingest function may write in the Orgs table: the daily salts
 * (lambdas/core/store/salts.ts, `salt#<YYYY-MM-DD>`). Orgs and key items are never written here,
 * so a compromised ingest function cannot add a key or change an org's domains.
 */
export const ingestWritableKeys = ['salt#*'] as const;

/**
 * Ingest promises: the POST routes of the public API (`POST /visits`) and, on AWS, a function URL
 * that tracker.js posts to (`beaconUrl`), both handled by
 * lambdas/ingest/handler.ts, which validates, resolves the site key and enqueues one message per
 * accepted visit. It may read the Orgs table (key lookups), create only salt items in it, and
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
      serviceName: 'ingest',
      description: 'POST /visits: validate a page view, resolve its site key, enqueue it',
      timeout: Duration.seconds(5),
      memorySize: 512,
      withoutPlatformLines: true,
    });
    const fn = this.appFunction.fn;
    // GetItem resolves site keys and reads the daily salt; PutItem creates the salt, and only it.
    bindTable(fn, 'orgsTable', props.orgsTable, tableAccess.lookup);
    grantForLeadingKeys(fn, props.orgsTable, ['dynamodb:PutItem'], ingestWritableKeys);
    bindQueueSender(fn, props.queue);
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
