/**
 * Custom events over HTTP: POST /events counted exactly once by eventId, never as page views;
 * GET /breakdown?property=event with conversion rates; GET /stats?filter=event:<name> for the
 * visits in which the event happened; bad events refused with what is accepted.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getVisits, postVisit, startTestStack } from '../test/helpers.js';
import type { LocalStack } from './stack.js';

const site = 'https://events.test';
let stack: LocalStack;
const range = () => ({
  dateFrom: new Date(Date.now() - 86_400_000).toISOString(),
  dateTo: new Date(Date.now() + 60_000).toISOString(),
});

async function postEvent(body: Record<string, unknown>) {
  const response = await fetch(`${stack.apiUrl}/events`, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain',
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

beforeAll(async () => {
  stack = await startTestStack();
  const start = Date.now() - 30 * 60_000;
  const at = (minute: number) => new Date(start + minute * 60_000).toISOString();
  const view = (visitor: string, minute: number, path: string) =>
    postVisit(stack.apiUrl, {
      key: stack.demo.siteKey,
      pageUrl: site + path,
      identifier: visitor,
      visitedAt: at(minute),
      eventId: randomUUID(),
    });
  const event = (visitor: string, minute: number, name: string, eventId = randomUUID()) =>
    postEvent({
      key: stack.demo.siteKey,
      pageUrl: `${site}/`,
      identifier: visitor,
      visitedAt: at(minute),
      eventId,
      name,
    });
  const signupOfB = randomUUID();
  const answers = await Promise.all([
    view('a', 0, '/'),
    event('a', 1, 'Signup'),
    view('a', 2, '/thanks'),
    view('b', 0, '/'),
    event('b', 0.5, 'Signup', signupOfB),
    event('b', 0.5, 'Signup', signupOfB), // sent twice: counted once
    event('b', 0.7, 'Download'),
    view('c', 3, '/pricing'),
  ]);
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
  expect(await stack.drain()).toBe(true);
}, 60_000);
afterAll(() => stack?.stop());

describe('custom events', () => {
  it('lists goals with their visitors, events and conversion rate, a duplicate counted once', async () => {
    const { status, body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { property: 'event', ...range() },
      '/breakdown',
    );
    expect(status).toBe(200);
    expect(body.data).toEqual([
      { value: 'Signup', visitors: 2, events: 2, conversion_rate: 66.7 },
      { value: 'Download', visitors: 1, events: 1, conversion_rate: 33.3 },
    ]);
  });

  it('never counts an event as a page view', async () => {
    const { body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { aggregation: 'day', ...range() },
      '/stats',
    );
    expect(body.totals).toMatchObject({ visitors: 3, visits: 3, pageviews: 4 });
  });

  it('filters the top row to the visits in which the event happened', async () => {
    for (const aggregation of ['hour', 'day']) {
      const { body } = await getVisits(
        stack.apiUrl,
        stack.demo.readKey,
        { aggregation, filter: 'event:Signup', ...range() },
        '/stats',
      );
      expect(body.totals).toMatchObject({
        visitors: 2,
        visits: 2,
        pageviews: 3,
        bounces: 1,
        bounce_rate: 50,
      });
    }
  });

  it('exports goals as CSV with their own columns', async () => {
    const response = await fetch(
      `${stack.apiUrl}/breakdown?${new URLSearchParams({ property: 'event', format: 'csv', ...range() })}`,
      { headers: { authorization: `Bearer ${stack.demo.readKey}` } },
    );
    expect((await response.text()).split(/\r?\n/).slice(0, 2)).toEqual([
      'value,visitors,events,conversion_rate',
      'Signup,2,2,66.7',
    ]);
  });

  it.each([
    [{}, /name must be 1 to 120 characters|name has the wrong type/],
    [{ name: 'pageview' }, /must not be blank or "pageview"/],
    [{ name: 'x'.repeat(121) }, /name must be at most 120 characters/],
  ])('refuses an event %j with 400 saying what is accepted', async (fields, message) => {
    const { status, body } = await postEvent({ key: stack.demo.siteKey, pageUrl: `${site}/`, ...fields });
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });
});
