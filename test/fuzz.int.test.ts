/**
 * Property-based tests: thousands of generated requests (valid, almost valid and hostile)
 * against the real ingest and query handlers on the emulators. Never a 5xx, every 4xx says
 * what was wrong, and every message on the queue is a well-formed visit: one per 202.
 */
import fc from 'fast-check';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHandler, eventV2 } from '../local/api-server.js';
import { lambdaContext, type SqsHandler } from '../local/lambda-runtime.js';
import type { LocalStack } from '../local/stack.js';
import { queuedViewSchema } from '../lambdas/core/domain/queued-view.js';
import { startTestStack } from './helpers.js';

const RUNS = 10_000;
let stack: LocalStack;
let ingest: ApiHandler;
let query: ApiHandler;
const queued: string[] = [];

beforeAll(async () => {
  const recordBodies =
    (handler: SqsHandler): SqsHandler =>
    async (event, context) => {
      queued.push(...event.Records.map((r) => r.body));
      return handler(event, context);
    };
  // A generous throttle: this test is about inputs, not rates.
  stack = await startTestStack({
    wrapConsumer: recordBodies,
    throttle: { rateLimitPerSecond: 1e9, burstLimit: 1e9 },
  });
  // The stack has loaded the handlers with its environment; call them directly, as Lambda would.
  ingest = (await import('../lambdas/ingest/handler.js')).handler as unknown as ApiHandler;
  query = (await import('../lambdas/query/handler.js')).handler as unknown as ApiHandler;
});
afterAll(() => stack?.stop());

/** A request to /visits, built as the local API server builds its events. */
function event(
  method: 'GET' | 'POST',
  init: { body?: string; headers?: Record<string, string>; query?: Record<string, string> },
): APIGatewayProxyEventV2 {
  const url = new URL(`http://localhost/visits?${new URLSearchParams(init.query ?? {})}`);
  return eventV2({
    method,
    url,
    headers: { 'user-agent': 'fuzz', ...init.headers },
    body: init.body ?? '',
    sourceIp: '10.1.2.3',
  });
}

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom(
    "' OR 1=1; --",
    '{"$gt": ""}',
    '__proto__',
    'constructor',
    '<script>alert(1)</script>',
    '\u0000',
    '\uD800',
    'javascript:alert(1)',
    '../../etc/passwd',
    '9999-99-99T99:99:99Z',
    '0000-01-01T00:00:00Z',
    '275760-09-13T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    'NaN',
    '',
    ' ',
  ),
  fc.string({ minLength: 3000, maxLength: 6000 }),
);

const timeNear = fc
  .integer({ min: -3 * 86_400_000, max: 86_400_000 })
  .map((offset) => new Date(Date.now() + offset).toISOString());

