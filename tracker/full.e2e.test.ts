/**
 * tracker.full.js in real Chromium, against a capture server: the edges of clicks without code
 * (which clicks and links count, which do not, a tagged element over the link inside it, the file
 * types in any case and `data-file-types` replacing them) and the engagement sent once per view
 * (at the next in-page navigation, and when the page is hidden), each body as ingest takes it.
 * The demo-site test (site/clicks.e2e.test.ts) covers the common path end to end.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engagementBodySchema, eventBodySchema } from '../lambdas/core/domain/queued-view.js';
import { launchChromium } from '../test/chromium.js';
import { buildTracker } from './build.js';
import { type CaptureServer, startCaptureServer } from './test/capture-server.js';

const siteKey = 'site-key-for-tests';

let browser: Browser;
let server: CaptureServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  const { code } = await buildTracker({ full: true });
  [browser, server] = await Promise.all([launchChromium(), startCaptureServer(code)]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), server?.close()]);
});

beforeEach(async () => {
  server.visits.length = 0;
  server.events.length = 0;
  server.engagements.length = 0;
  context = await browser.newContext();
  page = await context.newPage();
});

afterEach(async () => {
  await context.close();
});

/** Links that do not navigate (`return false`), so every click stays on the page under test. */
function linksPage(attributes: string): string {
  const link = (id: string, href: string) => `<a id="${id}" href="${href}" onclick="return false">${id}</a>`;
  return `<!doctype html><html><head><title>clicks</title>
<script defer src="/tracker.js" data-key="${siteKey}" ${attributes}></script></head><body>
${link('mail', 'mailto:someone@example.com?subject=a.pdf')}
${link('tel', 'tel:+4930123456')}
${link('js', 'javascript:void 0')}
${link('same', '/pricing')}
${link('out', 'https://example.com/guide')}
${link('pdf', '/files/Report.PDF')}
${link('zip', '/files/archive.zip')}
<div data-pv-event="Signup" data-pv-prop-plan="pro" data-pv-prop-billing-period="yearly">
  ${link('inside', 'https://example.com/signup')}
</div>
<button id="plain">plain</button>
</body></html>`;
}

const events = () =>
  server.events.map((captured) => {
    const body = eventBodySchema.parse(JSON.parse(captured.body));
    return { name: body.name, props: body.props };
  });

/** Waits for `count` events, then a moment for one wrongly sent after them. */
async function eventsAfter(count: number) {
  await expect.poll(() => server.events.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(count);
  await page.waitForTimeout(300);
  return events();
}

describe('tracker.full.js clicks without code', () => {
  it('counts left and middle clicks on links with a host, never right clicks, mailto:, tel: or javascript:', async () => {
    server.page = linksPage('data-outbound-links data-file-downloads');
    await page.goto(server.origin);
    await expect.poll(() => server.visits.length).toBe(1);
    for (const id of ['mail', 'tel', 'js', 'same', 'plain']) await page.click(`#${id}`);
    await page.click('#out', { button: 'right' });
    await page.click('#out', { button: 'middle' });
    await page.click('#out');
    await page.click('#pdf');
    await page.click('#inside');
    const url = (path: string) => ({ url: new URL(path, server.origin).href });
    expect(await eventsAfter(4)).toEqual([
      { name: 'Outbound Link: Click', props: { url: 'https://example.com/guide' } },
      { name: 'Outbound Link: Click', props: { url: 'https://example.com/guide' } },
      // The extension in any case.
      { name: 'File Download', props: url('/files/Report.PDF') },
      // The tagged element wins over the outbound link inside it.
      { name: 'Signup', props: { plan: 'pro', 'billing-period': 'yearly' } },
    ]);
  });

  it('takes data-file-types instead of the default list, and counts nothing without the options', async () => {
    server.page = linksPage('data-file-downloads data-file-types="zip,txt"');
    await page.goto(server.origin);
    await expect.poll(() => server.visits.length).toBe(1);
    for (const id of ['pdf', 'out', 'zip']) await page.click(`#${id}`);
    expect(await eventsAfter(1)).toEqual([
      { name: 'File Download', props: { url: new URL('/files/archive.zip', server.origin).href } },
    ]);

    server.events.length = 0;
    server.page = linksPage('');
    await page.goto(server.origin);
    await expect.poll(() => server.visits.length).toBe(2);
    for (const id of ['pdf', 'out', 'zip']) await page.click(`#${id}`);
    await page.click('#inside'); // a tagged element counts without any option
    expect(await eventsAfter(1)).toEqual([
      { name: 'Signup', props: { plan: 'pro', 'billing-period': 'yearly' } },
    ]);
  });
});

describe('tracker.full.js engagement', () => {
  /** Hides or shows the page as a tab switch does (headless Chromium has no other tab to switch to). */
  const setHidden = (hidden: boolean) =>
    page.evaluate((value) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);

  it('sends each view once, at the next in-page navigation or when hidden, with the view it measured', async () => {
    server.page = `<!doctype html><html><head><script defer src="/tracker.js" data-key="${siteKey}"></script></head>
<body><div style="height: 3000px">tall</div></body></html>`;
    await page.setViewportSize({ width: 800, height: 600 });
    await page.goto(`${server.origin}/first`);
    await expect.poll(() => server.visits.length).toBe(1);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(400);
    await page.evaluate(() => history.pushState(null, '', '/second'));
    await expect.poll(() => server.engagements.length).toBe(1);
    await page.waitForTimeout(300);
    await setHidden(true);
    await expect.poll(() => server.engagements.length).toBe(2);
    // Shown and hidden again: the second view was already reported.
    await setHidden(false);
    await setHidden(true);
    await page.waitForTimeout(300);
    expect(server.engagements.length).toBe(2);

    const views = server.visits.map(
      (visit) => JSON.parse(visit.body) as { eventId: string; pageUrl: string },
    );
    const [first, second] = server.engagements.map((captured) =>
      engagementBodySchema.parse(JSON.parse(captured.body)),
    );
    expect(views.map((view) => view.pageUrl)).toEqual([`${server.origin}/first`, `${server.origin}/second`]);
    expect(first).toMatchObject({
      viewId: views[0]!.eventId,
      pageUrl: `${server.origin}/first`,
      scrollDepth: 100,
    });
    expect(second).toMatchObject({ viewId: views[1]!.eventId, pageUrl: `${server.origin}/second` });
    // The first view was seen for the 400 ms before the navigation (and the poll); the second
    // from the navigation to the page being hidden.
    expect(first!.engagedMs).toBeGreaterThanOrEqual(400);
    expect(first!.engagedMs).toBeLessThan(5_000);
    expect(second!.engagedMs).toBeGreaterThanOrEqual(300);
    // Still scrolled to the bottom: the pushState kept the scroll.
    expect(second!.scrollDepth).toBe(100);
  });
});
