/**
 * What an owner runs into, in real Chromium against the real local stack (issue 26): a link with
 * bad dates still opens a dashboard and says why; a long slug and a long source are cut with an
 * ellipsis and every column of every table stays visible at 1280 and 390 px (screenshots
 * docs/screenshots/dashboard-long-values-1280.png and -390.png); the chart draws nothing after
 * now and its legend never shows placeholders; a revoked share link says it was revoked.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { localDayOf, offsetAt } from '../lambdas/core/domain/zones.js';
import { addKey, createOrg, revokeKey, setOrgTimezone } from '../lambdas/core/store/orgs.js';
import type { LocalStack } from '../local/stack.js';
import { postVisit } from '../test/helpers.js';
import { dashboardHarness } from './e2e-harness.js';

const screenshots = new URL('../docs/screenshots', import.meta.url).pathname;
const longSlug = 'http://localhost/blog/2026/12/how-we-cut-our-aws-bill-in-half';
const longSource = 'a-very-long-newsletter-name-that-someone-typed-into-a-campaign-link';

const e2e = dashboardHarness('owner');
let stack: LocalStack;
let browser: Browser;
let share: string;
/** A zone in which it is not yet 20:00 now, so today has hours still to come. */
let zone: string;

beforeAll(async () => {
  ({ stack, browser } = e2e);
  const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
  const org = await createOrg(deps, { name: 'My blog' });
  const now = Date.now();
  zone = ['Etc/GMT+12', 'Pacific/Kiritimati', 'UTC'].find(
    (z) => new Date(now + offsetAt(now, z)).getUTCHours() < 20,
  )!;
  await setOrgTimezone(deps, org.orgId, zone);
  share = (await addKey(deps, org.orgId, 'share')).key;
  const pages = [longSlug, 'http://localhost/', 'http://localhost/post.html'];
  for (const [i, pageUrl] of pages.entries()) {
    const body = {
      key: org.siteKey,
      pageUrl: i === 0 ? `${pageUrl}?utm_source=${longSource}` : pageUrl,
      identifier: `reader-${i}`,
      eventId: randomUUID(),
    };
    expect((await postVisit(stack.apiUrl, body)).status).toBe(202);
  }
  expect(await stack.drain()).toBe(true);
});

async function open(viewport: { width: number; height: number }, search: string, key = share): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = e2e.watch(await context.newPage());
  await page.goto(`${stack.dashboardUrl}/${search}#share=${key}`);
  return page;
}

describe('a link with dates that do not exist', () => {
  it.each(['?range=custom&from=2026-13-01&to=2026-12-02', '?range=custom&from=2026-12-01&to=2026-12-45'])(
    'opens %s as Today, and says why',
    async (search) => {
      const page = await open({ width: 1280, height: 800 }, search);
      await page.getByTestId('total-visitors').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('link-problem').textContent()).toMatch(
        /^The link's custom range cannot be shown: "2026-1[23]-\d+" is not a day \(days from 2000-01-01 to 2999-12-31, as YYYY-MM-DD\)\. Showing Today instead\.$/,
      );
      expect(await page.getByLabel('Range', { exact: true }).inputValue()).toBe('today');
      // The top bar says which site this is.
      expect(await page.getByTestId('site-name').textContent()).toBe('My blog');
      await page.context().close();
    },
  );
});