describe('POST /visits under generated input', () => {
  it(`answers ${RUNS} generated bodies with 202 or a useful 4xx, and queues only well-formed visits`, async () => {
    const siteKey = stack.demo.siteKey;
    const validBody = fc.record(
      {
        key: fc.constant(siteKey),
        pageUrl: fc.webUrl({ withQueryParameters: true, withFragments: true }),
        eventId: fc.uuid(),
        visitedAt: timeNear,
        referrer: fc.oneof(fc.webUrl(), fc.constant('')),
        identifier: fc.string({ minLength: 1, maxLength: 40 }),
      },
      { requiredKeys: ['key', 'pageUrl'] },
    );
    // One field replaced by something of the wrong type or shape.
    const almostValid = fc
      .tuple(
        validBody,
        fc.constantFrom('key', 'pageUrl', 'eventId', 'visitedAt', 'referrer', 'identifier'),
        fc.oneof(hostileString, fc.jsonValue(), fc.integer()),
      )
      .map(([body, field, value]) => ({ ...body, [field]: value }));
    const pollution = fc.constantFrom(
      `{"key":"${siteKey}","pageUrl":"https://a.example/","__proto__":{"orgId":"evil","isAdmin":true}}`,
      `{"key":"${siteKey}","pageUrl":"https://a.example/","constructor":{"prototype":{"polluted":1}}}`,
      `{"key":{"$ne":null},"pageUrl":"https://a.example/"}`,
      `{"key":"${siteKey}","pageUrl":{"$gt":""}}`,
    );
    const deepJson = fc
      .integer({ min: 100, max: 5000 })
      .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
    const body = fc.oneof(
      { weight: 3, arbitrary: validBody.map((b) => JSON.stringify(b)) },
      { weight: 3, arbitrary: almostValid.map((b) => JSON.stringify(b)) },
      { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.oneof(hostileString, pollution, deepJson) },
      { weight: 1, arbitrary: fc.anything().map((v) => fc.stringify(v)) },
    );
    const headers = fc.record(
      {
        'content-type': fc.constantFrom(
          'text/plain',
          'application/json',
          'text/plain;charset=UTF-8',
          'application/xml',
          'multipart/form-data',
          '',
        ),
        'x-api-key': hostileString,
        origin: fc.oneof(fc.webUrl(), hostileString),
      },
      { requiredKeys: [] },
    );

    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, headers, async (rawBody, requestHeaders) => {
        const result = await ingest(
          event('POST', { body: rawBody, headers: requestHeaders }),
          lambdaContext('ingest'),
        );
        expect([202, 400, 401, 403, 413, 415]).toContain(result.statusCode);
        const answer = JSON.parse(result.body);
        if (result.statusCode === 202) {
          accepted++;
          expect(answer.eventId).toEqual(expect.any(String));
        } else {
          expect(answer.error).toEqual(expect.any(String));
          expect(answer.error.length).toBeGreaterThan(15);
        }
      }),
      { numRuns: RUNS },
    );

    await stack.drain(60_000);
    expect(accepted).toBeGreaterThan(RUNS / 10);
    expect(queued).toHaveLength(accepted);
    for (const message of queued) expect(queuedViewSchema.safeParse(JSON.parse(message)).success).toBe(true);
    expect(queued.some((m) => m.includes('evil') || m.includes('isAdmin') || m.includes('polluted'))).toBe(
      false,
    );
  });
});

describe('GET /visits under generated input', () => {
  it(`answers ${RUNS} generated query strings with 200 or a 400 that names the parameter`, async () => {
    const aggregation = fc.oneof(fc.constantFrom('minute', 'hour', 'day', 'month'), hostileString);
    const date = fc.oneof(
      fc
        .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString()),
      fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      timeNear,
      hostileString,
    );
    const hostileParams = fc.record(
      {
        aggregation,
        dateFrom: date,
        dateTo: date,
        pageUrl: fc.oneof(fc.webUrl(), hostileString),
        extra: hostileString,
      },
      { requiredKeys: [] },
    );
    // Ranges a dashboard would ask for: inside the limits or just past them.
    const dashboardParams = fc
      .tuple(
        fc.constantFrom('minute', 'hour', 'day', 'month'),
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        fc.integer({ min: 1, max: 40 * 86_400_000 }),
      )
      .map(([agg, ago, span]) => ({
        aggregation: agg,
        dateFrom: new Date(Date.now() - ago - span).toISOString(),
        dateTo: new Date(Date.now() - ago).toISOString(),
      }));
    const params = fc.oneof(
      { weight: 4, arbitrary: hostileParams },
      { weight: 1, arbitrary: dashboardParams },
    );
    const readKey = stack.demo.readKey;

    let ok = 0;
    await fc.assert(
      fc.asyncProperty(params, async (query) => {
        const result = await queryHandler(query, readKey);
        expect([200, 400]).toContain(result.statusCode);
        const answer = JSON.parse(result.body);
        if (result.statusCode === 200) {
          ok++;
          expect(typeof answer.data).toBe('object');
        } else {
          expect(answer.error).toMatch(/aggregation|dateFrom|dateTo|pageUrl|parameter|range|buckets/);
        }
      }),
      { numRuns: RUNS },
    );
    expect(ok).toBeGreaterThan(RUNS / 20);
  });
});

async function queryHandler(params: Record<string, string | undefined>, readKey: string) {
  const queryParams = Object.fromEntries(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return query(
    event('GET', { query: queryParams, headers: { authorization: `Bearer ${readKey}` } }),
    lambdaContext('query'),
  );
}
