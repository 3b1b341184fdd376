/** GET /visits on API Gateway (HTTP API or REST API). The logic is in ./query.ts. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createDocumentClient } from '../core/aws.js';
import { requireEnv } from '../core/env.js';
import { type ApiEvent, type ApiResult, errorResult, json, toApiRequest } from '../core/http.js';
import { logger } from '../core/logger.js';
import { createKeyResolver } from '../core/orgs.js';
import { envNames, ingestLimits } from '../core/settings.js';
import { authorizeReader } from './authorize.js';
import { cacheControlFor, parseVisitsQuery, queryVisits } from './query.js';

const doc = createDocumentClient();
const orgsTable = requireEnv(envNames.orgsTable);
const countersTable = requireEnv(envNames.countersTable);
const resolveKey = createKeyResolver({ doc, orgsTable }, { cacheMs: ingestLimits.keyCacheMs });
// An HTTP API answers CORS itself; behind a REST API (the LocalStack target) the function must.
const cors: Record<string, string> = process.env.CORS_ALLOW_ORIGIN ? { 'access-control-allow-origin': process.env.CORS_ALLOW_ORIGIN, vary: 'origin' } : {};

async function getVisits(event: ApiEvent): Promise<ApiResult> {
  try {
    const request = toApiRequest(event);
    const orgId = await authorizeReader(request.headers, resolveKey);
    const now = Date.now();
    const query = parseVisitsQuery(request.query, request.queryParameterCount, now);
    const { data, itemsRead } = await queryVisits(orgId, query, { doc, countersTable });
    return json(200, { data }, {
      ...cors,
      'cache-control': cacheControlFor(query, now, ingestLimits.maxPastMs),
      // How many counter items the answer cost: lets anyone check that cost follows the answer.
      'x-items-read': String(itemsRead),
    });
  } catch (error) {
    const result = errorResult(error, cors);
    if (result.statusCode >= 500) logger.error('query failed', error as Error);
    return result;
  }
}

export const handler = middy(getVisits).use(injectLambdaContext(logger));
