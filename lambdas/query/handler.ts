/** The read routes (GET /visits, /stats, /breakdown, /realtime, /site) on API Gateway (HTTP API or REST API). The logic is in the files named after each route. */
import { createDocumentClient } from '../core/runtime/aws.js';
import { requireEnv } from '../core/runtime/env.js';
import { apiHandler } from '../core/http/api-handler.js';
import { NotFoundError } from '../core/http/errors.js';
import { type ApiRequest, type ApiResult, json } from '../core/http/request.js';
import { createKeyResolver } from '../core/store/orgs.js';
import { envNames, keyCache, readRoutes } from '../core/settings.js';
import { type Site, authorizeReader } from './authorize.js';
import { type BreakdownDeps, parseBreakdownQuery, queryBreakdown } from './breakdown.js';
import { breakdownCsv, goalsCsv, statsCsv, visitsCsv } from './csv-rows.js';
import { goalsProperty, parseGoalsQuery, queryGoals } from './goals.js';
import { csvFileName } from '../core/http/csv.js';
import { cacheControlFor, checkParameters, parseFormat } from './params.js';
import type { Sampled, SiteAnswer } from './answers.js';
import { parseRealtimeQuery, queryRealtime } from './realtime.js';
import { parseStatsQuery, queryStats } from './stats.js';
import { parseVisitsQuery, queryVisits } from './visits.js';

const doc = createDocumentClient();
const orgsTable = requireEnv(envNames.orgsTable);
const countersTable = requireEnv(envNames.countersTable);
const visitsTable = requireEnv(envNames.visitsTable);
const resolveKey = createKeyResolver({ doc, orgsTable }, { cacheMs: keyCache.ttlMs });
// An HTTP API answers CORS itself; behind a REST API (the LocalStack target) the function must.
const allowOrigin = process.env[envNames.corsAllowOrigin];
const cors: Record<string, string> = allowOrigin
  ? { 'access-control-allow-origin': allowOrigin, vary: 'origin' }
  : {};

/** A read route: parse its query string, read, answer (JSON, or CSV when asked) with what it cost in items. */
function readRoute<Q extends { from: number; to: number }, A>(
  name: keyof typeof readRoutes,
  parse: (query: Record<string, string>, parameterCount: number, now: number, zone: string) => Q,
  read: (orgId: string, q: Q, deps: BreakdownDeps) => Promise<A & { itemsRead: number }>,
  csv: (answer: A, q: Q) => { body: string; detail?: string },
) {
  return async (site: Site, request: ApiRequest, now: number): Promise<ApiResult> => {
    const q = parse(request.query, request.queryParameterCount, now, site.zone);
    const format = parseFormat(request.query);
    const { itemsRead, ...answer } = await read(site.orgId, q, { doc, countersTable, visitsTable });
    const { sample_percent } = answer as Sampled;
    const headers = {
      'cache-control': cacheControlFor(q, now),
      // How many counter items the answer cost: lets anyone check that cost follows the answer.
      'x-items-read': String(itemsRead),
      // Estimates from a sample (a filtered breakdown of a large range): said in CSV too.
      ...(sample_percent === undefined ? {} : { 'x-sample-percent': String(sample_percent) }),
    };
    if (format === 'json') return json(200, answer, headers);
    const { body, detail } = csv(answer as A, q);
    const fileName = csvFileName(readRoutes[name].path, q.from, q.to, detail);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${fileName}"`,
        ...headers,
      },
      body,
    };
  };
}

const breakdown = readRoute('breakdown', parseBreakdownQuery, queryBreakdown, (a, q) => ({
  body: breakdownCsv(a),
  detail: q.property,
}));
const goals = readRoute('breakdown', parseGoalsQuery, queryGoals, (a) => ({
  body: goalsCsv(a),
  detail: goalsProperty,
}));

const answer = {
  visits: readRoute('visits', parseVisitsQuery, queryVisits, (a) => ({ body: visitsCsv(a) })),
  stats: readRoute('stats', parseStatsQuery, queryStats, (a) => ({ body: statsCsv(a) })),
  // GET /breakdown?property=event answers the goals, any other property a breakdown.
  breakdown: (site: Site, request: ApiRequest, now: number) =>
    (request.query.property === goalsProperty ? goals : breakdown)(site, request, now),
  // The last few minutes change every second: never cached, no CSV.
  realtime: async (site: Site, request: ApiRequest, now: number): Promise<ApiResult> => {
    const q = parseRealtimeQuery(request.query, request.queryParameterCount, now);
    const { itemsRead, ...answer } = await queryRealtime(site.orgId, q, { doc, countersTable });
    return json(200, answer, { 'cache-control': 'no-store', 'x-items-read': String(itemsRead) });
  },
  // What the dashboard needs before it asks for a range: the zone that days are cut in.
  site: async (site: Site, request: ApiRequest): Promise<ApiResult> => {
    checkParameters('GET /site', [], request.query, request.queryParameterCount);
    return json(200, { timezone: site.zone } satisfies SiteAnswer, { 'cache-control': 'no-store' });
  },
} satisfies Record<keyof typeof readRoutes, unknown>;

export const handler = apiHandler('query', cors, async (request) => {
  const route = (Object.keys(readRoutes) as (keyof typeof readRoutes)[]).find((name) =>
    request.path.endsWith(readRoutes[name].path),
  );
  if (!route)
    throw new NotFoundError(
      `No route GET ${request.path}; the read routes are ${Object.values(readRoutes)
        .map((r) => r.path)
        .join(', ')}.`,
    );
  const site = await authorizeReader(request.headers, resolveKey);
  return answer[route](site, request, Date.now());
});
