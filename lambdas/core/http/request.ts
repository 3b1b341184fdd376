/**
 * The HTTP edge of the handlers: one request shape for API Gateway's REST (v1) and HTTP (v2)
 * events, JSON answers, and the mapping of errors to status codes. A 4xx tells the caller what
 * was wrong; a 5xx never shows internals.
 */
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { HttpError, TooManyRequestsError } from './errors.js';

export type ApiEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2;
export type ApiResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

export interface ApiRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Every value of a parameter that may repeat (`filter`), in the order sent. */
  queryAll: Record<string, string[]>;
  /** How many query parameters were sent, repeated names included. */
  queryParameterCount: number;
  body: string;
  sourceIp: string;
  userAgent: string;
}

export function toApiRequest(event: ApiEvent): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (value !== undefined) headers[name.toLowerCase()] = value;
  const body = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  if ('version' in event && event.version === '2.0') {
    const v2 = event as APIGatewayProxyEventV2;
    const query = Object.fromEntries(
      Object.entries(v2.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
    );
    // API Gateway joins a repeated parameter's values with commas in queryStringParameters; the raw string keeps them apart.
    const queryAll: Record<string, string[]> = {};
    for (const [name, value] of new URLSearchParams(v2.rawQueryString ?? ''))
      queryAll[name] = [...(queryAll[name] ?? []), value];
    return {
      method: v2.requestContext.http.method,
      path: v2.rawPath,
      headers,
      query,
      queryAll,
      queryParameterCount: v2.rawQueryString ? v2.rawQueryString.split('&').length : 0,
      body,
      sourceIp: v2.requestContext.http.sourceIp,
      userAgent: v2.requestContext.http.userAgent ?? headers['user-agent'] ?? '',
    };
  }
  const v1 = event as APIGatewayProxyEvent;
  const query = Object.fromEntries(
    Object.entries(v1.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const multi = Object.values(v1.multiValueQueryStringParameters ?? {}).reduce(
    (n, values) => n + (values?.length ?? 0),
    0,
  );
  const queryAll: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(v1.multiValueQueryStringParameters ?? {}))
    if (values) queryAll[name] = values;
  for (const [name, value] of Object.entries(query)) queryAll[name] ??= [value];
  return {
    method: v1.httpMethod,
    path: v1.path,
    headers,
    query,
    queryAll,
    queryParameterCount: Math.max(multi, Object.keys(query).length),
    body,
    sourceIp: v1.requestContext?.identity?.sourceIp ?? '',
    userAgent: v1.requestContext?.identity?.userAgent ?? headers['user-agent'] ?? '',
  };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

/** The answer for an error: its own status and message for a client error, a bare 500 otherwise. */
export function errorResult(error: unknown, headers: Record<string, string> = {}): ApiResult {
  if (error instanceof TooManyRequestsError && error.retryAfterSeconds !== undefined)
    return json(
      429,
      { error: error.message },
      { ...headers, 'retry-after': String(error.retryAfterSeconds) },
    );
  if (error instanceof HttpError) return json(error.statusCode, { error: error.message }, headers);
  return json(500, { error: 'Internal error; it has been logged. Try again later.' }, headers);
}

/** The bearer token or x-api-key header, whichever is present. */
export function presentedKey(headers: Record<string, string>): string | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1]!.trim();
  }
  return headers['x-api-key']?.trim() || undefined;
}
