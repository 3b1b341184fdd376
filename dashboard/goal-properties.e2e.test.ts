/**
 * A goal's properties end to end in real Chromium against the real local stack: purchases with
 * properties posted to POST /events, a click on the goal in the Goals panel, and under it a table
 * per property key with exactly what GET /breakdown?property=props.<key>&filter=event:Purchase
 * answers. The screenshot goes to docs/screenshots/dashboard-goal-properties.png.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PropsAnswer } from '../lambdas/query/answers.js';
import type { LocalStack } from '../local/stack.js';
import { postVisit } from '../test/helpers.js';
import { dashboardHarness, onScreen } from './e2e-harness.js';

const screenshots = 'docs/screenshots';
const desktop = { width: 1280, height: 1000 };

const e2e = dashboardHarness('goal-properties');
let stack: LocalStack;
let browser: Browser;

beforeAll(() => {
  ({ stack, browser } = e2e);
});

async function postEvent(identifier: string, name: string, props: Record<string, string>) {
  const event = { key: stack.demo.siteKey, pageUrl: 'https://demo.test/pricing', identifier, name, props };
  const answer = await postVisit(stack.apiUrl, { ...event, eventId: randomUUID() }, { route: '/events' });
  expect(answer.status).toBe(202);
}

describe('a goal and its properties against the local stack', () => {
  it('shows, under a clicked goal, a table per property with the API figures', async () => {
    const purchases: [string, Record<string, string>][] = [
      ['ann', { plan: 'pro', seats: '5' }],
      ['bob', { plan: 'team', seats: '20' }],
      ['cy', { plan: 'pro', seats: '1' }],
      ['cy', { plan: 'pro', seats: '1', coupon: 'SPRING' }],
      ['dee', { plan: 'free' }],
    ];
    for (const identifier of ['ann', 'bob', 'cy', 'dee', 'eve']) {
      const view = { key: stack.demo.siteKey, pageUrl: 'https://demo.test/pricing', identifier };
      expect((await postVisit(stack.apiUrl, { ...view, eventId: randomUUID() })).status).toBe(202);
    }
    for (const [identifier, props] of purchases) await postEvent(identifier, 'Purchase', props);
    // Another goal's properties stay out of Purchase's tables.
    await postEvent('eve', 'Download', { 'file-type': 'pdf', plan: 'enterprise' });
    expect(await stack.drain()).toBe(true);

    const page = e2e.watch(await browser.newPage({ viewport: desktop }));
    await page.goto(`${stack.dashboardUrl}/?range=today`);
    await page.getByLabel('Read key').fill(stack.demo.readKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const { dateFrom, dateTo } = await onScreen.range(page);
    /** What the API answers for the goal's property (or its keys) over the range on screen: what the tables must show. */
    const propsOf = (property: string) =>
      e2e.readApi<PropsAnswer>('/breakdown', {
        property,
        filter: 'event:Purchase',
        dateFrom,
        dateTo,
        limit: '100',
      });
    expect((await propsOf('props.plan')).data).toEqual([
      { value: 'pro', visitors: 2, visits: 2, events: 3 },
      { value: 'free', visitors: 1, visits: 1, events: 1 },
      { value: 'team', visitors: 1, visits: 1, events: 1 },
    ]);

    const goals = page.locator('[data-panel="goals"]');
    await goals.getByRole('button', { name: 'Filter: Goal is Purchase' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('filter')).toBe('event:Purchase');

    const properties = goals.locator('.goal-properties[data-goal="Purchase"]');
    const keys = (await propsOf('props')).data.map((row) => row.value);
    expect(keys).toEqual(['plan', 'seats', 'coupon']);
    await expect
      .poll(
        () => properties.locator('table').evaluateAll((tables) => tables.map((t) => t.dataset.property)),
        {
          timeout: 15_000,
        },
      )
      .toEqual(keys.map((key) => `props.${key}`));
    for (const key of keys) {
      const shown = await properties
        .locator(`table[data-property="props.${key}"] tbody tr`)
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.getAttribute('data-value'),
            ...[...tr.querySelectorAll('td')].map((td) => Number(td.textContent?.replace(/,/g, ''))),
          ]),
        );
      const answer = (await propsOf(`props.${key}`)).data;
      expect(shown, key).toEqual(answer.map((row) => [row.value, row.visitors, row.events]));
    }
    expect(await properties.locator('h3').textContent()).toBe('Properties of Purchase');

    await mkdir(screenshots, { recursive: true });
    await goals.screenshot({ path: `${screenshots}/dashboard-goal-properties.png` });
    await page.close();
  });
});
