import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { envNames } from '../../lambdas/core/settings.js';
import { handlerEntries } from '../paths.js';
import type { PublicApi } from './api.js';
import { keyItemsPattern } from '../../lambdas/core/store/key-resolver.js';
import { savedItemsPattern } from '../../lambdas/core/store/saved.js';
import { AppFunction, bindTable, bindTableItems, tableAccess } from './function.js';
import { addRoutes } from './routes.js';

export interface QueryProps {
  readonly api: PublicApi;
  readonly orgsTable: ITableV2;
  readonly countersTable: ITableV2;
  /** Read for breakdowns with a filter, which are computed from the visitor-days. */
  readonly visitsTable: ITableV2;
  /** Reserved concurrency: instances kept for the dashboard's reads whatever else runs. */
  readonly reservedConcurrency?: number;
}

/**
 * The query function reads key items in the Orgs table and keeps the orgs' saved segments and
 * funnels, and nothing else there (not the orgs, not the salts, not the usage).
 */
export const queryOrgsGrants = [
  { actions: ['dynamodb:GetItem'], patterns: [keyItemsPattern] },
  { actions: ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], patterns: [savedItemsPattern] },
] as const;

/**
 * Query promises: the GET routes of the public API (`GET /visits`, and any read route added to
 * the settings module) and the owner's PUT and DELETE /segments, handled by
 * lambdas/query/handler.ts, with GetItem on the Orgs table's key items (to check the read key),
 * Query, PutItem and DeleteItem on its saved items (segments), read access (GetItem, BatchGetItem, Query) to the counters
 * table and the visits table (filtered breakdowns), and no access to anything else.
 */
export class Query extends Construct {
  readonly function: IFunction;
  readonly appFunction: AppFunction;

  constructor(scope: Construct, id: string, props: QueryProps) {
    super(scope, id);
    this.appFunction = new AppFunction(this, 'Query', {
      entry: handlerEntries.query,
      serviceName: 'query',
      description: 'GET /visits: counters at minute, hour, day or month resolution for one org',
      // Filtered questions wait for Athena on AWS (seconds); API Gateway's HTTP API gives up at 30 s.
      timeout: Duration.seconds(29),
      memorySize: 1024,
      reservedConcurrentExecutions: props.reservedConcurrency,
    });
    const fn = this.appFunction.fn;
    bindTableItems(fn, 'orgsTable', props.orgsTable, queryOrgsGrants);
    bindTable(fn, 'countersTable', props.countersTable, tableAccess.read);
    bindTable(fn, 'visitsTable', props.visitsTable, tableAccess.read);
    this.function = fn;
    // GET: the reads; PUT and DELETE: the owner's saved segments (lambdas/core/settings.ts's ownerRoutes).
    for (const method of ['GET', 'PUT', 'DELETE'] as const) addRoutes(props.api, method, fn);
  }

  /**
   * Lets the dashboard read from another origin. Only the LocalStack target needs it (the S3
   * website is not the API's origin and a REST API proxy leaves CORS to the function); on AWS the
   * dashboard reaches the API same-origin through CloudFront. The variable is the one
   * lambdas/query/handler.ts reads.
   */
  allowOrigin(origin: string): void {
    this.appFunction.fn.addEnvironment(corsOriginEnv, origin);
  }
}

export const corsOriginEnv = envNames.corsAllowOrigin;
