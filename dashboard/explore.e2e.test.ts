/**
 * Filters that combine and saved segments in real Chromium against the real local stack, over a
 * year: history imported as the import CLI does (parseArchiveCsv + importRows into the archive and
 * the counters), today's views posted over HTTP. Two chips from clicked rows and an "is not" from
 * the filter editor: the top row, the chart and the tables equal GET /stats and GET /breakdown
 * with the same filters; saved as a segment, it applies them again after a reload.
 * Screenshot: docs/screenshots/dashboard-explore.png.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importRows } from '../lambdas/archive/import.js';
import { fileBlobStore } from '../lambdas/core/archive/blobs.js';
import { parseArchiveCsv } from '../lambdas/core/archive/csv.js';
import type { BreakdownAnswer, StatsAnswer } from '../lambdas/query/answers.js';
import type { LocalStack } from '../local/stack.js';
import { postVisit } from '../test/helpers.js';
import { browsers } from '../test/user-agents.js';
import { dashboardHarness, expectTopRowShows, onScreen, screenshotDashboard } from './e2e-harness.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const site = 'http://localhost';
const today = Math.floor(Date.now() / DAY) * DAY;

// A small deterministic generator, so a failure reproduces.
let seed = 21;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

const pages = ['/', '/pricing', '/blog/one', '/docs'].map((p) => site + p);
const referrers = ['https://www.google.com/', 'https://www.bing.com/', ''];
const countries = ['DE', 'US', 'FR', 'IN'];
const devices = [
  ['Chrome', 'Windows', 'desktop'],
  ['Safari', 'iOS', 'mobile'],
  ['Firefox', 'Linux', 'desktop'],
] as const;

/** Every third day of the last year (two days ago at the latest: younger days are still open), a few visitors each. */
function historyCsv(): string {
  const lines = [
    'timestamp,event_id,visitor_id,type,name,page,referrer,source,utm_source,utm_medium,utm_campaign,utm_term,utm_content,country,browser,os,device',
  ];
  for (let d = 360; d >= 2; d -= 3) {
    for (let v = 0; v < 3 + Math.floor(random() * 3); v++) {
      const [browser, os, device] = pick(devices);
      const visitor = `y${d}-${v}`;
      const referrer = pick(referrers);
      const country = pick(countries);
      let time = today - d * DAY + Math.floor(random() * 20 * 60) * MINUTE;
      for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
        const cells = [new Date(time).toISOString(), randomUUID(), visitor, 'pageview', '', pick(pages)];
        cells.push(i === 0 ? referrer : '', '', '', '', '', '', '', country, browser, os, device);
        lines.push(cells.join(','));
        time += (1 + Math.floor(random() * 10)) * MINUTE;
      }
    }
  }
  return lines.join('\n');
}

const e2e = dashboardHarness('explore');
let stack: LocalStack;

beforeAll(async () => {
  stack = e2e.stack;
  const rows = parseArchiveCsv(historyCsv());
  const imported = await importRows(
    {
      doc: stack.doc,
      orgsTable: stack.resources.orgsTable,
      countersTable: stack.resources.countersTable,
      visitsTable: stack.resources.visitsTable,
      blobs: fileBlobStore(stack.archiveDir),
    },
    { orgId: stack.demo.orgId, timezone: 'UTC' },
    rows,
    Date.now(),
  );
  expect(imported.added).toBe(rows.length);
  // Today, over HTTP: open days are answered from the visitor-days, beside the archive.
  const todays = [
    { ua: browsers.chromeWindows, referrer: 'https://www.google.com/', tz: 'America/New_York' },
    { ua: browsers.chromeWindows, referrer: 'https://www.google.com/', tz: 'Europe/Berlin' },
    { ua: browsers.safariIphone, referrer: 'https://www.google.com/', tz: 'Asia/Kolkata' },
  ];
  for (const [i, v] of todays.entries()) {
    const body = {
      key: stack.demo.siteKey,
      pageUrl: `${site}/pricing`,
      identifier: `today-${i}`,
      eventId: randomUUID(),
      visitedAt: new Date(Date.now() - (10 - i) * MINUTE).toISOString(),
      referrer: v.referrer,
      tz: v.tz,
    };
    expect((await postVisit(stack.apiUrl, body, { headers: { 'user-agent': v.ua } })).status).toBe(202);
  }
  expect(await stack.drain()).toBe(true);
}, 240_000);

const api = <T>(path: string, params: Record<string, string>, filters: readonly string[]) =>
  e2e.readApi<T>(path, params, filters);

const shownFilters = async (page: Page) =>
  page.getByTestId('filter-chip').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-filter')));

