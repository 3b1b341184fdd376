/**
 * What Lambda's runtime gives a handler, on one machine: the context object, the handler
 * signatures the local API and poller call, and loading the real handler modules with the
 * stack's environment set first (they read it once, at cold start, as in Lambda).
 */
import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ApiEvent, ApiResult } from '../lambdas/core/http/request.js';

/** The API handlers take both API Gateway event versions (HTTP API v2, REST API v1). */
export type ApiHandler = (event: ApiEvent, context: Context) => Promise<ApiResult>;
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface Handlers {
  ingest: ApiHandler;
  query: ApiHandler;
  consume: SqsHandler;
  /** The scheduled archiver: no event, answers what it wrote. */
  archive: (event: unknown, context: Context) => Promise<{ days: number; rows: number; removedDays: number }>;
}

let loadedHandlerEnv: string | undefined;

/**
 * The handlers read their configuration from the environment once, at cold start, exactly as
 * in Lambda: so the environment is set before they are first imported.
 */
export async function loadHandlers(env: Record<string, string>): Promise<Handlers> {
  const signature = JSON.stringify(env);
  if (loadedHandlerEnv && loadedHandlerEnv !== signature) {
    throw new Error(
      "The handlers are already loaded with another stack's environment; run one local stack per process.",
    );
  }
  loadedHandlerEnv = signature;
  Object.assign(process.env, env);
  const [ingest, query, consume, archive] = await Promise.all([
    import('../lambdas/ingest/handler.js'),
    import('../lambdas/query/handler.js'),
    import('../lambdas/consume/handler.js'),
    import('../lambdas/archive/handler.js'),
  ]);
  return {
    ingest: ingest.handler as unknown as ApiHandler,
    query: query.handler as unknown as ApiHandler,
    consume: consume.handler as unknown as SqsHandler,
    archive: archive.handler as unknown as Handlers['archive'],
  };
}

/** The parts of a Lambda context that handlers and Powertools read. */
export function lambdaContext(functionName = 'local'): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, 30_000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
