/**
 * The whole product end to end, as issue 4 asks: the local stack (real handlers, DynamoDB Local,
 * the SQS emulator) serves the demo site; Chromium visits the three pages and clicks through
 * the single-page app; GET /visits then reports exactly those page views, each counted once,
 * and what was stored identifies the visitor without keeping their IP or user agent.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeViews } from '../lambdas/core/store/visitor-days.js';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import { launchChromium } from '../test/chromium.js';

const visitedPaths = ['/', '/pricing.html', '/support.html', '/app', '/app/search', '/app/settings'];

let stack: LocalStack;
let browser: Browser;
let userAgent: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startLocalStack({
      ports: { api: 0, site: 0, dashboard: 0 },
      emulators: { dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint') },
      prefix: 'site-e2e-',
      serveDashboard: false,
      quiet: true,
    }),
    launchChromium(),
  ]);
  await browseTheSite();
});

afterAll(async () => {
  await Promise.all([browser?.close(), stack?.stop()]);
});

/**
 * One visitor, one tab, arriving from Hacker News with a browser in Berlin's time zone: the three
 * pages by their nav links, then three views of the app.
 */
async function browseTheSite(): Promise<void> {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  userAgent = await page.evaluate(() => navigator.userAgent);
  const site = stack.siteUrl;

  await page.goto(`${site}/`, { referer: 'https://news.ycombinator.com/item?id=1' });
  await page.locator('h1', { hasText: 'Notes that stay quiet' }).waitFor();
  await page.click('nav >> text=Pricing');
  await page.waitForURL(`${site}/pricing.html`);
  await page.click('nav >> text=Support');
  await page.waitForURL(`${site}/support.html`);
  await page.click('nav >> text=Open the app');
  await page.waitForURL(`${site}/app`);
  await page.locator('#view h1', { hasText: 'Notes' }).waitFor();
  await page.click('aside >> text=Search');
  await page.locator('#view h1', { hasText: 'Search' }).waitFor();
  await page.click('aside >> text=Settings');
  await page.locator('#view h1', { hasText: 'Settings' }).waitFor();
  await context.close();
}

/** The rows of one breakdown for today, as value -> [visitors, visits, pageviews]. */
async function breakdownToday(property: string): Promise<Record<string, number[]>> {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const query = new URLSearchParams({
    property,
    dateFrom: today.toISOString(),
    dateTo: new Date(today.getTime() + 86_400_000).toISOString(),
  });
  const response = await fetch(`${stack.apiUrl}/breakdown?${query}`, {
    headers: { authorization: `Bearer ${stack.demo.readKey}` },
  });
  const { data } = (await response.json()) as {
    data: { value: string; visitors: number; visits: number; pageviews: number }[];
  };
  return Object.fromEntries(data.map((row) => [row.value, [row.visitors, row.visits, row.pageviews]]));
}

type VisitsResponse = { data: Record<string, { timeframe: string; visit_count: number }[]> };

/** Visits per page URL today (UTC), summed over the day buckets, as the dashboard would read them. */
async function visitsToday(): Promise<Record<string, number>> {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const tomorrow = new Date(today.getTime() + 24 * 60 * 60 * 1000);
  const query = new URLSearchParams({
    aggregation: 'day',
    dateFrom: today.toISOString(),
    dateTo: tomorrow.toISOString(),
  });
  const response = await fetch(`${stack.apiUrl}/visits?${query}`, {
    headers: { authorization: `Bearer ${stack.demo.readKey}` },
  });
  expect(response.status).toBe(200);
  const { data } = (await response.json()) as VisitsResponse;
  return Object.fromEntries(
    Object.entries(data).map(([pageUrl, buckets]) => [
      pageUrl,
      buckets.reduce((sum, bucket) => sum + bucket.visit_count, 0),
    ]),
  );
}

async function scan(TableName: string): Promise<Record<string, unknown>[]> {
  return (await stack.doc.send(new ScanCommand({ TableName }))).Items ?? [];
}

describe('the demo site on the local stack', () => {
  it('counts each page and app view a visitor opens exactly once', async () => {
    const expected = Object.fromEntries(visitedPaths.map((path) => [stack.siteUrl + path, 1]));

    await expect.poll(visitsToday, { timeout: 20_000, interval: 500 }).toEqual(expected);
    // Nothing still in the queue may add to them.
    expect(await stack.drain()).toBe(true);
    expect(await visitsToday()).toEqual(expected);
    expect(pageErrors).toEqual([]);
  });

  it('counts the visit with its source, its country from the time zone, its browser, OS and device', async () => {
    expect(await stack.drain()).toBe(true);
    const visit = [1, 1, visitedPaths.length];
    expect(await breakdownToday('source')).toEqual({ 'Hacker News': visit });
    expect(await breakdownToday('referrer')).toEqual({ 'news.ycombinator.com/item': visit });
    expect(await breakdownToday('country')).toEqual({ DE: visit });
    expect(await breakdownToday('browser')).toEqual({ Chrome: visit });
    expect(await breakdownToday('os')).toEqual({ Linux: visit });
    expect(await breakdownToday('device')).toEqual({ desktop: visit });
  });

  it('gives the visitor one cookieless id across pages and stores neither IP nor user agent', async () => {
    expect(await stack.drain()).toBe(true);
    // One visitor-day item (pk = org#day#visitorId) holds every view of the browse.
    const visitorDays = (await scan(stack.resources.visitsTable)).filter((item) =>
      String(item.pk).startsWith(`${stack.demo.orgId}#`),
    );
    expect(visitorDays).toHaveLength(1);
    // Beside each page view, the engagement tracker.full.js reported when the view ended.
    const views = decodeViews(String(visitorDays[0]!.pk).split('#')[1]!, visitorDays[0]!);
    expect(views.filter((view) => view.kind === 'pageview')).toHaveLength(visitedPaths.length);

    const stored = JSON.stringify(
      await Promise.all(
        [stack.resources.visitsTable, stack.resources.countersTable, stack.resources.orgsTable].map(scan),
      ),
    );
    expect(stored).not.toContain(userAgent);
    expect(stored).not.toContain('127.0.0.1');
    expect(stored).not.toContain('::1');
  });
});
