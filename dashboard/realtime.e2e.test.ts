/**
 * Realtime in real Chromium against the real local stack: "N current visitors" in the top bar and
 * the Realtime range's "Pages right now" are exactly what GET /realtime answers, and agree with
 * the views posted (inside and outside the last 5 minutes). Screenshot:
 * docs/screenshots/dashboard-realtime.png.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeAnswer } from '../lambdas/query/answers.js';
import type { LocalStack } from '../local/stack.js';
import { getVisits, postVisit } from '../test/helpers.js';
import { currentVisitorsText, realtimePageRows } from './src/lib/realtime.js';
import { dashboardHarness } from './e2e-harness.js';

const desktop = { width: 1280, height: 800 };
const minute = 60_000;
const site = 'http://localhost';

const e2e = dashboardHarness('realtime');
let stack: LocalStack;
let browser: Browser;

/** Posts one view `minutesAgo` before now, as `who` (the site's own identifier: a known visitor). */
async function view(who: string, path: string, minutesAgo: number) {
  const body = {
    key: stack.demo.siteKey,
    pageUrl: `${site}${path}`,
    identifier: who,
    eventId: randomUUID(),
    visitedAt: new Date(Date.now() - minutesAgo * minute).toISOString(),
  };
  expect((await postVisit(stack.apiUrl, body)).status).toBe(202);
}

beforeAll(async () => {
  ({ stack, browser } = e2e);
  // In the window (the last minute or so, so they stay in it for the whole test): ann read two
  // pages and is on /pricing; ben is on /pricing, cy on /docs. Out of it: dee, 20 minutes ago.
  await view('dee', '/old', 20);
  await view('ann', '/', 1.5);
  await view('ann', '/pricing', 1);
  await view('ben', '/pricing', 0.5);
  await view('cy', '/docs', 0.2);
  expect(await stack.drain()).toBe(true);
});

async function realtime(): Promise<RealtimeAnswer> {
  const { status, body } = await getVisits(stack.apiUrl, stack.demo.readKey, {}, '/realtime');
  expect(status).toBe(200);
  return body as RealtimeAnswer;
}

/** "Pages right now" as shown, in order: page URL, label, visitors. */
function shownPages(page: Page) {
  return page.locator('table.realtime-pages tr[data-page]').evaluateAll((trs) =>
    trs.map((tr) => ({
      value: tr.getAttribute('data-page'),
      label: tr.querySelector('th')?.textContent,
      visitors: Number(tr.querySelector('td')?.textContent?.replace(/,/g, '')),
    })),
  );
}

const headerText = async (page: Page) => (await page.getByTestId('current-visitors').textContent())?.trim();

describe('realtime', () => {
  it('shows the current visitors and the pages they are on, as GET /realtime answers', async () => {
    const page = await browser.newPage({ viewport: desktop });
    e2e.watch(page);
    await page.goto(`${stack.dashboardUrl}/?range=realtime`);
    await page.getByLabel('Read key').fill(stack.demo.readKey);
    await page.getByRole('button', { name: 'Sign in' }).click();

    const answer = await realtime();
    // What was posted: ann, ben and cy in the window, dee before it; ann on the page she viewed last.
    expect(answer).toEqual({
      visitors: 3,
      pageviews: 4,
      pages: [
        { value: `${site}/pricing`, visitors: 2 },
        { value: `${site}/docs`, visitors: 1 },
      ],
    });
    await expect.poll(() => headerText(page), { timeout: 15_000 }).toBe(currentVisitorsText(answer.visitors));
    expect(await page.getByTestId('realtime-visitors').getAttribute('data-value')).toBe(
      String(answer.visitors),
    );
    expect(await page.getByTestId('realtime-pageviews').getAttribute('data-value')).toBe(
      String(answer.pageviews),
    );
    expect(await shownPages(page)).toEqual(
      realtimePageRows(answer.pages).rows.map(({ value, label, visitors }) => ({ value, label, visitors })),
    );
    expect(await page.locator('.pages-host').textContent()).toBe('localhost');
    expect(await page.locator('.chart').count()).toBe(0);
    await mkdir('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/dashboard-realtime.png', fullPage: true });

    // A new visitor arrives: the header and the table follow on a later refresh, without a reload.
    await view('eli', '/docs', 0);
    expect(await stack.drain()).toBe(true);
    const later = await realtime();
    expect(later.visitors).toBe(4);
    await expect.poll(() => headerText(page), { timeout: 30_000 }).toBe(currentVisitorsText(later.visitors));
    await expect
      .poll(() => shownPages(page), { timeout: 15_000 })
      .toEqual(
        realtimePageRows(later.pages).rows.map(({ value, label, visitors }) => ({ value, label, visitors })),
      );

    // Another range keeps the current visitors in the top bar.
    await page.getByLabel('Range', { exact: true }).selectOption('today');
    await page.getByTestId('total-visitors').waitFor();
    expect(page.url()).toContain('range=today');
    expect(await headerText(page)).toBe(currentVisitorsText(later.visitors));
    await page.close();
  });
});
