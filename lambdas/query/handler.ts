/** The read routes (GET /visits, /stats, /breakdown, /funnel, /realtime, /site, /export, /segments, /funnels) and the owner's PUT and DELETE /segments and /funnels on API Gateway (HTTP API or REST API). The logic is in the files named after each route. */
import { createArchiveBlobs, createDocumentClient, documentItemCalls } from '../core/runtime/aws.js';
import { requireEnv } from '../core/runtime/env.js';
import { apiHandler } from '../core/http/api-handler.js';
import { NotFoundError } from '../core/http/errors.js';
import { type ApiRequest, type ApiResult, json } from '../core/http/request.js';
import { createKeyResolver } from '../core/store/key-resolver.js';
import { getOrg } from '../core/store/orgs.js';
import { archive, envNames, keyCache, ownerRoutes, readRoutes } from '../core/settings.js';
import { type Site, authorizeReader } from './authorize.js';
import { type BreakdownDeps, parseBreakdownQuery, queryBreakdown } from './breakdown.js';
import { breakdownCsv, funnelCsv, goalsCsv, propsCsv, statsCsv, visitsCsv } from './csv-rows.js';
import { goalsProperty, parseGoalsQuery, queryGoals } from './goals.js';
import { csvFileName } from '../core/http/csv.js';
import { cacheControlFor, checkParameters, parseFormat } from './params.js';
import type { SiteAnswer } from './answers.js';
import type { ExploreDeps } from './explore/explore.js';
import { parseExportQuery, queryExport } from './export.js';
import { isPropsProperty, parsePropsQuery, queryProps } from './props.js';
import { parseFunnelQuery, queryFunnel } from './funnel.js';
import { parseRealtimeQuery, queryRealtime } from './realtime.js';
import { segments } from './segments.js';
import { funnels } from './funnels.js';
import { type SavedListKind, deleteNamed, listNamed, saveNamed } from './saved-lists.js';
import { parseStatsQuery, queryStats } from './stats.js';
import { parseVisitsQuery, queryVisits } from './visits.js';

const doc = createDocumentClient();
const orgsTable = requireEnv(envNames.orgsTable);
const countersTable = requireEnv(envNames.countersTable);
const visitsTable = requireEnv(envNames.visitsTable);
const resolveKey = createKeyResolver(
  { items: documentItemCalls(doc), orgsTable },
  { cacheMs: keyCache.ttlMs },
);
const explore = await exploreDeps();
const saved = { doc, orgsTable, now: Date.now };
// An HTTP API answers CORS itself; behind a REST API (the LocalStack target) the function must.
const allowOrigin = process.env[envNames.corsAllowOrigin];
const cors: Record<string, string> = allowOrigin
  ? { 'access-control-allow-origin': allowOrigin, vary: 'origin' }
  : {};

/** A read route: parse its query string, read, answer (JSON, or CSV when asked) with what it cost in items. */
function readRoute<Q extends { from: number; to: number; zone: string }, A>(
  name: keyof typeof readRoutes,
  parse: (
    query: Record<string, string>,
    parameterCount: number,
    now: number,
    zone: string,
    filters: string[],
    queryAll: Record<string, string[]>,
  ) => Q,
  read: (orgId: string, q: Q, deps: BreakdownDeps) => Promise<A & { itemsRead: number }>,
  csv: (answer: A, q: Q) => { body: string; detail?: string },
) {
  return async (site: Site, request: ApiRequest, now: number): Promise<ApiResult> => {
    const q = parse(
      request.query,
      request.queryParameterCount,
      now,
      site.zone,
      request.queryAll.filter ?? [],
      request.queryAll,
    );
    const format = parseFormat(request.query);
    const { itemsRead, ...answer } = await read(site.orgId, q, {
      doc,
      countersTable,
      visitsTable,
      ...explore,
    });
    const headers = {
      'cache-control': cacheControlFor(q, now),
      // How many counter items (and open days' visitor-days) the answer cost: lets anyone check that cost follows the answer.
      'x-items-read': String(itemsRead),
    };
    if (format === 'json') return json(200, answer, headers);
    const { body, detail } = csv(answer as A, q);
    const fileName = csvFileName(readRoutes[name].path, q.from, q.to, site.zone, detail);
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

/** GET of a saved kind (segments, funnels): `{"<kind>s": [...]}`, never cached (the owner may have just changed it). */
function listRoute(kind: SavedListKind<string>) {
  return async (site: Site, request: ApiRequest): Promise<ApiResult> => {
    checkParameters(`GET ${kind.path}`, [], request.query, request.queryParameterCount);
    const answer = { [kind.path.slice(1)]: await listNamed(kind, site.orgId, saved) };
    return json(200, answer, { 'cache-control': 'no-store' });
  };
}

/** PUT of a saved kind: answers the one saved. */
const saveRoute = (kind: SavedListKind<string>) => async (site: Site, request: ApiRequest) =>
  json(200, await saveNamed(kind, site.orgId, request.body, saved), { 'cache-control': 'no-store' });

/** DELETE ?name= of a saved kind: 204. */
const deleteRoute =
  (kind: SavedListKind<string>) =>
  async (site: Site, request: ApiRequest): Promise<ApiResult> => {
    await deleteNamed(kind, site.orgId, request.query, request.queryParameterCount, saved);
    return { statusCode: 204, headers: { 'cache-control': 'no-store' }, body: '' };
  };

const breakdown = readRoute('breakdown', parseBreakdownQuery, queryBreakdown, (a, q) => ({
  body: breakdownCsv(a),
  detail: q.property,
}));
const goals = readRoute('breakdown', parseGoalsQuery, queryGoals, (a) => ({
  body: goalsCsv(a),
  detail: goalsProperty,
}));
const props = readRoute('breakdown', parsePropsQuery, queryProps, (a, q) => ({
  body: propsCsv(a),
  detail: q.property,
}));

const answer = {
  visits: readRoute('visits', parseVisitsQuery, queryVisits, (a, q) => ({ body: visitsCsv(a, q.zone) })),
  stats: readRoute('stats', parseStatsQuery, queryStats, (a, q) => ({ body: statsCsv(a, q.zone) })),
  funnel: readRoute('funnel', parseFunnelQuery, queryFunnel, (a) => ({ body: funnelCsv(a) })),
  // GET /breakdown?property=event answers the goals, props.<key> (or props) an event property, any other a breakdown.
  breakdown: (site: Site, request: ApiRequest, now: number) =>
    (request.query.property === goalsProperty
      ? goals
      : isPropsProperty(request.query.property)
        ? props
        : breakdown)(site, request, now),
  // The owner's rows as CSV, whatever `format` says; named like the other downloads.
  export: async (site: Site, request: ApiRequest, now: number): Promise<ApiResult> => {
    const q = parseExportQuery(request.query, request.queryParameterCount, now, site.zone);
    const { csv, itemsRead } = await queryExport(site.orgId, q, { doc, visitsTable, ...explore });
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${csvFileName(readRoutes.export.path, q.from, q.to, site.zone)}"`,
        'cache-control': cacheControlFor(q, now),
        'x-items-read': String(itemsRead),
      },
      body: csv,
    };
  },
  // The last few minutes change every second: never cached, no CSV.
  realtime: async (site: Site, request: ApiRequest, now: number): Promise<ApiResult> => {
    const q = parseRealtimeQuery(request.query, request.queryParameterCount, now);
    const { itemsRead, ...answer } = await queryRealtime(site.orgId, q, { doc, countersTable });
    return json(200, answer, { 'cache-control': 'no-store', 'x-items-read': String(itemsRead) });
  },
  // What the dashboard needs before it asks for a range: the zone that days are cut in, and which site it is.
  site: async (site: Site, request: ApiRequest): Promise<ApiResult> => {
    checkParameters('GET /site', [], request.query, request.queryParameterCount);
    const org = await getOrg({ doc, orgsTable }, site.orgId);
    const answer: SiteAnswer = { timezone: site.zone, name: org?.name ?? '', domains: org?.domains ?? [] };
    return json(200, answer, { 'cache-control': 'no-store' });
  },
  // The org's saved segments and funnels: any reading key lists them (a shared dashboard applies them too).
  segments: listRoute(segments),
  funnels: listRoute(funnels),
} satisfies Record<keyof typeof readRoutes, unknown>;

