/**
 * The dashboard in real Chromium against the real local stack (handlers, DynamoDB Local, SQS
 * emulator): what it shows must be exactly what `GET /visits` answers, and what was posted.
 * Screenshots go to test-artifacts/.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/chromium.js';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import { createDashboardHandler } from './server.js';
import type { VisitsResponse } from './src/lib/visits.js';

const artifacts = 'test-artifacts';
const desktop = { width: 1280, height: 800 };
const phone = { width: 375, height: 812 };
const hour = 3_600_000;

/** What the test posts: page, and how long ago. The API accepts visits up to 24 h old. */
const postedAt = Date.now();
const posted: { pageUrl: string; visitedAt: number }[] = [
  ...Array.from({ length: 5 }, () => ({ pageUrl: 'http://localhost/pricing', visitedAt: postedAt })),
  ...Array.from({ length: 3 }, () => ({ pageUrl: 'http://localhost/', visitedAt: postedAt })),
  ...Array.from({ length: 2 }, () => ({ pageUrl: 'http://localhost/about', visitedAt: postedAt - 3 * hour })),
  ...Array.from({ length: 4 }, () => ({ pageUrl: 'http://localhost/pricing', visitedAt: postedAt - 20 * hour })),
];

let stack: LocalStack;
let stackStopped = false;
let browser: Browser;
/** Uncaught errors in any page: a dashboard that throws is a dashboard that may go blank. */
let pageErrors: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    ports: { api: 0, site: 0, dashboard: 0 },
    emulators: { dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint') },
    prefix: 'dash-e2e-',
    serveSite: false,
    quiet: true,
  });
  browser = await launchChromium();
  await mkdir(artifacts, { recursive: true });

  for (const visit of posted) {
    const response = await fetch(`${stack.apiUrl}/visits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: stack.demo.siteKey, pageUrl: visit.pageUrl, eventId: randomUUID(), visitedAt: new Date(visit.visitedAt).toISOString() }),
    });
    expect(response.status).toBe(202);
  }
  // Counted once the consumer has run: the API shows all of them for the last 25 hours.
  expect(await stack.drain()).toBe(true);
  const dayAround = [new Date(postedAt - 25 * hour).toISOString(), new Date(postedAt + hour).toISOString()] as const;
  for (let tries = 0; sumOf(await getVisits('hour', ...dayAround)) !== posted.length; tries++) {
    if (tries > 60) throw new Error(`GET /visits never showed the ${posted.length} posted visits`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

afterEach(() => {
  const errors = pageErrors;
  pageErrors = [];
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  if (!stackStopped) await stack?.stop();
});

async function getVisits(aggregation: string, dateFrom: string, dateTo: string): Promise<VisitsResponse> {
  const url = `${stack.apiUrl}/visits?${new URLSearchParams({ aggregation, dateFrom, dateTo })}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${stack.demo.readKey}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as VisitsResponse;
}

const sumOf = (response: VisitsResponse) =>
  Object.values(response.data).reduce((sum, buckets) => sum + buckets.reduce((s, b) => s + b.visit_count, 0), 0);

const numberIn = (text: string | null) => Number((text ?? '').replace(/,/g, ''));

async function newPage(viewport: { width: number; height: number }, path = '/'): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${stack.dashboardUrl}${path}`);
  return page;
}

async function signIn(page: Page, key: string) {
  await page.getByLabel('Read key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The table as shown: per page, the total and every non-zero bucket cell (ISO start -> count). */
async function shownTable(page: Page) {
  const rows = await page.locator('tr[data-page]').evaluateAll((trs) =>
    trs.map((tr) => ({
      page: tr.getAttribute('data-page') ?? '',
      total: tr.querySelector('[data-total]')?.textContent ?? '',
      cells: [...tr.querySelectorAll('td[data-bucket]')].map((td) => [td.getAttribute('data-bucket') ?? '', td.textContent ?? ''] as const),
    })),
  );
  return rows
    .map((row) => ({
      page: row.page,
      total: numberIn(row.total),
      buckets: Object.fromEntries(row.cells.map(([bucket, text]) => [bucket, numberIn(text)]).filter(([, count]) => count !== 0)),
    }))
    .sort((a, b) => a.page.localeCompare(b.page));
}

function expectedTable(response: VisitsResponse) {
  return Object.entries(response.data)
    .map(([page, buckets]) => ({
      page,
      total: buckets.reduce((s, b) => s + b.visit_count, 0),
      buckets: Object.fromEntries(buckets.map((b) => [new Date(b.timeframe).toISOString(), b.visit_count])),
    }))
    .sort((a, b) => a.page.localeCompare(b.page));
}

/**
 * Waits for the view to show `aggregation`, asks the API for the very range on screen, and
 * checks totals and table against that answer and against the posted visits.
 */
async function expectViewMatchesApi(page: Page, aggregation: string): Promise<VisitsResponse> {
  const main = page.locator('main.dashboard');
  await expect.poll(() => main.getAttribute('data-aggregation'), { timeout: 15_000 }).toBe(aggregation);
  const [from, to] = [await main.getAttribute('data-from'), await main.getAttribute('data-to')];
  if (!from || !to) throw new Error('the dashboard shows no range');

  const api = await getVisits(aggregation, from, to);
  const postedInRange = posted.filter((v) => v.visitedAt >= Date.parse(from) && v.visitedAt < Date.parse(to)).length;
  expect(sumOf(api)).toBe(postedInRange);

  await expect.poll(() => page.getByTestId('total-visits').textContent().then(numberIn)).toBe(sumOf(api));
  expect(numberIn(await page.getByTestId('total-pages').textContent())).toBe(Object.keys(api.data).length);
  expect(await shownTable(page)).toEqual(expectedTable(api));
  return api;
}

describe('dashboard against the local stack', () => {
  it('refuses a wrong key with a message that says what to do', async () => {
    const page = await newPage(desktop);
    await signIn(page, 'not-a-real-key');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('That key was not recognised.');
    expect(await alert.textContent()).toContain('read key');
    expect(await page.getByLabel('Read key').isVisible()).toBe(true);
    await page.close();
  });

  it('refuses the site key, which can only write', async () => {
    const page = await newPage(desktop);
    await signIn(page, stack.demo.siteKey);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not recognised|cannot read visits/);
    await page.close();
  });

  it('shows exactly what GET /visits answers, for each aggregation and range, and keeps the view in the URL', async () => {
    const page = await newPage(desktop, '/?range=24h&aggregation=hour');
    await signIn(page, stack.demo.readKey);
    const byHour = await expectViewMatchesApi(page, 'hour');
    expect(Object.keys(byHour.data).sort()).toEqual(['http://localhost/', 'http://localhost/about', 'http://localhost/pricing']);
    expect(page.url()).not.toContain(stack.demo.readKey);
    await page.waitForTimeout(300); // let uPlot finish its first paint
    await page.screenshot({ path: `${artifacts}/dashboard-desktop.png`, fullPage: true });

    await page.getByRole('radio', { name: 'minute', exact: true }).check();
    await expectViewMatchesApi(page, 'minute');
    expect(new URL(page.url()).searchParams.get('aggregation')).toBe('minute');

    await page.getByRole('radio', { name: '1 hour', exact: true }).check();
    const lastHour = await expectViewMatchesApi(page, 'minute');
    expect(sumOf(lastHour)).toBe(8); // only the visits posted just now

    await page.getByRole('radio', { name: '30 days', exact: true }).check();
    await expectViewMatchesApi(page, 'day');
    await page.getByRole('radio', { name: '12 months', exact: true }).check();
    const byMonth = await expectViewMatchesApi(page, 'month');
    expect(sumOf(byMonth)).toBe(posted.length);
    await page.getByRole('radio', { name: 'day', exact: true }).check();
    await expectViewMatchesApi(page, 'day'); // 12 months by day: narrowed to the 400-day limit

    // Back returns to the previous views, from the URL alone.
    await page.goBack();
    await expectViewMatchesApi(page, 'month');
    await page.goBack();
    await expectViewMatchesApi(page, 'day');
    expect(new URL(page.url()).searchParams.get('range')).toBe('30d');
    expect(await page.getByRole('radio', { name: '30 days', exact: true }).isChecked()).toBe(true);

    // Sorting by page puts the rows in URL order.
    await page.getByRole('button', { name: /^Page/ }).click();
    expect(await page.locator('tr[data-page]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-page')))).toEqual([
      'http://localhost/',
      'http://localhost/about',
      'http://localhost/pricing',
    ]);
    await page.close();
  });

  it('shows and hides a chart line from the keyboard', async () => {
    const page = await newPage(desktop, '/?range=24h&aggregation=hour');
    await signIn(page, stack.demo.readKey);
    const entry = page.getByRole('button', { name: /Show or hide All pages/ });
    const row = page.locator('.u-legend .u-series').nth(1);

    await entry.focus();
    await page.keyboard.press('Enter');
    expect(await row.getAttribute('class')).toContain('u-off');
    await page.keyboard.press(' ');
    expect(await row.getAttribute('class')).not.toContain('u-off');
  });

  it('opens a shared link at its view and fits a phone screen', async () => {
    const page = await newPage(phone, '/?range=7d&aggregation=hour');
    await signIn(page, stack.demo.readKey);
    await expectViewMatchesApi(page, 'hour');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0); // the wide table scrolls inside its own box
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${artifacts}/dashboard-phone.png`, fullPage: true });
    await page.close();
  });

  it('says the API is not answering when it is down, for a fresh visit and for an open dashboard', async () => {
    // A second dashboard pointed at a port where nothing listens.
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const orphan: Server = createServer(createDashboardHandler({ apiUrl: `http://127.0.0.1:${closedPort}` }));
    await new Promise<void>((resolve) => orphan.listen(0, '127.0.0.1', resolve));
    const fresh = await browser.newPage({ viewport: desktop });
    fresh.on('pageerror', (error) => pageErrors.push(error.message));
    await fresh.goto(`http://127.0.0.1:${(orphan.address() as AddressInfo).port}/`);
    await signIn(fresh, stack.demo.readKey);
    await expect.poll(() => fresh.getByRole('alert').textContent()).toContain('The analytics API is not answering.');
    await fresh.close();
    await new Promise<void>((resolve) => orphan.close(() => resolve()));

    // An open, signed-in dashboard whose API stops: a clear error over the last numbers, not a blank page.
    const page = await newPage(desktop, '/?range=24h&aggregation=hour');
    await signIn(page, stack.demo.readKey);
    await expectViewMatchesApi(page, 'hour');
    stackStopped = true;
    await stack.stop();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 20_000 }).toContain('The analytics API is not answering.');
    expect(numberIn(await page.getByTestId('total-visits').textContent())).toBe(posted.length);
    await page.screenshot({ path: `${artifacts}/dashboard-api-down.png`, fullPage: true });
    await page.close();
  });
});
