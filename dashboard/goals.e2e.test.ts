/**
 * Custom events end to end in real Chromium against the real local stack: a page of the demo site
 * loads the real tracker, the visitor signs up twice (`window.pv.event('Signup')`), another
 * visitor only looks; the Goals panel shows exactly what GET /breakdown?property=event answers,
 * and a clicked goal filters the top row to what GET /stats answers with `filter=event:Signup`.
 * The screenshot goes to docs/screenshots/dashboard-goals.png.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StatsAnswer } from '../lambdas/query/answers.js';
import type { LocalStack } from '../local/stack.js';
import { postVisit } from '../test/helpers.js';
import { browsers } from '../test/user-agents.js';
import type { GoalRow } from './src/lib/goals.js';
import { dashboardHarness, expectTopRowShows, onScreen, screenshotDashboard } from './e2e-harness.js';

const screenshots = 'docs/screenshots';
const desktop = { width: 1280, height: 1000 };

const e2e = dashboardHarness('goals', { serveSite: true });
let stack: LocalStack;
let browser: Browser;

beforeAll(() => {
  ({ stack, browser } = e2e);
});

/** Today as a whole UTC day (the demo site's zone), as the dashboard's Today asks for it. */
function today(): { dateFrom: string; dateTo: string } {
  const start = new Date();
  start.setUTCHours(0, 0, 0, 0);
  return { dateFrom: start.toISOString(), dateTo: new Date(start.getTime() + 86_400_000).toISOString() };
}

/** GET `path` for the demo org: its JSON answer. */

const goalsToday = () =>
  e2e.readApi<{ data: GoalRow[] }>('/breakdown', { property: 'event', ...today(), limit: '100' });

const numberIn = (text: string | null) => Number((text ?? '').replace(/[,%]/g, ''));

/** The Goals panel's rows as shown: name, visitors, events, conversion rate. */
async function shownGoals(page: Page): Promise<GoalRow[]> {
  const rows = await onScreen.panelRows(page, 'goals', 'event');
  return rows.map(({ value, cells: [visitors, events, rate] }) => ({
    value,
    visitors: numberIn(visitors!),
    events: numberIn(events!),
    conversion_rate: numberIn(rate!),
  }));
}

describe('goals against the local stack', () => {
  it('shows a goal sent with window.pv.event in the Goals panel with the API figures, and filters the view by it', async () => {
    // Another visitor (another browser) who only looks: half the visitors convert.
    const look = { key: stack.demo.siteKey, pageUrl: `${stack.siteUrl}/`, eventId: randomUUID() };
    expect(
      (await postVisit(stack.apiUrl, look, { headers: { 'user-agent': browsers.safariIphone } })).status,
    ).toBe(202);

    // The visitor who signs up, on the demo site with the real tracker.
    const visitor = await browser.newPage({ viewport: desktop });
    e2e.watch(visitor);
    await visitor.goto(`${stack.siteUrl}/pricing.html`);
    await visitor.waitForFunction(() => typeof window.pv?.event === 'function');
    await visitor.evaluate(() => {
      window.pv.event('Signup');
      window.pv.event('Signup');
    });
    await visitor.close();

    // Two visitors today, one of whom signed up twice.
    await expect
      .poll(async () => (await stack.drain(), (await goalsToday()).data), { timeout: 30_000, interval: 500 })
      .toEqual([{ value: 'Signup', visitors: 1, events: 2, conversion_rate: 50 }]);
    const all = await e2e.readApi<StatsAnswer>('/stats', { aggregation: 'hour', ...today() });
    // An event is not a page view: one view each.
    expect([all.totals.visitors, all.totals.pageviews]).toEqual([2, 2]);

    const page = await browser.newPage({ viewport: desktop });
    e2e.watch(page);
    await page.goto(`${stack.dashboardUrl}/?range=today`);
    await page.getByLabel('Read key').fill(stack.demo.readKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const range = await onScreen.range(page);
    expect({ dateFrom: range.dateFrom, dateTo: range.dateTo }).toEqual(today());

    expect(await shownGoals(page)).toEqual((await goalsToday()).data);
    expect(await page.locator('[data-panel="goals"] tr[data-value="Signup"]').textContent()).toBe(
      'Signup1250%',
    );

    await screenshotDashboard(page, `${screenshots}/dashboard-goals.png`);

    // The goal filters the view: in the URL, as a chip, and the top row is GET /stats with the filter.
    await page.getByRole('button', { name: 'Filter: Goal is Signup' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('filter')).toBe('event:Signup');
    expect(await page.getByTestId('filter-chip').textContent()).toBe('Goal is Signup×');
    const signups = await e2e.statsOfShownRange(page, 'event:Signup');
    expect(signups.totals.visitors).toBe(1);
    await expectTopRowShows(page, signups.totals);
    await page.close();
  });
});
