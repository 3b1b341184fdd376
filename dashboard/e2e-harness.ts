/**
 * What every dashboard test in Chromium shares: the real local stack serving the dashboard (on
 * the suite's emulators, free ports, its own tables), Chromium, and no page error left unseen.
 * Call it at the top of a test file; its hooks run before the file's own.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import type { StatsAnswer, StatsTotals } from '../lambdas/query/answers.js';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import { launchChromium } from '../test/chromium.js';
import { topRow as expectedTopRow } from './src/lib/stats.js';

export interface DashboardHarness {
  stack: LocalStack;
  browser: Browser;
  /** Records the page's errors; each test fails if any page it watched threw. */
  watch(page: Page): Page;
  /** A read route's JSON answer for the demo org, which must be a 200; each of `filters` is one `filter` parameter. */
  readApi<T>(path: string, params: Record<string, string>, filters?: readonly string[]): Promise<T>;
  /** GET /stats over the range on screen, as the dashboard asks for it, with one filter. */
  statsOfShownRange(page: Page, filter: string): Promise<StatsAnswer>;
}

export function dashboardHarness(name: string, options: { serveSite?: boolean } = {}): DashboardHarness {
  const pageErrors: string[] = [];
  const harness = {
    stack: undefined as unknown as LocalStack,
    browser: undefined as unknown as Browser,
    watch(page: Page) {
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
    readApi: <T>(path: string, params: Record<string, string>, filters?: readonly string[]) =>
      readApi<T>(harness.stack, path, params, filters),
    async statsOfShownRange(page: Page, filter: string) {
      const { aggregation, dateFrom, dateTo } = await range(page);
      return readApi<StatsAnswer>(harness.stack, '/stats', { aggregation, dateFrom, dateTo, filter });
    },
  };
  beforeAll(async () => {
    [harness.stack, harness.browser] = await Promise.all([
      startLocalStack({
        ports: { api: 0, site: 0, dashboard: 0 },
        emulators: { dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint') },
        prefix: `${name}-${randomUUID().slice(0, 6)}-`,
        serveSite: options.serveSite ?? false,
        quiet: true,
      }),
      launchChromium(),
    ]);
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await Promise.all([harness.browser?.close(), harness.stack?.stop()]);
  });
  return harness;
}

/** The top row as shown: per total, the exact number behind it and its text. */
async function topRow(page: Page) {
  return page.locator('[data-testid^="total-"]').evaluateAll((dds) =>
    dds.map((dd) => ({
      id: (dd.getAttribute('data-testid') ?? '').slice('total-'.length),
      value: Number(dd.getAttribute('data-value')),
      text: dd.textContent,
    })),
  );
}

/**
 * A full-page screenshot of a loaded dashboard, from the top (the sticky top bar would otherwise
 * sit in the middle of the shot), once uPlot has finished its first paint.
 */
export async function screenshotDashboard(page: Page, path: string): Promise<void> {
  await page.waitForTimeout(300);
  await mkdir(dirname(path), { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
}

/** The range on screen, once the view has loaded its answers. */
async function range(page: Page) {
  const main = page.locator('main.dashboard');
  await expect.poll(() => main.getAttribute('data-from'), { timeout: 15_000 }).toBeTruthy();
  await page.getByTestId('total-pageviews').waitFor();
  return {
    dateFrom: (await main.getAttribute('data-from'))!,
    dateTo: (await main.getAttribute('data-to'))!,
    aggregation: (await main.getAttribute('data-aggregation'))!,
  };
}

/** A read route's JSON answer for the demo org, which must be a 200. */
async function readApi<T>(
  stack: LocalStack,
  path: string,
  params: Record<string, string>,
  filters: readonly string[] = [],
): Promise<T> {
  const query = new URLSearchParams(params);
  for (const filter of filters) query.append('filter', filter);
  const response = await fetch(`${stack.apiUrl}${path}?${query}`, {
    headers: { authorization: `Bearer ${stack.demo.readKey}` },
  });
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body as T;
}

/**
 * A panel tab's rows as shown, once it has loaded and nothing newer is on its way: the value
 * each row filters by, its button's text, and its cells' texts.
 */
async function panelRows(
  page: Page,
  panel: string,
  property: string,
): Promise<{ value: string; button: string; cells: string[] }[]> {
  const table = page.locator(`[data-panel="${panel}"] table[data-property="${property}"]`);
  await table.waitFor({ timeout: 15_000 });
  await expect
    .poll(() => page.locator(`[data-panel="${panel}"] [aria-busy="true"]`).count(), { timeout: 15_000 })
    .toBe(0);
  return table.locator('tr[data-value]').evaluateAll((trs) =>
    trs.map((tr) => ({
      value: tr.getAttribute('data-value') ?? '',
      button: tr.querySelector('button')?.textContent ?? '',
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
    })),
  );
}

/** What the dashboard shows, read from the page: `onScreen.topRow(page)`, `onScreen.range(page)`, `onScreen.panelRows(...)`. */
export const onScreen = { topRow, range, panelRows };

/** Waits until the top row on screen shows these totals: each figure's number and its text. */
export async function expectTopRowShows(page: Page, totals: StatsTotals): Promise<void> {
  await expect
    .poll(() => topRow(page), { timeout: 15_000 })
    .toEqual(expectedTopRow(totals).map(({ id, value, text }) => ({ id, value, text })));
}
