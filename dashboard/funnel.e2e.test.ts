/**
 * The Funnels panel in real Chromium against the real local stack: visits and events posted over
 * HTTP; the owner creates a funnel in the panel (PUT /funnels), which then shows each step's
 * visitors, conversion and drop-off exactly as GET /funnel answers for the range on screen, and
 * follows a filter. Screenshot: docs/screenshots/dashboard-funnel.png.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FunnelAnswer } from '../lambdas/query/answers.js';
import { postVisit } from '../test/helpers.js';
import { dashboardHarness, onScreen, screenshotDashboard } from './e2e-harness.js';

const desktop = { width: 1280, height: 1000 };
const minute = 60_000;
const now = Date.now();
const site = 'http://localhost';

/** Each visitor's visit today, in order, minutes ago: pricing, then signup, then the Signup event for some. */
const visits: { who: string; tz: string; steps: string[] }[] = [
  { who: 'ann', tz: 'Europe/Berlin', steps: ['/', '/pricing', '/signup', 'event:Signup'] },
  { who: 'ben', tz: 'Europe/Berlin', steps: ['/pricing', '/docs', '/signup', 'event:Signup'] },
  { who: 'cy', tz: 'America/New_York', steps: ['/pricing', '/signup', 'event:Signup'] },
  { who: 'dee', tz: 'America/New_York', steps: ['/pricing', '/signup'] },
  { who: 'eli', tz: 'Europe/Berlin', steps: ['/pricing', '/signup'] },
  { who: 'fay', tz: 'Asia/Kolkata', steps: ['/pricing', '/docs'] },
  { who: 'gus', tz: 'Asia/Kolkata', steps: ['/pricing'] },
  // Out of order: signed up before seeing the pricing page.
  { who: 'hal', tz: 'Europe/Berlin', steps: ['/signup', 'event:Signup', '/pricing'] },
];
const funnelSteps = ['page:/pricing', 'page:/signup', 'event:Signup'];

const e2e = dashboardHarness('funnel');

beforeAll(async () => {
  const { stack } = e2e;
  for (const [v, visit] of visits.entries()) {
    for (const [i, step] of visit.steps.entries()) {
      const isEvent = step.startsWith('event:');
      const body = {
        key: stack.demo.siteKey,
        pageUrl: `${site}${isEvent ? '/signup' : step}`,
        identifier: visit.who,
        eventId: randomUUID(),
        visitedAt: new Date(now - (40 - v * 3) * minute + i * 20_000).toISOString(),
        tz: visit.tz,
        ...(isEvent ? { name: step.slice(6) } : {}),
      };
      const response = await postVisit(stack.apiUrl, body, { route: isEvent ? '/events' : '/visits' });
      expect(response.status).toBe(202);
    }
  }
  expect(await e2e.stack.drain()).toBe(true);
});

/** The funnel as shown once loaded: per step, its name, visitors, conversion and drop-off texts. */
async function shownSteps(page: Page) {
  const steps = page.locator('[data-panel="funnels"] li.funnel-step');
  await steps.first().waitFor({ timeout: 15_000 });
  await expect
    .poll(() => page.locator('[data-panel="funnels"] [aria-busy="true"]').count(), { timeout: 15_000 })
    .toBe(0);
  return steps.evaluateAll((lis) =>
    lis.map((li) => ({
      step: li.getAttribute('data-step'),
      visitors: Number(li.getAttribute('data-visitors')),
      conversion: li.querySelector('[data-column="conversion_rate"]')?.textContent,
      dropoff: li.querySelector('[data-column="dropoff"]')?.textContent ?? null,
    })),
  );
}

async function funnelOfShownRange(page: Page, filter?: string) {
  const { dateFrom, dateTo } = await onScreen.range(page);
  const query = new URLSearchParams({ dateFrom, dateTo, ...(filter ? { filter } : {}) });
  for (const step of funnelSteps) query.append('step', step);
  const response = await fetch(`${e2e.stack.apiUrl}/funnel?${query}`, {
    headers: { authorization: `Bearer ${e2e.stack.demo.readKey}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as FunnelAnswer;
}

describe('the Funnels panel against the local stack', () => {
  it('creates a funnel, shows its steps as GET /funnel answers them with the drop-off between, and follows a filter', async () => {
    const page = e2e.watch(await e2e.browser.newPage({ viewport: desktop }));
    await page.goto(`${e2e.stack.dashboardUrl}/?range=7d`);
    await page.getByLabel('Read key').fill(e2e.stack.demo.readKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const panel = page.locator('[data-panel="funnels"]');
    await panel.getByText('No funnels yet.').waitFor({ timeout: 15_000 });

    // The owner makes a funnel of three steps; a bad step is refused with the API's words first.
    await panel.getByRole('button', { name: 'New funnel' }).click();
    await panel.getByLabel('Funnel name').fill('Signup funnel');
    await panel.getByLabel('Step 1 page path').fill('pricing');
    await panel.getByLabel('Step 2 page path').fill('/signup');
    await panel.getByRole('button', { name: 'Add step' }).click();
    await panel.getByLabel('Step 3 kind').selectOption('event');
    await panel.getByLabel('Step 3 event name').fill('Signup');
    await panel.getByRole('button', { name: 'Save funnel' }).click();
    await expect
      .poll(() => panel.getByRole('alert').textContent(), { timeout: 10_000 })
      .toMatch(/step 1 of 3 \("page:pricing"\) names a page by its path starting with \//);
    await panel.getByLabel('Step 1 page path').fill('/pricing');
    await panel.getByRole('button', { name: 'Save funnel' }).click();

    const answer = await funnelOfShownRange(page);
    // Eight visitors saw pricing; five then signup; three then signed up (hal did it out of order).
    expect(answer.steps.map((s) => s.visitors)).toEqual([8, 5, 3]);
    expect(await shownSteps(page)).toEqual([
      { step: 'page:/pricing', visitors: 8, conversion: '100%', dropoff: null },
      { step: 'page:/signup', visitors: 5, conversion: '62.5%', dropoff: '↓ 3 dropped off (37.5%)' },
      { step: 'event:Signup', visitors: 3, conversion: '37.5%', dropoff: '↓ 2 dropped off (40%)' },
    ]);
    expect((await shownSteps(page)).map((s) => s.visitors)).toEqual(answer.steps.map((s) => s.visitors));
    await panel.scrollIntoViewIfNeeded();
    await screenshotDashboard(page, 'docs/screenshots/dashboard-funnel.png');

    // The view's filter narrows the funnel as it narrows GET /funnel.
    await page.goto(`${e2e.stack.dashboardUrl}/?range=7d&filter=country:DE`);
    const filtered = await funnelOfShownRange(page, 'country:DE');
    expect(filtered.steps.map((s) => s.visitors)).toEqual([4, 3, 2]);
    await expect.poll(async () => (await shownSteps(page)).map((s) => s.visitors)).toEqual([4, 3, 2]);
    await page.close();
  });
});