/** The owner's changes: answered only for the org's read key (authorizeReader's `owner`). */
const change = {
  saveSegment: saveRoute(segments),
  deleteSegment: deleteRoute(segments),
  saveFunnel: saveRoute(funnels),
  deleteFunnel: deleteRoute(funnels),
} satisfies Record<keyof typeof ownerRoutes, unknown>;

export const handler = apiHandler('query', cors, async (request) => {
  const changing = (Object.keys(ownerRoutes) as (keyof typeof ownerRoutes)[]).find(
    (name) => request.method === ownerRoutes[name].method && request.path.endsWith(ownerRoutes[name].path),
  );
  if (changing) {
    const { method, path } = ownerRoutes[changing];
    const site = await authorizeReader(request.headers, resolveKey, `${method} ${path}`, true);
    return change[changing](site, request);
  }
  const route = (Object.keys(readRoutes) as (keyof typeof readRoutes)[]).find((name) =>
    request.path.endsWith(readRoutes[name].path),
  );
  if (!route)
    throw new NotFoundError(
      `No route ${request.method} ${request.path}; the read routes are ${Object.values(readRoutes)
        .map((r) => r.path)
        .join(', ')}, and ${Object.values(ownerRoutes)
        .map((r) => `${r.method} ${r.path}`)
        .join(', ')} change saved segments and funnels.`,
    );
  const site = await authorizeReader(request.headers, resolveKey, `GET ${readRoutes[route].path}`);
  return answer[route](site, request, Date.now());
});

/**
 * The engine for filtered questions: DuckDB over the archive's folder where ARCHIVE_DIR names one
 * (`npm start`; its native module is loaded only there), Athena where a workgroup is configured
 * (AWS), else none (the LocalStack free plan has S3 but no Athena or Glue).
 */
async function exploreDeps(): Promise<Pick<ExploreDeps, 'archive' | 'noArchiveReason'>> {
  if (process.env[envNames.archiveDir]) {
    const { fileBlobStore } = await import('../core/archive/blobs.js');
    const { duckDbEngine } = await import('./explore/duckdb.js');
    const blobs = fileBlobStore(process.env[envNames.archiveDir]!);
    return { archive: { blobs, engine: duckDbEngine(blobs) } };
  }
  if (process.env[envNames.athenaWorkgroup]) {
    const [{ AthenaClient }, { athenaEngine }] = await Promise.all([
      import('@aws-sdk/client-athena'),
      import('./explore/athena.js'),
    ]);
    const engine = athenaEngine(new AthenaClient({}), {
      workgroup: requireEnv(envNames.athenaWorkgroup),
      database: requireEnv(envNames.archiveDatabase),
      tables: { rows: requireEnv(envNames.archiveTable), visitPages: archive.tables.visitPages },
    });
    return { archive: { blobs: createArchiveBlobs(), engine } };
  }
  return {
    noArchiveReason:
      "This stack has no archive engine (LocalStack's free plan has S3 but not Athena or Glue; deploy to AWS or run npm start for older ranges)",
  };
}
