/** GET /visits, /stats and /breakdown on API Gateway (HTTP API or REST API). The logic is in the files named after each route. */
import { createDocumentClient } from '../core/runtime/aws.js';
import { requireEnv } from '../core/runtime/env.js';
import { apiHandler } from '../core/http/api-handler.js';
import { NotFoundError } from '../core/http/errors.js';
import { type ApiRequest, json } from '../core/http/request.js';
import type { CounterReader } from '../core/store/counters.js';
import { createKeyResolver } from '../core/store/orgs.js';
import { envNames, ingestLimits, readRoutes } from '../core/settings.js';
import { authorizeReader } from './authorize.js';
import { parseBreakdownQuery, queryBreakdown } from './breakdown.js';
import { cacheControlFor } from './params.js';
import { parseStatsQuery, queryStats } from './stats.js';
import { parseVisitsQuery, queryVisits } from './visits.js';

const doc = createDocumentClient();
const orgsTable = requireEnv(envNames.orgsTable);
const countersTable = requireEnv(envNames.countersTable);
const resolveKey = createKeyResolver({ doc, orgsTable }, { cacheMs: ingestLimits.keyCacheMs });
// An HTTP API answers CORS itself; behind a REST API (the LocalStack target) the function must.
const cors: Record<string, string> = process.env.CORS_ALLOW_ORIGIN ? { 'access-control-allow-origin': process.env.CORS_ALLOW_ORIGIN, vary: 'origin' } : {};

/** A read route: parse its query string, read, answer with what it cost in items. */
function readRoute<Q extends { to: number }>(
  parse: (query: Record<string, string>, parameterCount: number, now: number) => Q,
  read: (orgId: string, q: Q, deps: CounterReader) => Promise<{ itemsRead: number }>,
) {
  return async (orgId: string, request: ApiRequest, now: number) => {
    const q = parse(request.query, request.queryParameterCount, now);
    const { itemsRead, ...answer } = await read(orgId, q, { doc, countersTable });
    return json(200, answer, {
      'cache-control': cacheControlFor(q, now, ingestLimits.maxPastMs),
      // How many counter items the answer cost: lets anyone check that cost follows the answer.
      'x-items-read': String(itemsRead),
    });
  };
}

const answer = {
  visits: readRoute(parseVisitsQuery, queryVisits),
  stats: readRoute(parseStatsQuery, queryStats),
  breakdown: readRoute(parseBreakdownQuery, queryBreakdown),
} satisfies Record<keyof typeof readRoutes, unknown>;

export const handler = apiHandler('query', cors, async (request) => {
  const route = (Object.keys(readRoutes) as (keyof typeof readRoutes)[]).find((name) => request.path.endsWith(readRoutes[name].path));
  if (!route) throw new NotFoundError(`No route GET ${request.path}; the read routes are ${Object.values(readRoutes).map((r) => r.path).join(', ')}.`);
  const orgId = await authorizeReader(request.headers, resolveKey);
  return answer[route](orgId, request, Date.now());
});
