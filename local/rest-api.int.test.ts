/**
 * The REST API (API Gateway v1) event path, which the LocalStack target uses, through the real
 * ingest and query handlers: the same HTTP requests sent to the local API as v2 events (HTTP
 * API) and as v1 events (REST API) get the same answers, and queue the same visits.
 */
import { randomUUID } from 'node:crypto';
import { type Server, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketStart, toIso } from '../lambdas/core/domain/buckets.js';
import type { QueuedView } from '../lambdas/core/domain/queued-view.js';
import { browsers } from '../test/user-agents.js';
import { startTestStack } from '../test/helpers.js';
import { createApiListener } from './api-server.js';
import { loadHandlers } from './lambda-runtime.js';
import type { SqsHandler } from './sqs-poller.js';
import type { LocalStack } from './stack.js';

let stack: LocalStack;
let restServer: Server;
let restUrl: string;
const queued: QueuedView[] = [];

beforeAll(async () => {
  const recordVisits =
    (handler: SqsHandler): SqsHandler =>
    async (event, context) => {
      queued.push(...event.Records.map((r) => JSON.parse(r.body) as QueuedView));
      return handler(event, context);
    };
  stack = await startTestStack({ wrapConsumer: recordVisits });
  // The handlers the stack loaded (one set per process), behind a second listener that sends v1 events.
  const handlers = await loadHandlers(stack.env);
  restServer = createServer(
    createApiListener({
      ingest: handlers.ingest,
      query: handlers.query,
      queryOrigins: [],
      eventVersion: '1.0',
    }),
  );
  await new Promise<void>((resolve) => restServer.listen(0, '127.0.0.1', resolve));
  restUrl = `http://127.0.0.1:${(restServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => restServer?.close(resolve));
  await stack?.stop();
});

interface Answer {
  status: number;
  contentType: string | undefined;
  allowOrigin: string | undefined;
  cacheControl: string | undefined;
  body: string;
}

/**
 * Sends with node:http, which keeps header names as written: a REST API passes them to the
 * function in the client's case, an HTTP API in lower case.
 */
function send(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          contentType: res.headers['content-type'],
          allowOrigin: res.headers['access-control-allow-origin'] as string | undefined,
          cacheControl: res.headers['cache-control'],
          body: text,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const browser = {
  'User-Agent': browsers.safariIphone,
  'Content-Type': 'text/plain;charset=UTF-8',
  Origin: 'https://shop.example',
};

describe('POST /visits as a REST API (v1) event', () => {
  const valid = () => ({
    key: stack.demo.siteKey,
    pageUrl: 'https://shop.example/pricing?utm_source=news',
    eventId: randomUUID(),
    referrer: 'https://news.ycombinator.com/',
    tz: 'Asia/Kolkata',
  });

  describe.each([
    ['a valid view', (): string => JSON.stringify(valid()), {}, 202],
    [
      'a valid view with the key in X-Api-Key',
      (): string => JSON.stringify({ ...valid(), key: undefined }),
      { 'X-Api-Key': 'SITE' },
      202,
    ],
    ['a body that is not JSON', (): string => '{"key": ', {}, 400],
    ['a missing pageUrl', (): string => JSON.stringify({ key: stack.demo.siteKey }), {}, 400],
    ['no key', (): string => JSON.stringify({ pageUrl: 'https://shop.example/' }), {}, 401],
    [
      'an unknown key',
      (): string => JSON.stringify({ key: 'pvs_nope', pageUrl: 'https://shop.example/' }),
      {},
      401,
    ],
    ['a read key', (): string => JSON.stringify({ key: 'READ', pageUrl: 'https://shop.example/' }), {}, 403],
    [
      'an XML content type',
      (): string => JSON.stringify(valid()),
      { 'Content-Type': 'application/xml' },
      415,
    ],
  ] as const)('with %s', (_name, makeBody, extraHeaders, status) => {
    it(`answers ${status} as the HTTP API (v2) path does`, async () => {
      const body = makeBody().replace('READ', stack.demo.readKey);
      const headers: Record<string, string> = { ...browser, ...extraHeaders };
      if (headers['X-Api-Key'] === 'SITE') headers['X-Api-Key'] = stack.demo.siteKey;

      const [v2, v1] = [
        await send(stack.apiUrl, 'POST', '/visits', headers, body),
        await send(restUrl, 'POST', '/visits', headers, body),
      ];

      expect(v2.status).toBe(status);
      expect(v1).toEqual(v2);
    });
  });

  it('queues the same visit from the same visitor: IP, User-Agent and headers read from the v1 event', async () => {
    const v2Id = randomUUID();
    const v1Id = randomUUID();
    const visitedAt = new Date(Date.now() - 1000).toISOString();
    const body = (eventId: string) => JSON.stringify({ ...valid(), eventId, visitedAt });
    const headers = { ...browser, 'CloudFront-Viewer-Country': 'CH' };

    expect((await send(stack.apiUrl, 'POST', '/visits', headers, body(v2Id))).status).toBe(202);
    expect((await send(restUrl, 'POST', '/visits', headers, body(v1Id))).status).toBe(202);
    await stack.drain();

    const { eventId: _a, ...viaV2 } = queued.find((v) => v.eventId === v2Id)!;
    const { eventId: _b, ...viaV1 } = queued.find((v) => v.eventId === v1Id)!;
    expect(viaV1).toEqual(viaV2);
    expect(viaV2).toMatchObject({
      browser: 'Safari',
      os: 'iOS',
      device: 'mobile',
      country: 'CH',
      source: 'news',
      utm_source: 'news',
      referrer: 'news.ycombinator.com',
    });
  });
});

describe('GET /visits as a REST API (v1) event', () => {
  const day = toIso(bucketStart(Date.now(), 'day'));
  const nextDay = toIso(bucketStart(Date.now(), 'day') + 86_400_000);

  beforeAll(async () => {
    // Views of their own pages, so the answers below have counts in them.
    for (const path of ['/a', '/a', '/b']) {
      const body = JSON.stringify({
        key: stack.demo.siteKey,
        pageUrl: `https://shop.example${path}`,
        eventId: randomUUID(),
      });
      expect((await send(stack.apiUrl, 'POST', '/visits', browser, body)).status).toBe(202);
    }
    await stack.drain();
  });

  describe.each([
    [
      'a day query with a bearer key',
      `/visits?aggregation=day&dateFrom=${day}&dateTo=${nextDay}`,
      'bearer',
      200,
    ],
    [
      'an hour query with the key in X-Api-Key',
      `/visits?aggregation=hour&dateFrom=${day}&dateTo=${nextDay}`,
      'x-api-key',
      200,
    ],
    [
      'a page filter',
      `/visits?aggregation=day&dateFrom=${day}&dateTo=${nextDay}&pageUrl=${encodeURIComponent('https://shop.example/a')}`,
      'bearer',
      200,
    ],
    ['an unknown aggregation', '/visits?aggregation=week', 'bearer', 400],
    ['a malformed date', '/visits?aggregation=day&dateFrom=yesterday', 'bearer', 400],
    ['no key', `/visits?aggregation=day&dateFrom=${day}&dateTo=${nextDay}`, 'none', 401],
    ['a site key', `/visits?aggregation=day&dateFrom=${day}&dateTo=${nextDay}`, 'site', 403],
  ] as const)('with %s', (_name, path, auth, status) => {
    it(`answers ${status} as the HTTP API (v2) path does`, async () => {
      const headers: Record<string, string> = { 'User-Agent': browsers.chromeWindows };
      if (auth === 'bearer') headers.Authorization = `Bearer ${stack.demo.readKey}`;
      if (auth === 'x-api-key') headers['X-Api-Key'] = stack.demo.readKey;
      if (auth === 'site') headers.Authorization = `Bearer ${stack.demo.siteKey}`;

      const [v2, v1] = [
        await send(stack.apiUrl, 'GET', path, headers),
        await send(restUrl, 'GET', path, headers),
      ];

      expect(v2.status).toBe(status);
      expect(v1).toEqual(v2);
      if (status === 200) expect(v2.body).toContain('https://shop.example/a');
    });
  });
});