/** The top row, the chart and four tables on screen equal the API's answers for the same filters. */
async function expectViewMatchesApi(page: Page, filters: readonly string[]) {
  await expect.poll(() => shownFilters(page), { timeout: 15_000 }).toEqual(filters);
  const { dateFrom, dateTo, aggregation } = await onScreen.range(page);
  const stats = await api<StatsAnswer>('/stats', { aggregation, dateFrom, dateTo }, filters);
  await expectTopRowShows(page, stats.totals);

  // The chart: each bucket's visitors as GET /stats counts them, zero where it has none.
  const canvas = page.locator('.chart-canvas');
  const xs = (await canvas.getAttribute('data-xs'))!.split(',').map(Number);
  const byStart = new Map(stats.series.map((p) => [Date.parse(p.timeframe) / 1000, p.visitors]));
  const drawn = (await canvas.getAttribute('data-values'))!.split(',').map(Number);
  expect(drawn).toEqual(xs.map((x) => byStart.get(x) ?? 0));
  expect(drawn.filter((v) => v > 0).length).toBeGreaterThan(3);

  for (const [panel, property] of [
    ['sources', 'source'],
    ['countries', 'country'],
    ['devices', 'browser'],
  ] as const) {
    const answer = await api<BreakdownAnswer>(
      '/breakdown',
      { property, dateFrom, dateTo, limit: '100' },
      filters,
    );
    const shown = await onScreen.panelRows(page, panel, property);
    expect(
      shown.map(({ value, cells }) => ({ value, visitors: Number(cells[0]!.replace(/,/g, '')) })),
    ).toEqual(answer.data.map(({ value, visitors }) => ({ value, visitors })));
  }
  const pagesAnswer = await api<BreakdownAnswer>(
    '/breakdown',
    { property: 'page', dateFrom, dateTo, limit: '100' },
    filters,
  );
  await expect
    .poll(
      () =>
        page
          .locator('[data-panel="pages"] tr[data-page]')
          .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-page'))),
      {
        timeout: 15_000,
      },
    )
    .toEqual(pagesAnswer.data.map((row) => row.value));
  return stats;
}

describe('filters that combine, over a year', () => {
  it('two chips and an "is not": the top row, the chart and the tables follow; a saved segment applies them again after a reload', async () => {
    const page = e2e.watch(await e2e.browser.newPage({ viewport: { width: 1280, height: 1000 } }));
    await page.goto(`${stack.dashboardUrl}/?range=12mo`);
    await page.getByLabel('Read key').fill(stack.demo.readKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const all = await expectViewMatchesApi(page, []);

    // Two chips from clicked rows, an "is not" from the editor.
    await page.getByRole('button', { name: 'Filter: Source is Google' }).click();
    await page.getByRole('button', { name: 'Filter: Browser is Chrome' }).click();
    await page.getByRole('button', { name: 'Add filter' }).click();
    const editor = page.getByRole('form', { name: 'Add a filter' });
    await editor.getByLabel('Property').selectOption('country');
    await editor.getByLabel('Operator').selectOption('is_not');
    await editor.getByLabel('Values').fill('DE|FR');
    await editor.getByRole('button', { name: 'Add' }).click();

    const filters = ['source:Google', 'browser:Chrome', 'country!:DE|FR'];
    expect(new URL(page.url()).searchParams.getAll('filter')).toEqual(filters);
    expect(await page.getByTestId('filter-chip').allTextContents()).toEqual([
      'Source is Google×',
      'Browser is Chrome×',
      'Country is not Germany or France×',
    ]);
    const filtered = await expectViewMatchesApi(page, filters);
    // Narrower than the whole year, and not empty: the filters were applied, on both halves.
    expect(filtered.totals.visitors).toBeGreaterThan(2);
    expect(filtered.totals.visitors).toBeLessThan(all.totals.visitors / 3);
    const countries = await onScreen.panelRows(page, 'countries', 'country');
    expect(countries.map((r) => r.value).sort()).toEqual(expect.not.arrayContaining(['DE', 'FR']));
    await screenshotDashboard(page, 'docs/screenshots/dashboard-explore.png');

    // A reload keeps them: they are the URL.
    await page.reload();
    await expectViewMatchesApi(page, filters);

    // Saved as a segment; the view without filters after a reload; the segment applies them again.
    await page.getByRole('button', { name: 'Save as segment' }).click();
    await page.getByLabel('Segment name').fill('Google on Chrome, not DE or FR');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect
      .poll(() => page.getByLabel('Segment', { exact: true }).inputValue())
      .toBe('Google on Chrome, not DE or FR');
    await page.goto(`${stack.dashboardUrl}/?range=12mo`);
    await expectViewMatchesApi(page, []);
    await page.getByLabel('Segment', { exact: true }).selectOption('Google on Chrome, not DE or FR');
    await expect.poll(() => new URL(page.url()).searchParams.getAll('filter')).toEqual(filters);
    await expectViewMatchesApi(page, filters);

    // Back: the unfiltered view again, from the history.
    await page.goBack();
    await expectViewMatchesApi(page, []);
    await page.close();
  });
});
