/**
 * The dashboard in real Chromium against the real local stack (handlers, DynamoDB Local, SQS
 * emulator): what it shows must be exactly what `GET /stats` and `GET /breakdown` answer for the
 * range on screen, and agree with what was posted. The desktop and phone screenshots go to
 * docs/screenshots/ (linked from the README); the others to test-artifacts/.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/chromium.js';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import type { BreakdownAnswer, BreakdownProperty, StatsAnswer } from '../lambdas/query/answers.js';
import { createDashboardHandler } from './server.js';
import { topRow } from './src/lib/stats.js';
import { postVisit } from '../test/helpers.js';
import { onScreen } from './e2e-harness.js';

const artifacts = 'test-artifacts';
const screenshots = 'docs/screenshots';
const desktop = { width: 1280, height: 800 };
const phone = { width: 375, height: 812 };
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
/** Headless Chromium and Node name themselves as bots; a visitor's browser does not. */
const browserUserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * What the test posts: who (the site's own `identifier`, so visitors are known), which page, how
 * long ago. The API accepts views up to 24 h old. Visits: alice reads three pages in two minutes;
 * bob bounces; carol comes twice an hour apart; dave and eve came about 20 hours ago.
 */
const postedAt = Date.now();
const site = 'http://localhost';
const posted: { who: string; pageUrl: string; visitedAt: number }[] = [
  { who: 'alice', pageUrl: `${site}/`, visitedAt: postedAt - 10 * minute },
  { who: 'alice', pageUrl: `${site}/pricing`, visitedAt: postedAt - 9 * minute },
  { who: 'alice', pageUrl: `${site}/signup`, visitedAt: postedAt - 8 * minute },
  { who: 'bob', pageUrl: `${site}/pricing`, visitedAt: postedAt - 5 * minute },
  { who: 'carol', pageUrl: `${site}/`, visitedAt: postedAt - 3 * hour },
  { who: 'carol', pageUrl: `${site}/about`, visitedAt: postedAt - 2 * hour },
  { who: 'dave', pageUrl: `${site}/pricing`, visitedAt: postedAt - 20 * hour },
  { who: 'dave', pageUrl: `${site}/about`, visitedAt: postedAt - 20 * hour + 30_000 },
  { who: 'eve', pageUrl: `${site}/`, visitedAt: postedAt - 20 * hour },
];

/** Visitors as the API defines them: one id on one day of the site's zone (the demo site's is UTC). */
const visitorDaysIn = (from: number, to: number) =>
  new Set(
    posted
      .filter((v) => v.visitedAt >= from && v.visitedAt < to)
      .map((v) => `${Math.floor(v.visitedAt / day)} ${v.who}`),
  ).size;

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
    const response = await postVisit(
      stack.apiUrl,
      {
        key: stack.demo.siteKey,
        pageUrl: visit.pageUrl,
        identifier: visit.who,
        eventId: randomUUID(),
        visitedAt: new Date(visit.visitedAt).toISOString(),
      },
      { headers: { 'user-agent': browserUserAgent } },
    );
    expect(response.status).toBe(202);
  }
  // Counted once the consumer has run: the API shows all of them for the last two days.
  expect(await stack.drain()).toBe(true);
  const twoDays = [
    new Date(postedAt - 2 * day).toISOString(),
    new Date(postedAt + hour).toISOString(),
  ] as const;
  for (let tries = 0; (await getStats('day', ...twoDays)).totals.pageviews !== posted.length; tries++) {
    if (tries > 60) throw new Error(`GET /stats never showed the ${posted.length} posted page views`);
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

async function getJson<T>(path: string, params: Record<string, string>): Promise<T> {
  const response = await fetch(`${stack.apiUrl}${path}?${new URLSearchParams(params)}`, {
    headers: { authorization: `Bearer ${stack.demo.readKey}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

const getStats = (aggregation: string, dateFrom: string, dateTo: string) =>
  getJson<StatsAnswer>('/stats', { aggregation, dateFrom, dateTo });
const getBreakdown = (property: BreakdownProperty, dateFrom: string, dateTo: string) =>
  getJson<BreakdownAnswer>('/breakdown', { property, dateFrom, dateTo, limit: '100' });

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

/** The pages table as shown, in page order: page, visitors, visits, pageviews. */
async function shownRows(page: Page) {
  const rows = await page
    .locator('tr[data-page]')
    .evaluateAll((trs) =>
      trs.map(
        (tr) =>
          [
            tr.getAttribute('data-page') ?? '',
            ...[...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
          ] as const,
      ),
    );
  return rows
    .map(([value, ...counts]) => ({
      value,
      visitors: numberIn(counts[0] ?? ''),
      visits: numberIn(counts[1] ?? ''),
      pageviews: numberIn(counts[2] ?? ''),
    }))
    .sort((a, b) => a.value.localeCompare(b.value));
}

/**
 * Waits for the view to show `aggregation` and `property`, asks the API for the very range on
 * screen, and checks the top row and the pages table against those answers and the posted views.
 */
async function expectViewMatchesApi(
  page: Page,
  aggregation: string,
  property: BreakdownProperty = 'page',
): Promise<StatsAnswer> {
  const main = page.locator('main.dashboard');
  await expect.poll(() => main.getAttribute('data-aggregation'), { timeout: 15_000 }).toBe(aggregation);
  await expect
    .poll(() => page.locator('[data-panel="pages"] table.pages').getAttribute('data-property'), {
      timeout: 15_000,
    })
    .toBe(property);
  const [from, to] = [await main.getAttribute('data-from'), await main.getAttribute('data-to')];
  if (!from || !to) throw new Error('the dashboard shows no range');

  const [stats, breakdown] = await Promise.all([
    getStats(aggregation, from, to),
    getBreakdown(property, from, to),
  ]);
  const inRange = posted.filter((v) => v.visitedAt >= Date.parse(from) && v.visitedAt < Date.parse(to));
  expect(stats.totals.pageviews).toBe(inRange.length);
  expect(stats.totals.visitors).toBe(visitorDaysIn(Date.parse(from), Date.parse(to)));

  const expectedTop = topRow(stats.totals).map(({ id, value, text }) => ({ id, value, text }));
  await expect.poll(() => onScreen.topRow(page)).toEqual(expectedTop);
  // The pages table reads like every panel, after the figures.
  await expect
    .poll(() => shownRows(page))
    .toEqual(
      // The counts; the Pages tab's engagement columns are checked in site/clicks.e2e.test.ts.
      breakdown.data
        .map(({ value, visitors, visits, pageviews }) => ({ value, visitors, visits, pageviews }))
        .sort((a, b) => a.value.localeCompare(b.value)),
    );
  return stats;
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
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/not recognised|cannot read visits/);
    await page.close();
  });

  it('shows exactly what GET /stats and GET /breakdown answer, for each range, tab and aggregation', async () => {
    const page = await newPage(desktop, '/?range=7d');
    await signIn(page, stack.demo.readKey);
    const week = await expectViewMatchesApi(page, 'day');
    expect(week.totals.pageviews).toBe(posted.length);
    expect(page.url()).not.toContain(stack.demo.readKey);
    // Seven days: the visitors figure says it is a sum of daily visitors.
    expect(await page.getByText('counted per day and added up', { exact: false }).isVisible()).toBe(true);
    await page.waitForTimeout(300); // let uPlot finish its first paint
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: `${screenshots}/dashboard-desktop.png`, fullPage: true });

    await page.getByRole('radio', { name: 'Entry pages' }).check();
    await expectViewMatchesApi(page, 'day', 'entry_page');
    await page.getByRole('radio', { name: 'Exit pages' }).check();
    await expectViewMatchesApi(page, 'day', 'exit_page');
    await page.getByRole('radio', { name: 'Pages', exact: true }).check();
    await expectViewMatchesApi(page, 'day', 'page');

    await page.getByRole('button', { name: 'Chart Pageviews' }).click();
    await expect.poll(() => page.locator('.chart figcaption').textContent()).toBe('Pageviews per day');
    expect(await page.locator('.u-legend .u-series').nth(1).textContent()).toContain('Pageviews');

    await page.getByRole('radio', { name: 'hour', exact: true }).check();
    await expectViewMatchesApi(page, 'hour');
    expect(new URL(page.url()).searchParams.get('aggregation')).toBe('hour');

    const rangePicker = page.getByLabel('Range', { exact: true });
    await rangePicker.selectOption('today');
    await expectViewMatchesApi(page, 'hour');
    await page.getByRole('radio', { name: 'minute', exact: true }).check();
    await expectViewMatchesApi(page, 'minute');
    await rangePicker.selectOption('yesterday');
    await expectViewMatchesApi(page, 'hour');
    await rangePicker.selectOption('12mo');
    const year = await expectViewMatchesApi(page, 'month');
    expect(year.totals.pageviews).toBe(posted.length);
    await page.getByRole('radio', { name: 'day', exact: true }).check();
    await expectViewMatchesApi(page, 'day');

    // Back returns to the previous views, from the URL alone.
    await page.goBack();
    await expectViewMatchesApi(page, 'month');
    await page.goBack();
    await expectViewMatchesApi(page, 'hour');
    expect(new URL(page.url()).searchParams.get('range')).toBe('yesterday');

    // A custom range of whole days: yesterday and today, both included.
    const [yesterday, today] = [new Date(postedAt - day), new Date(postedAt)].map((d) =>
      d.toISOString().slice(0, 10),
    ) as [string, string];
    await rangePicker.selectOption('custom');
    await page.getByLabel('First day').fill(yesterday);
    await page.getByLabel('Last day').fill(today);
    await page.getByRole('button', { name: 'Apply range' }).click();
    const custom = await expectViewMatchesApi(page, 'hour');
    expect(custom.totals.pageviews).toBe(posted.length);
    expect(await page.locator('main.dashboard').getAttribute('data-from')).toBe(`${yesterday}T00:00:00.000Z`);

    // Sorting by page puts the rows in URL order.
    await page.getByRole('button', { name: 'Page', exact: true }).click();
    expect(
      await page.locator('tr[data-page]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-page'))),
    ).toEqual([...new Set(posted.map((v) => v.pageUrl))].sort());
    await page.close();
  });

  it('shows and hides the chart line from the keyboard', async () => {
    const page = await newPage(desktop, '/?range=7d');
    await signIn(page, stack.demo.readKey);
    const entry = page.getByRole('button', { name: /Show or hide Visitors/ });
    const row = page.locator('.u-legend .u-series').nth(1);

    await entry.focus();
    await page.keyboard.press('Enter');
    expect(await row.getAttribute('class')).toContain('u-off');
    await page.keyboard.press(' ');
    expect(await row.getAttribute('class')).not.toContain('u-off');
    await page.close();
  });

  it('opens a shared link at its view and fits a phone screen', async () => {
    const page = await newPage(phone, '/?range=7d');
    await signIn(page, stack.demo.readKey);
    await expectViewMatchesApi(page, 'day');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0); // a wide table scrolls inside its own box
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${screenshots}/dashboard-phone.png`, fullPage: true });
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
    await expect
      .poll(() => fresh.getByRole('alert').textContent())
      .toContain('The analytics API is not answering.');
    await fresh.close();
    await new Promise<void>((resolve) => orphan.close(() => resolve()));

    // An open, signed-in dashboard whose API stops: a clear error over the last numbers, not a blank page.
    const page = await newPage(desktop, '/?range=7d');
    await signIn(page, stack.demo.readKey);
    await expectViewMatchesApi(page, 'day');
    stackStopped = true;
    await stack.stop();
    const alert = page.getByRole('alert');
    await expect
      .poll(() => alert.textContent(), { timeout: 20_000 })
      .toContain('The analytics API is not answering.');
    expect(numberIn(await page.getByTestId('total-pageviews').textContent())).toBe(posted.length);
    await page.screenshot({ path: `${artifacts}/dashboard-api-down.png`, fullPage: true });
    await page.close();
  });
});
