/**
 * The local API Gateway: turns each HTTP request into a real API Gateway v2 (HTTP API) event
 * for the same handler functions that Lambda runs, with the routes, CORS and throttling that
 * the CDK stack configures. With `eventVersion: '1.0'` it sends REST API (v1) events instead, as
 * the LocalStack target's REST API does.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { cors as corsSettings, queryRoutes, throttling, writeRoutes } from '../lambdas/core/settings.js';
import { tokenBucket } from '../lambdas/core/domain/token-bucket.js';
import { type ApiHandler, lambdaContext } from './lambda-runtime.js';
import { debugLine, hangUpLine, isClientHangUp } from './aborted.js';

export type { ApiHandler };

export interface ApiServerOptions {
  ingest: ApiHandler;
  query: ApiHandler;
  /** Origins allowed to read (the dashboard); any origin may send visits. */
  queryOrigins: string[];
  /** Both throttles at once (tests lift them); by default the settings' numbers, reads apart from writes. */
  rateLimitPerSecond?: number;
  burstLimit?: number;
  /** The API Gateway event the handlers get: '2.0' (HTTP API, the default) or '1.0' (REST API). */
  eventVersion?: '1.0' | '2.0';
  /** Where a client that hung up is reported: Node's debug channel by default (local/aborted.ts). */
  debug?: (line: string) => void;
}

/** Every route and the function that answers it, as the CDK stack adds them (infra/constructs/routes.ts). */
const allRoutes = [
  ...Object.values(writeRoutes).map((route) => ({ route, side: 'ingest' as const })),
  ...Object.values(queryRoutes).map((route) => ({ route, side: 'query' as const })),
];
const queryMethods: string[] = Object.values(queryRoutes).map((r) => r.method);
const allMethods = [...new Set(allRoutes.map((r) => r.route.method))];
/** `POST /visits, /events, /engagement and GET /visits, ...`: what a 404 lists. */
const routeList = allMethods
  .map(
    (method) =>
      `${method} ${allRoutes
        .filter((r) => r.route.method === method)
        .map((r) => r.route.path)
        .join(', ')}`,
  )
  .join(' and ');

/** API Gateway refuses payloads over 10 MB; locally a smaller cap protects the process. */
const MAX_REQUEST_BYTES = 1024 * 1024;
const MAX_URL_LENGTH = 8192;

