/**
 * The owner's daily tools in real Chromium against the real local stack: "Export CSV" saves what
 * the API's `format=csv` answers for the view on screen, and a shared link (`#share=<key>`) opens
 * the dashboard read-only with no sign-in, the key only ever in a header.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StatsAnswer, StatsTotals } from '../lambdas/query/answers.js';
import { addKey, revokeKey } from '../lambdas/core/store/orgs.js';
import type { LocalStack } from '../local/stack.js';
import { postVisit } from '../test/helpers.js';
import { changes } from './src/lib/compare.js';
import { topRow } from './src/lib/stats.js';
import { dashboardHarness, onScreen } from './e2e-harness.js';

const desktop = { width: 1280, height: 800 };
const minute = 60_000;
const now = Date.now();
const site = 'http://localhost';
const posted = [
  { who: 'ann', page: `${site}/`, at: now - 30 * minute },
  { who: 'ann', page: `${site}/pricing`, at: now - 28 * minute },
  { who: 'ben', page: `${site}/pricing`, at: now - 3 * 60 * minute },
  { who: 'cy', page: `${site}/docs`, at: now - 5 * minute },
];

const e2e = dashboardHarness('tools');
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  ({ stack, browser } = e2e);
  for (const v of posted) {
    const response = await postVisit(stack.apiUrl, {
      key: stack.demo.siteKey,
      pageUrl: v.page,
      identifier: v.who,
      eventId: randomUUID(),
      visitedAt: new Date(v.at).toISOString(),
    });
    expect(response.status).toBe(202);
  }
  expect(await stack.drain()).toBe(true);
});

async function newPage(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: desktop });
  e2e.watch(page);
  await page.goto(url);
  return page;
}

async function api(key: string, path: string, params: Record<string, string>) {
  const response = await fetch(`${stack.apiUrl}${path}?${new URLSearchParams(params)}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(200);
  return response;
}

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [saved] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return { name: saved.suggestedFilename(), text: await readFile((await saved.path())!, 'utf8') };
}

describe('Export CSV', () => {
  it('saves the pages table and the chart as the API answers them in CSV, for the view on screen', async () => {
    const page = await newPage(`${stack.dashboardUrl}/?range=7d`);
    await page.getByLabel('Read key').fill(stack.demo.readKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const { dateFrom, dateTo, aggregation } = await onScreen.range(page);

    const table = await download(page, 'Export CSV of the pages table');
    const tableCsv = await api(stack.demo.readKey, '/breakdown', {
      property: 'page',
      dateFrom,
      dateTo,
      limit: '100',
      format: 'csv',
    });
    expect(table.text).toBe(await tableCsv.text());
    expect(`attachment; filename="${table.name}"`).toBe(tableCsv.headers.get('content-disposition'));
    expect(table.name).toMatch(/^pageviews-breakdown-page-.*\.csv$/);
    // The same rows as the JSON answer the table shows.
    const rows = (await (
      await api(stack.demo.readKey, '/breakdown', { property: 'page', dateFrom, dateTo, limit: '100' })
    ).json()) as { data: { value: string; visitors: number; visits: number; pageviews: number }[] };
    // No view reported its engagement: empty time on page and scroll depth cells.
    expect(table.text).toBe(
      [
        'value,visitors,visits,pageviews,time_on_page,scroll_depth',
        ...rows.data.map((r) => `${r.value},${r.visitors},${r.visits},${r.pageviews},,`),
        '',
      ].join('\r\n'),
    );
    expect(rows.data.map((r) => r.value).sort()).toEqual([`${site}/`, `${site}/docs`, `${site}/pricing`]);

    // Another tab of the table exports that tab.
    await page.getByRole('radio', { name: 'Entry pages' }).check();
    await expect
      .poll(() => page.locator('[data-panel="pages"] table.pages').getAttribute('data-property'))
      .toBe('entry_page');
    const entry = await download(page, 'Export CSV of the pages table');
    expect(entry.text).toBe(
      await (
        await api(stack.demo.readKey, '/breakdown', {
          property: 'entry_page',
          dateFrom,
          dateTo,
          limit: '100',
          format: 'csv',
        })
      ).text(),
    );

    const chart = await download(page, `Export CSV of the chart (GET /stats per ${aggregation})`);
    const chartCsv = await api(stack.demo.readKey, '/stats', {
      aggregation,
      dateFrom,
      dateTo,
      format: 'csv',
    });
    expect(chart.text).toBe(await chartCsv.text());
    expect(chart.text.split('\r\n')[0]).toBe('timeframe,visitors,visits,pageviews,bounces,visit_duration');
    expect(chart.name).toMatch(/^pageviews-stats-.*\.csv$/);
    await page.close();
  });
});

describe('shared links', () => {
  it('open the dashboard read-only with no sign-in, the key only in a header and gone from the address bar', async () => {
    const share = await addKey(
      { doc: stack.doc, orgsTable: stack.resources.orgsTable },
      stack.demo.orgId,
      'share',
    );
    const requests: { url: string; authorization?: string }[] = [];
    const page = await browser.newPage({ viewport: desktop });
    e2e.watch(page);
    page.on('request', (request) =>
      requests.push({
        url: request.url(),
        ...(request.headers().authorization ? { authorization: request.headers().authorization! } : {}),
      }),
    );
    await page.goto(`${stack.dashboardUrl}/?range=7d#share=${share.key}`);

    const { dateFrom, dateTo, aggregation } = await onScreen.range(page);
    expect(await page.getByLabel('Read key').count()).toBe(0);
    expect(await page.getByText('Shared view', { exact: true }).isVisible()).toBe(true);
    expect(page.url()).toBe(`${stack.dashboardUrl}/?range=7d`);
    // Kept for this tab only, like a read key; never in local storage, never in a URL.
    expect(await page.evaluate(() => sessionStorage.getItem('pageviews.readKey'))).toBe(share.key);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(share.key);
    const apiRequests = requests.filter((r) => r.url.startsWith(stack.apiUrl));
    expect(apiRequests.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.url.includes(share.key))).toEqual([]);
    expect(apiRequests.every((r) => r.authorization === `Bearer ${share.key}`)).toBe(true);

    // The org's numbers, with their change against the previous week (empty: every view is new).
    const stats = (await (
      await api(share.key, '/stats', { aggregation, dateFrom, dateTo })
    ).json()) as StatsAnswer;
    expect(stats.totals.pageviews).toBe(posted.length);
    const shown = await page
      .locator('[data-testid^="total-"]')
      .evaluateAll((dds) => dds.map((dd) => dd.textContent));
    expect(shown).toEqual(topRow(stats.totals).map((s) => s.text));
    const none = Object.fromEntries(Object.keys(stats.totals).map((k) => [k, 0])) as unknown as StatsTotals;
    const expected = changes(stats.totals, none);
    const notes = await page.locator('dd[data-change-for]').evaluateAll((dds) =>
      // Shown: the short text; read aloud: the change in words.
      dds.map((dd) => [
        dd.getAttribute('data-change-for'),
        dd.querySelector('[aria-hidden="true"]')?.textContent,
        dd.querySelector('.visually-hidden')?.textContent,
      ]),
    );
    expect(notes).toEqual(topRow(stats.totals).map((s) => [s.id, expected[s.id].text, expected[s.id].label]));
    expect(notes[0]).toEqual(['visitors', 'new', 'new: none in the previous period']);

    // A reload keeps the shared view for this tab.
    await page.reload();
    await onScreen.range(page);
    expect(await page.getByText('Shared view', { exact: true }).isVisible()).toBe(true);
    await page.waitForTimeout(300); // let uPlot finish its first paint
    await mkdir('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/dashboard-shared.png', fullPage: true });
    await page.close();
  });

  it('a revoked link shows why it does not open, instead of a dashboard', async () => {
    const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
    const share = await addKey(deps, stack.demo.orgId, 'share');
    await revokeKey(deps, stack.demo.orgId, share.keyId);
    const page = await newPage(`${stack.dashboardUrl}/#share=${share.key}`);
    await expect
      .poll(() => page.getByRole('status').or(page.getByRole('alert')).first().textContent(), {
        timeout: 15_000,
      })
      // The API's own reason, not the read-key form's "That key cannot read visits" (issue 26).
      .toContain('This shared link has been revoked; ask the owner of the site for a new one.');
    expect(page.url()).toBe(`${stack.dashboardUrl}/`);
    expect(await page.evaluate(() => sessionStorage.getItem('pageviews.readKey'))).toBeNull();
    await page.close();
  });
});
