/**
 * Ingest's per-client limit and the API's separate read and write throttles, over HTTP on a
 * local stack started as `PAGEVIEWS_CLIENT_LIMIT=0.01/4 npm start` would be (its own file: the
 * handlers read the limit once, at cold start).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getVisits, postVisit, startTestStack } from '../test/helpers.js';
import type { LocalStack } from './stack.js';

let stack: LocalStack;
beforeAll(async () => {
  // The API's throttle is lowered too, with almost no refill: 12 writes and 12 reads in all.
  stack = await startTestStack({
    clientLimit: '0.01/4',
    throttle: { rateLimitPerSecond: 0.01, burstLimit: 12 },
  });
});
afterAll(() => stack?.stop());

describe('with a per-client limit of bursts of 4 (refilled once in 100 s, so a slow machine cannot refill it)', () => {
  it('refuses a fifth quick view from one browser with 429 and takes the same views from another', async () => {
    const post = (userAgent: string) =>
      postVisit(
        stack.apiUrl,
        { key: stack.demo.siteKey, pageUrl: 'https://demo.example/' },
        { headers: { 'user-agent': userAgent } },
      );
    const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
    const safari =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';
    const fromFirefox = [];
    for (let i = 0; i < 5; i++) fromFirefox.push(await post(firefox));
    expect(fromFirefox.map((r) => r.status)).toEqual([202, 202, 202, 202, 429]);
    expect(fromFirefox[4]!.body?.error).toMatch(
      /^Too many requests from this client \(address and browser\)/,
    );
    const fromSafari = [];
    for (let i = 0; i < 4; i++) fromSafari.push(await post(safari));
    expect(fromSafari.map((r) => r.status)).toEqual([202, 202, 202, 202]);
  });

  it("throttles posts and reads apart: once the writes' burst is spent, the dashboard still reads", async () => {
    // 9 of the 12 writes are spent above: 3 more pass the API (a new browser for the client limit), then 429.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await postVisit(stack.apiUrl, { key: stack.demo.siteKey, pageUrl: 'https://demo.example/' })).status,
      );
    expect(statuses.slice(3)).toEqual([429]);
    const throttled = await postVisit(stack.apiUrl, {
      key: stack.demo.siteKey,
      pageUrl: 'https://demo.example/',
    });
    expect(throttled.body?.error).toMatch(
      /^Too many requests: the API accepts 0\.01 write requests per second/,
    );
    for (let i = 0; i < 5; i++)
      expect((await getVisits(stack.apiUrl, stack.demo.readKey, {}, '/realtime')).status).toBe(200);
  });
});
