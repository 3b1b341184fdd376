/**
 * tracker.full.js on the demo site, end to end (issue 22): the local stack serves the site with
 * outbound links and file downloads on; Chromium clicks a tagged button, a file download and an
 * outbound link, each opening in the same tab, and each event is stored once with its `url` or
 * properties. A scripted view of the support page (scrolled to the bottom, 5 s, then a click to
 * another page) reports its time on page and scroll depth in GET /breakdown?property=page.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { View } from '../lambdas/core/domain/visitor-day.js';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import { launchChromium } from '../test/chromium.js';
import { storedViewsToday } from '../test/helpers.js';

let stack: LocalStack;
let browser: Browser;
const pageErrors: string[] = [];
/** When the support page was scrolled to the bottom, and when the visitor left it. */
let scrolledAt = 0;
let leftAt = 0;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startLocalStack({
      ports: { api: 0, site: 0, dashboard: 0 },
      emulators: { dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint') },
      prefix: 'clicks-e2e-',
      serveDashboard: false,
      quiet: true,
    }),
    launchChromium(),
  ]);
  // A short window, so the support page has somewhere to scroll to.
  const context = await browser.newContext({ viewport: { width: 900, height: 300 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const site = stack.siteUrl;

  await page.goto(`${site}/pricing.html`);
  await page.click('text=Try it for 30 days');
  await page.waitForURL(`${site}/app`);

  await page.goto(`${site}/support.html`);
  await page.click('text=Download the keyboard shortcuts');
  await page.waitForURL(`${site}/lumen-shortcuts.txt`);

  await page.goto(`${site}/support.html`);
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  scrolledAt = Date.now();
  await page.waitForTimeout(5_000);
  leftAt = Date.now();
  // The guide is on another host, which the test browser cannot reach: the tab shows an error page.
  await page.click('text=user guide on our documentation site');
  await page.waitForURL('https://docs.lumen.example/guide').catch(() => undefined);
  await context.close();
  expect(await stack.drain()).toBe(true);
}, 90_000);

afterAll(async () => {
  await Promise.all([browser?.close(), stack?.stop()]);
});

const storedViews = () => storedViewsToday(stack);

describe('tracker.full.js on the demo site', () => {
  it('counts a tagged button, a file download and an outbound link once each, with their properties', async () => {
    const events = (await storedViews())
      .filter((view) => view.kind === 'event')
      .map(({ name, props }) => ({ name, props }));
    expect(events).toHaveLength(3);
    expect(events).toEqual(
      expect.arrayContaining([
        { name: 'Plan chosen', props: { plan: 'team', trial: '30 days' } },
        { name: 'File Download', props: { url: `${stack.siteUrl}/lumen-shortcuts.txt` } },
        { name: 'Outbound Link: Click', props: { url: 'https://docs.lumen.example/guide' } },
      ]),
    );
    expect(pageErrors).toEqual([]);
  });

  it('reports the time on page and scroll depth of the scripted view within 1 s and 5 points', async () => {
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const query = new URLSearchParams({
      property: 'page',
      dateFrom: today.toISOString(),
      dateTo: new Date(today.getTime() + 86_400_000).toISOString(),
    });
    const response = await fetch(`${stack.apiUrl}/breakdown?${query}`, {
      headers: { authorization: `Bearer ${stack.demo.readKey}` },
    });
    const { data } = (await response.json()) as {
      data: { value: string; pageviews: number; time_on_page: number | null; scroll_depth: number | null }[];
    };
    const support = data.find((row) => row.value === `${stack.siteUrl}/support.html`)!;
    expect(support.pageviews).toBe(2);
    // Only the scripted view: the first view of the support page was left within a moment.
    const engagements = (await storedViews()).filter(
      (view) => view.kind === 'engagement' && view.page === `${stack.siteUrl}/support.html`,
    );
    expect(engagements).toHaveLength(2);
    const scripted = engagements.reduce((a, b) => (a.engagement!.seconds > b.engagement!.seconds ? a : b));
    const stayed = (leftAt - scrolledAt) / 1000;
    expect(Math.abs(scripted.engagement!.seconds - stayed)).toBeLessThanOrEqual(1);
    expect(scripted.engagement!.scrollDepth).toBeGreaterThanOrEqual(95);
    // The page's row averages both views.
    const average = (pick: (v: View) => number) =>
      Math.round(engagements.reduce((s, v) => s + pick(v), 0) / 2);
    expect(support.time_on_page).toBe(average((v) => v.engagement!.seconds));
    expect(support.scroll_depth).toBe(average((v) => v.engagement!.scrollDepth));
  });
});
