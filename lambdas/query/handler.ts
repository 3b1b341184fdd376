/** GET /visits on API Gateway (HTTP API or REST API). The logic is in ./query.ts. */
import { createDocumentClient } from '../core/runtime/aws.js';
import { requireEnv } from '../core/runtime/env.js';
import { apiHandler } from '../core/http/api-handler.js';
import { json } from '../core/http/request.js';
import { createKeyResolver } from '../core/store/orgs.js';
import { envNames, ingestLimits } from '../core/settings.js';
import { authorizeReader } from './authorize.js';
import { cacheControlFor, parseVisitsQuery, queryVisits } from './query.js';

const doc = createDocumentClient();
const orgsTable = requireEnv(envNames.orgsTable);
const countersTable = requireEnv(envNames.countersTable);
const resolveKey = createKeyResolver({ doc, orgsTable }, { cacheMs: ingestLimits.keyCacheMs });
// An HTTP API answers CORS itself; behind a REST API (the LocalStack target) the function must.
const cors: Record<string, string> = process.env.CORS_ALLOW_ORIGIN ? { 'access-control-allow-origin': process.env.CORS_ALLOW_ORIGIN, vary: 'origin' } : {};

export const handler = apiHandler('query', cors, async (request) => {
  const orgId = await authorizeReader(request.headers, resolveKey);
  const now = Date.now();
  const query = parseVisitsQuery(request.query, request.queryParameterCount, now);
  const { data, itemsRead } = await queryVisits(orgId, query, { doc, countersTable });
  return json(200, { data }, {
    'cache-control': cacheControlFor(query, now, ingestLimits.maxPastMs),
    // How many counter items the answer cost: lets anyone check that cost follows the answer.
    'x-items-read': String(itemsRead),
  });
});
