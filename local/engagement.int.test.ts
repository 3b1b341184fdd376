/**
 * Time on page and scroll depth over HTTP against the local stack: POST /engagement counted once
 * per page view whatever the duplicates, averaged over the views that reported one in the rows
 * of GET /breakdown?property=page (JSON and CSV); bots and bad bodies never counted.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUserAgent } from '../lambdas/core/settings.js';
import { getVisits, postVisit, startTestStack } from '../test/helpers.js';
import type { LocalStack } from './stack.js';

const site = 'https://engaged.test';
let stack: LocalStack;
const range = () => ({
  dateFrom: new Date(Date.now() - 3_600_000).toISOString(),
  dateTo: new Date(Date.now() + 60_000).toISOString(),
});

async function postEngagement(body: Record<string, unknown>, userAgent = browserUserAgent) {
  const response = await fetch(`${stack.apiUrl}/engagement`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': userAgent },
    body: JSON.stringify({ key: stack.demo.siteKey, ...body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

beforeAll(async () => {
  stack = await startTestStack();
  const pricing = `${site}/pricing`;
  const views = Array.from({ length: 3 }, () => randomUUID());
  const firstEngagement = {
    pageUrl: pricing,
    identifier: 'a',
    viewId: views[0],
    engagedMs: 4_400,
    scrollDepth: 100,
  };
  const answers = await Promise.all([
    // The engagement of the first view arrives before the view itself, and twice.
    postEngagement(firstEngagement),
    postEngagement(firstEngagement),
    ...views.map((eventId, i) =>
      postVisit(stack.apiUrl, { key: stack.demo.siteKey, pageUrl: pricing, identifier: 'abc'[i], eventId }),
    ),
    postEngagement({
      pageUrl: pricing,
      identifier: 'b',
      viewId: views[1],
      engagedMs: 12_600,
      scrollDepth: 49.6,
    }),
    // The third view never reported its engagement (the tab was closed by a crash): not in the averages.
    // A crawler's engagement is accepted and not counted.
    postEngagement(
      { pageUrl: pricing, viewId: randomUUID(), engagedMs: 600_000, scrollDepth: 0 },
      'Googlebot/2.1 (+http://www.google.com/bot.html)',
    ),
    postVisit(stack.apiUrl, { key: stack.demo.siteKey, pageUrl: `${site}/`, identifier: 'c' }),
  ]);
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
  expect(await stack.drain()).toBe(true);
}, 60_000);
afterAll(() => stack?.stop());

describe('time on page and scroll depth', () => {
  it('averages each page view once over the views that reported it, and leaves the others null', async () => {
    const { status, body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { property: 'page', ...range() },
      '/breakdown',
    );
    expect(status).toBe(200);
    // (4 + 13) / 2 = 8.5 -> 9 seconds; (100 + 50) / 2 = 75 percent.
    expect(body.data).toEqual([
      { value: `${site}/pricing`, visitors: 3, visits: 3, pageviews: 3, time_on_page: 9, scroll_depth: 75 },
      { value: `${site}/`, visitors: 1, visits: 1, pageviews: 1, time_on_page: null, scroll_depth: null },
    ]);
  });

  it('never counts an engagement as a page view or a visit', async () => {
    const { body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { aggregation: 'day', ...range() },
      '/stats',
    );
    expect(body.totals).toMatchObject({ visitors: 3, visits: 3, pageviews: 4, bots: 0 });
  });

  it('exports the page rows with time_on_page and scroll_depth columns', async () => {
    const response = await fetch(
      `${stack.apiUrl}/breakdown?${new URLSearchParams({ property: 'page', format: 'csv', ...range() })}`,
      { headers: { authorization: `Bearer ${stack.demo.readKey}` } },
    );
    expect((await response.text()).split('\r\n')).toEqual([
      'value,visitors,visits,pageviews,time_on_page,scroll_depth',
      `${site}/pricing,3,3,3,9,75`,
      `${site}/,1,1,1,,`,
      '',
    ]);
  });

  it.each([
    [
      { engagedMs: 1000, scrollDepth: 10 },
      'viewId must be the eventId of the page view: 8 to 64 letters, digits, "-" or "_"',
    ],
    [
      { viewId: 'view-0001', scrollDepth: 10 },
      'engagedMs must be the milliseconds the page was visible, from 0 to 86400000',
    ],
    [{ viewId: 'view-0001', engagedMs: -1, scrollDepth: 10 }, 'engagedMs must be from 0 to 86400000 (a day)'],
    [
      { viewId: 'view-0001', engagedMs: 86_400_001, scrollDepth: 10 },
      'engagedMs must be from 0 to 86400000 (a day)',
    ],
    [
      { viewId: 'view-0001', engagedMs: 1000, scrollDepth: 101 },
      'scrollDepth must be from 0 to 100 (percent of the page)',
    ],
    [
      { viewId: 'view-0001', engagedMs: 1000, scrollDepth: '50' },
      'scrollDepth must be the deepest point reached, in percent of the page, from 0 to 100',
    ],
  ])('refuses %j with a 400 that says what is accepted', async (fields, error) => {
    const { status, body } = await postEngagement({ pageUrl: `${site}/`, ...fields });
    expect({ status, body }).toEqual({ status: 400, body: { error } });
  });
});
