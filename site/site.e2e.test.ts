/**
 * The whole product end to end, as issue 4 asks: the local stack (real handlers, DynamoDB Local,
 * the SQS emulator) serves the demo site; Chromium visits the three pages and clicks through
 * the single-page app; GET /visits then reports exactly those page views, each counted once.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import { launchChromium } from '../tracker/test/chromium.js';

let stack: LocalStack;
let browser: Browser;

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
});

afterAll(async () => {
  await Promise.all([browser?.close(), stack?.stop()]);
});

type VisitsResponse = { data: Record<string, { timeframe: string; visit_count: number }[]> };

/** Visits per page URL today (UTC), summed over the day buckets, as the dashboard would read them. */
async function visitsToday(): Promise<Record<string, number>> {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const tomorrow = new Date(today.getTime() + 24 * 60 * 60 * 1000);
  const query = new URLSearchParams({ aggregation: 'day', dateFrom: today.toISOString(), dateTo: tomorrow.toISOString() });
  const response = await fetch(`${stack.apiUrl}/visits?${query}`, { headers: { authorization: `Bearer ${stack.demo.readKey}` } });
  expect(response.status).toBe(200);
  const { data } = (await response.json()) as VisitsResponse;
  return Object.fromEntries(
    Object.entries(data).map(([pageUrl, buckets]) => [pageUrl, buckets.reduce((sum, bucket) => sum + bucket.visit_count, 0)]),
  );
}

describe('the demo site on the local stack', () => {
  it('counts each page and app view a visitor opens exactly once', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const site = stack.siteUrl;

    await page.goto(`${site}/`);
    await expect(page.textContent('h1')).resolves.toContain('Notes that stay quiet');
    await page.click('nav >> text=Pricing');
    await page.waitForURL(`${site}/pricing.html`);
    await page.click('nav >> text=Support');
    await page.waitForURL(`${site}/support.html`);
    await page.click('nav >> text=Open the app');
    await page.waitForURL(`${site}/app`);
    await expect.poll(() => page.textContent('#view h1')).toBe('Notes');
    await page.click('aside >> text=Search');
    await expect.poll(() => page.textContent('#view h1')).toBe('Search');
    await page.click('aside >> text=Settings');
    await expect.poll(() => page.textContent('#view h1')).toBe('Settings');

    const expected = Object.fromEntries(
      ['/', '/pricing.html', '/support.html', '/app', '/app/search', '/app/settings'].map((path) => [site + path, 1]),
    );
    await expect.poll(visitsToday, { timeout: 20_000, interval: 500 }).toEqual(expected);
    // Nothing still in the queue may add to them.
    expect(await stack.drain()).toBe(true);
    expect(await visitsToday()).toEqual(expected);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