export function createApiListener(options: ApiServerOptions): RequestListener {
  // Reads and writes are throttled apart, as API Gateway's route settings do: a flood of posts
  // cannot spend the dashboard's share.
  const limits = {
    write: {
      ratePerSecond: options.rateLimitPerSecond ?? throttling.rateLimitPerSecond,
      burst: options.burstLimit ?? throttling.burstLimit,
    },
    read: {
      ratePerSecond: options.rateLimitPerSecond ?? throttling.reads.rateLimitPerSecond,
      burst: options.burstLimit ?? throttling.reads.burstLimit,
    },
  };
  const buckets = { write: tokenBucket(limits.write), read: tokenBucket(limits.read) };
  const toEvent = options.eventVersion === '1.0' ? toEventV1 : toEventV2;
  const debug = options.debug ?? debugLine;
  return (req, res) => {
    handle(req, res).catch((error) => {
      if (isClientHangUp(error, req)) return debug(hangUpLine('api', req, error));
      if (!res.headersSent)
        reply(
          res,
          500,
          { 'content-type': 'application/json' },
          JSON.stringify({ error: 'Internal error in the local API' }),
        );
      console.error(error);
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    // The query function's methods (GET, and the owner's PUT and DELETE) answer only the
    // dashboard's origins; a beacon (POST) may come from any page.
    const isQuery = [req.method, req.headers['access-control-request-method']].some((method) =>
      queryMethods.includes(method ?? ''),
    );
    const cors = corsHeaders(origin, isQuery ? options.queryOrigins : [corsSettings.beaconOrigin]);

    if ((req.url ?? '').length > MAX_URL_LENGTH)
      return replyJson(res, 414, cors, { error: `The URL is longer than ${MAX_URL_LENGTH} characters.` });
    const onPath = allRoutes.filter((r) => r.route.path === url.pathname);
    if (onPath.length === 0) {
      return replyJson(res, 404, cors, {
        error: `No route ${req.method} ${url.pathname}; the API serves ${routeList}.`,
      });
    }
    if (req.method === 'OPTIONS') {
      return reply(
        res,
        204,
        {
          ...cors,
          'access-control-allow-methods': allMethods.join(', '),
          'access-control-allow-headers': corsSettings.allowHeaders.join(', '),
          'access-control-max-age': String(corsSettings.maxAgeSeconds),
        },
        '',
      );
    }
    const side = onPath.find((r) => r.route.method === req.method)?.side;
    if (!side) {
      const allowed =
        url.pathname === writeRoutes.pageviews.path
          ? 'use POST to send a visit or GET to read counts'
          : `${url.pathname} takes ${onPath.map((r) => r.route.method).join(' or ')}`;
      return replyJson(res, 405, cors, {
        error: `${req.method} is not allowed on ${url.pathname}; ${allowed}.`,
      });
    }
    const handler = options[side];
    const kind = handler === options.query ? 'read' : 'write';
    if (!buckets[kind].take()) {
      const { ratePerSecond, burst } = limits[kind];
      return replyJson(res, 429, cors, {
        error: `Too many requests: the API accepts ${ratePerSecond} ${kind} requests per second (bursts of ${burst}). Retry later.`,
      });
    }

    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (body === undefined)
      return replyJson(res, 413, cors, { error: `The request body is over ${MAX_REQUEST_BYTES} bytes.` });

    const result = await handler(toEvent(req, url, body), lambdaContext(isQuery ? 'query' : 'ingest'));
    reply(res, result.statusCode, { ...result.headers, ...cors }, result.body);
  }
}

/** The HTTP API (payload format 2.0) event for a request. */
function toEventV2(req: IncomingMessage, url: URL, body: string): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  return eventV2({
    method: req.method ?? 'GET',
    url,
    headers,
    body,
    protocol: `HTTP/${req.httpVersion}`,
    sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
  });
}

/** The HTTP API (payload format 2.0) event of a request given by its parts (the fuzz test builds its requests this way). */
export function eventV2(r: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  protocol?: string;
  sourceIp: string;
}): APIGatewayProxyEventV2 {
  const query: Record<string, string> = {};
  // API Gateway joins repeated parameters with commas.
  for (const [name, value] of r.url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `${r.method} ${r.url.pathname}`,
    rawPath: r.url.pathname,
    rawQueryString: r.url.search.slice(1),
    headers: r.headers,
    ...(r.url.search ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: r.headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: r.method,
        path: r.url.pathname,
        protocol: r.protocol ?? 'HTTP/1.1',
        sourceIp: r.sourceIp,
        userAgent: r.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: `${r.method} ${r.url.pathname}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(r.body ? { body: r.body } : {}),
    isBase64Encoded: false,
  };
}

/**
 * The REST API (payload format 1.0) event for a request, as API Gateway's Lambda proxy
 * integration builds it: header names as the client sent them, the last value of a repeated
 * header or query parameter in the single-value maps and all of them in the multi-value maps,
 * null for absent maps and body, and the caller in `requestContext.identity`.
 */
function toEventV1(req: IncomingMessage, url: URL, body: string): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiValueQuery[name] = [...(multiValueQuery[name] ?? []), value];
  }
  const hasQuery = url.searchParams.size > 0;
  const method = req.method ?? 'GET';
  const now = new Date();
  const stage = 'prod';
  return {
    resource: url.pathname,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQuery : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: undefined,
      domainName: req.headers.host ?? 'localhost',
      httpMethod: method,
      path: `/${stage}${url.pathname}`,
      protocol: `HTTP/${req.httpVersion}`,
      requestId: randomUUID(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: url.pathname,
      stage,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        user: null,
        userAgent: req.headers['user-agent'] ?? null,
        userArn: null,
      },
    },
    body: body || null,
    isBase64Encoded: false,
  };
}

function corsHeaders(origin: string | undefined, allowed: string[]): Record<string, string> {
  if (!origin) return {};
  if (allowed.includes(corsSettings.beaconOrigin))
    return { 'access-control-allow-origin': corsSettings.beaconOrigin };
  return allowed.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'origin' } : {};
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}

function replyJson(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
): void {
  reply(res, status, { ...headers, 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
}
