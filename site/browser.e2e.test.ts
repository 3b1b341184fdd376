/**
 * The demo site in real Chromium. The single-page app's views change with pushState, back and
 * forward work, deep links load, and the tracker counts each view it shows (visits go to the
 * tracker tests' capture server, standing in for the API). With the API down, every page still
 * works and nothing is thrown into it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTracker } from '../tracker/build.js';
import { type CaptureServer, startCaptureServer } from '../tracker/test/capture-server.js';
import { launchChromium } from '../test/chromium.js';
import { createSiteHandler } from './server.js';

let browser: Browser;
let api: CaptureServer;
let site: Server;
let siteOrigin: string;
/** The same site, with its tracker pointed at a port where nothing listens. */
let siteWithApiDown: Server;
let siteWithApiDownOrigin: string;
let page: Page;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  const origin = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return Number(new URL(origin).port);
}

beforeAll(async () => {
  const { code } = await buildTracker();
  [browser, api] = await Promise.all([launchChromium(), startCaptureServer(code)]);
  site = createServer(createSiteHandler({ siteKey: 'sk_spa', apiUrl: api.origin, trackerCode: code }));
  siteOrigin = await listen(site);
  const downApiUrl = `http://127.0.0.1:${await closedPort()}`;
  siteWithApiDown = createServer(
    createSiteHandler({ siteKey: 'sk_spa', apiUrl: downApiUrl, trackerCode: code }),
  );
  siteWithApiDownOrigin = await listen(siteWithApiDown);
});

afterAll(async () => {
  await Promise.all([
    browser?.close(),
    api?.close(),
    ...[site, siteWithApiDown].map(
      (server) => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined))),
    ),
  ]);
});

beforeEach(async () => {
  api.visits.length = 0;
  page = await browser.newPage();
});

afterEach(async () => {
  await page.close();
});

async function expectView(path: string, heading: string): Promise<void> {
  await expect.poll(() => new URL(page.url()).pathname).toBe(path);
  await expect.poll(() => page.textContent('#view h1')).toBe(heading);
}

async function expectCountedPaths(paths: string[]): Promise<void> {
  await expect.poll(() => api.visits.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(paths.length);
  await new Promise((resolve) => setTimeout(resolve, 250));
  // Sorted: beacons travel on separate connections and may arrive out of order.
  const counted = api.visits.map(
    (visit) => new URL((JSON.parse(visit.body) as { pageUrl: string }).pageUrl).pathname,
  );
  expect(counted.sort()).toEqual([...paths].sort());
}

describe('the demo single-page app', () => {
  it('moves between views with pushState and back and forward, counting each view shown', async () => {
    await page.goto(`${siteOrigin}/app`);
    await expectView('/app', 'Notes');

    await page.click('aside >> text=Search');
    await expectView('/app/search', 'Search');
    await page.click('aside >> text=Search');
    await page.click('aside >> text=Settings');
    await expectView('/app/settings', 'Settings');
    expect(await page.title()).toBe('Settings · Lumen app');

    await page.goBack();
    await expectView('/app/search', 'Search');
    await page.goBack();
    await expectView('/app', 'Notes');
    await page.goForward();
    await expectView('/app/search', 'Search');

    // Clicking the view already shown is not a navigation, so it is not counted again.
    await expectCountedPaths(['/app', '/app/search', '/app/settings', '/app/search', '/app', '/app/search']);
  });

  it('loads a view from a deep link', async () => {
    await page.goto(`${siteOrigin}/app/settings`);

    await expectView('/app/settings', 'Settings');
    await expectCountedPaths(['/app/settings']);
  });

  it('shows a not-found view for an unknown app path', async () => {
    await page.goto(`${siteOrigin}/app/nowhere`);

    await expectView('/app/nowhere', 'Not found');
  });
});

describe('the demo site with the API down', () => {
  // Chromium logs each refused request itself; that line is the browser's, not the tracker's.
  const browserNetworkLog = /^Failed to load resource: net::ERR_CONNECTION_REFUSED$/;

  it('loads every page, runs the app, and shows no uncaught error', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !browserNetworkLog.test(message.text()))
        errors.push(`console: ${message.text()}`);
    });
    const site = siteWithApiDownOrigin;

    await page.goto(`${site}/`);
    await page.click('nav >> text=Pricing');
    await page.waitForURL(`${site}/pricing.html`);
    await expect(page.textContent('h1')).resolves.toBe('Simple pricing, billed monthly.');
    await page.click('nav >> text=Support');
    await page.waitForURL(`${site}/support.html`);
    await page.click('summary >> text=Do you track me?');
    await expect(page.isVisible('text=without cookies or local storage')).resolves.toBe(true);
    await page.click('nav >> text=Open the app');
    await expectView('/app', 'Notes');
    await page.click('aside >> text=Settings');
    await expectView('/app/settings', 'Settings');
    await page.goBack();
    await expectView('/app', 'Notes');
    // Time for the refused requests to fail and any rejection to surface.
    await page.waitForTimeout(500);

    expect(errors).toEqual([]);
  });
});
