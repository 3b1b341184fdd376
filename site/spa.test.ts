/**
 * The demo site's single-page app in real Chromium: its views change with pushState, back and
 * forward work, deep links load, and the tracker counts each view it shows. Visits go to the
 * tracker tests' capture server, standing in for the API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTracker } from '../tracker/build.js';
import { type CaptureServer, startCaptureServer } from '../tracker/test/capture-server.js';
import { launchChromium } from '../tracker/test/chromium.js';
import { createSiteHandler } from './server.js';

let browser: Browser;
let api: CaptureServer;
let site: Server;
let siteOrigin: string;
let page: Page;

beforeAll(async () => {
  const { code } = await buildTracker();
  [browser, api] = await Promise.all([launchChromium(), startCaptureServer(code)]);
  site = createServer(createSiteHandler({ siteKey: 'sk_spa', apiUrl: api.origin, trackerCode: code }));
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all([browser?.close(), api?.close(), new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)))]);
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
  expect(api.visits.map((visit) => new URL((JSON.parse(visit.body) as { pageUrl: string }).pageUrl).pathname)).toEqual(paths);
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