describe('tables that fit', () => {
  it.each([
    [1280, 800],
    [390, 844],
  ])('cuts long values with an ellipsis and keeps every column visible at %i px', async (width, height) => {
    const page = await open({ width, height }, '?range=today');
    await page.locator(`tr[data-page="${longSlug}"]`).waitFor({ timeout: 15_000 });
    await page.locator('table[data-property="source"] tbody tr').first().waitFor();
    await page.waitForTimeout(300); // uPlot's first paint, for the screenshot

    // No table is wider than its box: nothing to scroll, every column on screen.
    const overflowing = await page.$$eval('.table-scroll', (boxes) =>
      boxes
        .filter((box) => box.scrollWidth > box.clientWidth + 1)
        .map((box) => box.getAttribute('aria-label')),
    );
    expect(overflowing).toEqual([]);
    const columns = await page.$$eval('table.pages', (tables) =>
      tables.map((table) => {
        const box = table.closest('.table-scroll')!.getBoundingClientRect();
        return [...table.querySelectorAll('thead th')].map((th) => {
          const r = th.getBoundingClientRect();
          // A header is read whole: only the first column's values are cut. Its text's own width
          // (the text nodes' boxes) against the room inside the box that holds it: an ellipsis and a
          // right-aligned flex box both hide an overflow from scrollWidth.
          const holder = (th.querySelector('.sort') ?? th) as HTMLElement;
          const style = getComputedStyle(holder);
          const room =
            holder.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight);
          const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
          let left = Number.POSITIVE_INFINITY;
          let right = Number.NEGATIVE_INFINITY;
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(node);
            const box = range.getBoundingClientRect();
            if (box.width === 0) continue;
            left = Math.min(left, box.left);
            right = Math.max(right, box.right);
          }
          const label = { scrollWidth: Math.ceil(right - left), clientWidth: Math.floor(room) };
          return {
            text: th.textContent,
            inside: r.left >= box.left - 1 && r.right <= box.right + 1,
            width: r.width,
            sizes: `${label.scrollWidth}/${label.clientWidth} in ${table.getAttribute('data-property')}`,
            cut: !th.classList.contains('col-page') && label.scrollWidth > label.clientWidth + 1,
          };
        });
      }),
    );
    expect(columns.length).toBeGreaterThanOrEqual(3);
    for (const column of columns.flat()) {
      expect(column.inside, `${column.text} inside its table at ${width} px`).toBe(true);
      expect(column.width, `${column.text} has room at ${width} px`).toBeGreaterThan(40);
      expect(column.cut, `${column.text} is read whole at ${width} px (${column.sizes})`).toBe(false);
    }
    // The long slug is cut, and its whole value is the title shown on hover.
    const slug = page.locator(`tr[data-page="${longSlug}"] th`);
    expect(await slug.getAttribute('title')).toBe(longSlug);
    const cut = await slug.evaluate((th) => {
      const text = (th.querySelector('.cell-filter') ?? th) as HTMLElement;
      return {
        overflowing: text.scrollWidth > text.clientWidth,
        ellipsis: getComputedStyle(text).textOverflow,
      };
    });
    expect(cut).toEqual({ overflowing: true, ellipsis: 'ellipsis' });
    // The two short pages read apart.
    const labels = await page.$$eval('table[data-property="page"] tbody th', (ths) =>
      ths.map((th) => th.textContent),
    );
    expect(new Set(labels).size).toBe(3);
    const source = page.locator('table[data-property="source"] .row-filter', { hasText: 'a-very-long' });
    expect(await source.getAttribute('title')).toContain(longSource);

    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: `${screenshots}/dashboard-long-values-${width}.png`, fullPage: true });
    await page.context().close();
  });
});

describe('the chart', () => {
  it("draws nothing after now, and its legend shows the range's figure instead of placeholders", async () => {
    const page = await open({ width: 1280, height: 800 }, '?range=today&aggregation=hour');
    await page.getByTestId('total-visitors').waitFor({ timeout: 15_000 });
    const legend = page.locator('.u-legend');
    await legend.waitFor();
    await expect.poll(() => legend.textContent()).toContain('whole range');
    expect(await legend.textContent()).not.toContain('–');
    expect(await legend.locator('.u-series').nth(1).textContent()).toContain('3');

    // The last hour of the site's today is after now: pointing at it says so, no zero.
    const plot = (await page.locator('.u-over').boundingBox())!;
    await page.mouse.move(plot.x + plot.width - 2, plot.y + plot.height / 2);
    await expect.poll(() => legend.locator('.u-series').nth(1).textContent()).toContain('not yet');
    expect(localDayOf(Date.now(), zone)).toBeTruthy();
    await page.context().close();
  });
});

describe('a revoked share link', () => {
  it('says it was revoked, instead of asking for a read key', async () => {
    const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
    const org = await createOrg(deps, { name: 'Revoked' });
    const revoked = await addKey(deps, org.orgId, 'share');
    await revokeKey(deps, org.orgId, revoked.keyId);
    const page = await open({ width: 1280, height: 800 }, '?range=today', revoked.key);
    const problem = page.getByTestId('shared-link-problem');
    await problem.waitFor({ timeout: 15_000 });
    expect(await problem.textContent()).toBe(
      'This shared link no longer works. This shared link has been revoked; ask the owner of the site for a new one.',
    );
    expect(await page.getByText('That key cannot read visits').count()).toBe(0);
    expect(await page.locator('input[type="password"], input[name="readKey"]').count()).toBe(0);
    await page.context().close();
  });
});
