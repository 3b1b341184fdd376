/**
 * The figures an owner reads, over HTTP, when one visitor goes past the 100 views a visitor-day
 * keeps and when a visit sends a custom event: a visitor past the cap counts once everywhere
 * (realtime, visitors, goals), views past the cap are page views in no visit (so views per visit
 * is of the visits' views), and a visit with one page view and an event is not a bounce.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitorModel } from '../lambdas/core/settings.js';
import { createOrg, setOrgTimezone } from '../lambdas/core/store/orgs.js';
import { browsers } from '../test/user-agents.js';
import { getVisits, startTestStack } from '../test/helpers.js';
import type { LocalStack } from './stack.js';

const site = 'https://figures.test';
const heavyViews = 150;
let stack: LocalStack;
let start: number;

const range = () => ({
  aggregation: 'hour',
  dateFrom: new Date(start - 3600_000).toISOString(),
  dateTo: new Date(Date.now() + 60_000).toISOString(),
});

async function post(route: '/visits' | '/events', body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${stack.apiUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': browsers.chromeWindows },
    body: JSON.stringify({ key: stack.demo.siteKey, eventId: randomUUID(), ...body }),
  });
  expect(response.status).toBe(202);
}

beforeAll(async () => {
  stack = await startTestStack();
  // Every view within the last three minutes: all of them in GET /realtime's window.
  start = Date.now() - 3 * 60_000;
  const at = (second: number) => new Date(start + second * 1000).toISOString();
  // The heavy visitor: 150 views one after another, drained in parts, then 5 signups past the cap.
  for (let i = 0; i < heavyViews; i++) {
    await post('/visits', { pageUrl: `${site}/p${i % 5}`, identifier: 'heavy', visitedAt: at(i) });
    if (i % 40 === 39) expect(await stack.drain()).toBe(true);
  }
  for (let i = 0; i < 5; i++)
    await post('/events', {
      pageUrl: `${site}/p0`,
      identifier: 'heavy',
      visitedAt: at(heavyViews + i),
      name: 'Signup',
    });
  // One page view and a custom event: engaged, not a bounce.
  await post('/visits', { pageUrl: `${site}/`, identifier: 'engaged', visitedAt: at(10) });
  await post('/events', { pageUrl: `${site}/`, identifier: 'engaged', visitedAt: at(20), name: 'Signup' });
  // One page view and nothing else: a bounce.
  await post('/visits', { pageUrl: `${site}/`, identifier: 'bounced', visitedAt: at(30) });
  expect(await stack.drain()).toBe(true);
}, 120_000);
afterAll(() => stack?.stop());

describe('a visitor past the cap of kept views', () => {
  it('counts once in GET /realtime, however many views they sent', async () => {
    const { body } = await getVisits(stack.apiUrl, stack.demo.readKey, {}, '/realtime');
    expect(body.visitors).toBe(3);
    expect(body.pageviews).toBe(heavyViews + 2);
    expect(body.pages.reduce((n: number, p: { visitors: number }) => n + p.visitors, 0)).toBe(3);
  });

  it('counts every view as a page view, and views per visit of the views in visits only', async () => {
    const { body } = await getVisits(stack.apiUrl, stack.demo.readKey, range(), '/stats');
    expect(body.totals).toMatchObject({ visitors: 3, visits: 3, pageviews: heavyViews + 2 });
    // (100 kept views + 1 + 1) / 3 visits: the 50 views past the cap are in no visit.
    expect(body.totals.views_per_visit).toBe(Math.round((100 * (visitorModel.maxViewsPerDay + 2)) / 3) / 100);
  });

  it('counts among the visitors of a goal it did only past the cap', async () => {
    const { body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { property: 'event', dateFrom: range().dateFrom, dateTo: range().dateTo },
      '/breakdown',
    );
    expect(body.data).toEqual([{ value: 'Signup', visitors: 2, events: 6, conversion_rate: 66.7 }]);
  });
});

describe('a custom event is engagement', () => {
  it('makes a visit with one page view not a bounce, in the totals and with a filter', async () => {
    const all = await getVisits(stack.apiUrl, stack.demo.readKey, range(), '/stats');
    // Only the visit with one page view and nothing else bounced.
    expect(all.body.totals).toMatchObject({ bounces: 1, bounce_rate: 33 });
    const signups = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { ...range(), filter: 'event:Signup' },
      '/stats',
    );
    expect(signups.body.totals).toMatchObject({ visits: 2, bounces: 0 });
    const direct = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { ...range(), filter: 'page:https://figures.test/' },
      '/stats',
    );
    expect(direct.body.totals).toMatchObject({ visits: 2, bounces: 1 });
  });
});

describe('ranges the API cannot serve', () => {
  it.each([
    [
      { aggregation: 'day', dateFrom: '0999-01-01', dateTo: '0999-02-01' },
      /date(From|To) must be a date from 2000-01-01 to 2999-12-31/,
    ],
    [
      { aggregation: 'month', dateFrom: '1900-01-01', dateTo: '2999-01-01' },
      /dateFrom must be a date from 2000-01-01/,
    ],
    [{ aggregation: 'month', dateFrom: '2000-01-01', dateTo: '2999-01-01' }, /at most 36 months/],
  ])(
    'answers %o for a Europe/Paris site with a 400 that says which dates are accepted',
    async (params, message) => {
      const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
      const org = await createOrg(deps, { name: 'paris' });
      await setOrgTimezone(deps, org.orgId, 'Europe/Paris');
      for (const route of ['/stats', '/visits']) {
        const { status, body } = await getVisits(stack.apiUrl, org.readKey, params, route);
        expect(status).toBe(400);
        expect(body.error).toMatch(message);
      }
    },
  );

  it('names the route a site key was sent to', async () => {
    const { status, body } = await getVisits(stack.apiUrl, stack.demo.siteKey, {}, '/stats');
    expect(status).toBe(403);
    expect(body.error).toBe(
      "This is a site key, which can only send visits; GET /stats needs the org's read key (it starts with pvr_).",
    );
  });
});
