/**
 * The shape every API handler shares: the event becomes an ApiRequest, the answer gets the
 * route's headers (CORS), a client error becomes its status and message, and anything else is a
 * logged 500 that shows no internals.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { type ApiEvent, type ApiRequest, type ApiResult, errorResult, toApiRequest } from './request.js';
import { logger } from '../runtime/logger.js';

export function apiHandler(
  name: string,
  headers: Record<string, string>,
  answer: (request: ApiRequest) => Promise<ApiResult>,
) {
  async function handle(event: ApiEvent): Promise<ApiResult> {
    try {
      const result = await answer(toApiRequest(event));
      return { ...result, headers: { ...headers, ...result.headers } };
    } catch (error) {
      const result = errorResult(error, headers);
      if (result.statusCode >= 500) logger.error(`${name} failed`, error as Error);
      return result;
    }
  }
  return middy(handle).use(injectLambdaContext(logger));
}
