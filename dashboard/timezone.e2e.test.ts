/**
 * A site's time zone in real Chromium against the real local stack: a site in Asia/Kolkata
 * (UTC+05:30, no daylight saving) opened in a browser set to America/New_York. The dashboard asks
 * GET /site before any range, asks for Today from Kolkata's midnight (18:30 UTC the day before),
 * names the zone beside the range picker and in the chart's legend, and shows the chart's times
 * on Kolkata's clock. Screenshot: docs/screenshots/dashboard-timezone.png.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StatsAnswer } from '../lambdas/query/answers.js';
import { addKey, createOrg, setOrgTimezone } from '../lambdas/core/store/orgs.js';
import type { LocalStack } from '../local/stack.js';
import { getVisits, postVisit } from '../test/helpers.js';
import { topRow } from './src/lib/stats.js';
import { dashboardHarness } from './e2e-harness.js';

const desktop = { width: 1280, height: 800 };
const hour = 3_600_000;
const day = 24 * hour;
/** Kolkata's clock is always 5 h 30 min ahead of UTC: its days are worked out here by hand. */
const kolkataOffset = 5.5 * hour;
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A Kolkata day as the dashboard writes it, from the instant it starts: "21 Nov 2026". */
function kolkataDate(start: number): string {
  const wall = new Date(start + kolkataOffset);
  return `${wall.getUTCDate()} ${monthNames[wall.getUTCMonth()]} ${wall.getUTCFullYear()}`;
}

const e2e = dashboardHarness('zone');
let stack: LocalStack;
let browser: Browser;
let site: { orgId: string; siteKey: string; readKey: string; shareKey: string };

beforeAll(async () => {
  ({ stack, browser } = e2e);
  const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
  const org = await createOrg(deps, { name: 'Kolkata' });
  await setOrgTimezone(deps, org.orgId, 'Asia/Kolkata');
  site = { ...org, shareKey: (await addKey(deps, org.orgId, 'share')).key };
  // A view now is in Kolkata's Today whatever the hour: the chart has something to draw.
  for (const who of ['asha', 'ravi']) {
    const body = {
      key: site.siteKey,
      pageUrl: 'http://localhost/',
      identifier: who,
      eventId: randomUUID(),
      visitedAt: new Date().toISOString(),
    };
    expect((await postVisit(stack.apiUrl, body)).status).toBe(202);
  }
  expect(await stack.drain()).toBe(true);
});

/** The API requests the page makes, in order, each with the moment it was made. */
function recordApiRequests(page: Page): { path: string; params: URLSearchParams; at: number }[] {
  const requests: { path: string; params: URLSearchParams; at: number }[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(stack.apiUrl)) return;
    const url = new URL(request.url());
    requests.push({ path: url.pathname, params: url.searchParams, at: Date.now() });
  });
  return requests;
}

describe("a site's time zone", () => {
  it("asks for Today from the site's midnight, not the browser's, and names the zone", async () => {
    const context = await browser.newContext({ viewport: desktop, timezoneId: 'America/New_York' });
    const page = e2e.watch(await context.newPage());
    const requests = recordApiRequests(page);
    await page.goto(`${stack.dashboardUrl}/?range=today#share=${site.shareKey}`);
    // The browser really is in New York: a dashboard that used its zone would start at 04:00 or 05:00 UTC.
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(
      'America/New_York',
    );

    const main = page.locator('main.dashboard');
    await expect.poll(() => main.getAttribute('data-from'), { timeout: 15_000 }).toBeTruthy();
    await page.getByTestId('total-pageviews').waitFor();
    expect(await page.getByTestId('zone-note').textContent()).toBe('Times in Asia/Kolkata');

    // GET /site first; then the view's GET /stats, from a Kolkata midnight to the next, around now.
    expect(requests[0]?.path).toBe('/site');
    const stats = requests.filter((r) => r.path === '/stats');
    expect(stats.length).toBeGreaterThan(0);
    const today = stats[0]!;
    const [from, to] = [Date.parse(today.params.get('dateFrom')!), Date.parse(today.params.get('dateTo')!)];
    expect(today.params.get('dateFrom')).toMatch(/T18:30:00\.000Z$/);
    expect(to - from).toBe(day);
    expect(today.at).toBeGreaterThanOrEqual(from);
    expect(today.at).toBeLessThan(to);
    expect(today.params.get('aggregation')).toBe('hour');
    // The page tables ask for the same day; the comparison for the Kolkata day before it.
    const pages = requests.find((r) => r.path === '/breakdown' && r.params.get('property') === 'page');
    expect(pages?.params.get('dateFrom')).toBe(today.params.get('dateFrom'));
    expect(stats[1]?.params.get('dateFrom')).toBe(new Date(from - day).toISOString());
    expect([await main.getAttribute('data-from'), await main.getAttribute('data-to')]).toEqual([
      new Date(from).toISOString(),
      new Date(to).toISOString(),
    ]);
    expect(await page.getByTestId('range-days').textContent()).toBe(kolkataDate(from));

    // What is shown is what the API answers for that day.
    const { body } = await getVisits(
      stack.apiUrl,
      site.readKey,
      { aggregation: 'hour', dateFrom: new Date(from).toISOString(), dateTo: new Date(to).toISOString() },
      '/stats',
    );
    expect((body as StatsAnswer).totals.pageviews).toBe(2);
    await expect
      .poll(() =>
        page.locator('[data-testid^="total-"]').evaluateAll((dds) => dds.map((dd) => dd.textContent)),
      )
      .toEqual(topRow((body as StatsAnswer).totals).map((s) => s.text));

    // The chart's legend names the zone, and a point's time is on Kolkata's clock: hours are UTC
    // hours, which start at half past on a Kolkata clock (on New York's or UTC's, on the hour).
    const legend = page.locator('.chart .u-legend .u-series').first();
    expect(await legend.locator('.u-label').textContent()).toBe('Asia/Kolkata');
    await page.locator('.chart .u-over').hover();
    await expect
      .poll(() => legend.locator('.u-value').textContent())
      .toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{2}:30$/);

    await page.mouse.move(0, 0);
    await page.waitForTimeout(300); // let uPlot finish its first paint
    await mkdir('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/dashboard-timezone.png', fullPage: true });

    // Yesterday is the Kolkata day before.
    const before = requests.length;
    await page.getByLabel('Range', { exact: true }).selectOption('yesterday');
    await expect
      .poll(() => main.getAttribute('data-from'), { timeout: 15_000 })
      .toBe(new Date(from - day).toISOString());
    expect(await main.getAttribute('data-to')).toBe(new Date(from).toISOString());
    expect(
      requests
        .slice(before)
        .find((r) => r.path === '/stats')
        ?.params.get('dateFrom'),
    ).toBe(new Date(from - day).toISOString());
    await context.close();
  });
});
