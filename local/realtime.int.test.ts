/**
 * GET /realtime over HTTP: visitors with views inside and outside the last five minutes, late
 * and duplicate views, and a bot; the answer counts each visitor seen in the window once, on the
 * page they viewed last.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bots } from '../test/user-agents.js';
import { getVisits, postVisit, startTestStack } from '../test/helpers.js';
import type { LocalStack } from './stack.js';

const MINUTE = 60_000;
const site = 'https://realtime.test';
let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
  const now = Date.now();
  const view = (visitor: string, minutesAgo: number, path: string, eventId = randomUUID()) => ({
    key: stack.demo.siteKey,
    pageUrl: site + path,
    identifier: visitor,
    visitedAt: new Date(now - minutesAgo * MINUTE).toISOString(),
    eventId,
  });
  const duplicate = view('d', 3, '/d1');
  const sends = [
    view('a', 20, '/old'), // a: was here long ago, and again now
    view('a', 1, '/now-a'),
    view('b', 2, '/b'), // b: only now
    view('c', 15, '/c'), // c: only long ago
    duplicate, // d: two views in the window, the first sent twice
    duplicate,
    view('d', 0.5, '/d2'),
    view('e', 1, '/e'), // e: a recent view, then an old one arrives late
  ];
  for (const body of sends) expect((await postVisit(stack.apiUrl, body)).status).toBe(202);
  expect(await stack.drain()).toBe(true);
  expect((await postVisit(stack.apiUrl, view('e', 12, '/e-earlier'))).status).toBe(202);
  expect(
    (
      await postVisit(
        stack.apiUrl,
        { key: stack.demo.siteKey, pageUrl: `${site}/`, eventId: randomUUID() },
        { headers: { 'user-agent': bots.googlebot } },
      )
    ).status,
  ).toBe(202);
  expect(await stack.drain()).toBe(true);
}, 60_000);
afterAll(() => stack?.stop());

describe('GET /realtime', () => {
  it('counts the distinct visitors of the last five minutes, each on the page viewed last', async () => {
    const { status, headers, body } = await getVisits(stack.apiUrl, stack.demo.readKey, {}, '/realtime');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toEqual({
      visitors: 4,
      pageviews: 5,
      pages: [
        { value: `${site}/b`, visitors: 1 },
        { value: `${site}/d2`, visitors: 1 },
        { value: `${site}/e`, visitors: 1 },
        { value: `${site}/now-a`, visitors: 1 },
      ],
    });
  });

  it('takes no parameters, and the read key like every read route', async () => {
    expect(
      (await getVisits(stack.apiUrl, stack.demo.readKey, { aggregation: 'minute' }, '/realtime')).body.error,
    ).toMatch(/GET \/realtime takes no query parameters/);
    expect((await getVisits(stack.apiUrl, stack.demo.siteKey, {}, '/realtime')).status).toBe(403);
    expect((await getVisits(stack.apiUrl, undefined, {}, '/realtime')).status).toBe(401);
  });
});
