/**
 * tracker.js in real Chromium (playwright-core + Debian's chromium): a capture server serves a
 * test page with the built tracker and records the POST /visits bodies it sends.
 */
import { createServer } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countryOf } from '../lambdas/core/domain/country.js';
import { eventBodySchema, ingestBodySchema } from '../lambdas/core/domain/queued-view.js';
import { buildTracker } from './build.js';
import type { EventBody, VisitBody } from './src/lib/body.js';
import { type CaptureServer, startCaptureServer } from './test/capture-server.js';
import { launchChromium } from '../test/chromium.js';

const siteKey = 'site-key-for-tests';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let browser: Browser;
let server: CaptureServer;
/** A second origin, for the cases where the script or the API lives elsewhere. */
let otherServer: CaptureServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  const { code } = await buildTracker();
  [browser, server, otherServer] = await Promise.all([
    launchChromium(),
    startCaptureServer(code),
    startCaptureServer(code),
  ]);
});

afterAll(async () => {
  await Promise.all([browser?.close(), server?.close(), otherServer?.close()]);
});

beforeEach(async () => {
  server.visits.length = 0;
  server.events.length = 0;
  otherServer.visits.length = 0;
  otherServer.events.length = 0;
  // A visitor in India: the tracker sends the zone, from which ingest derives the country.
  context = await browser.newContext({ timezoneId: 'Asia/Kolkata' });
  page = await context.newPage();
});

afterEach(async () => {
  await context.close();
});

/** A test page with the tracker tag; `attributes` are added to the tag as written. */
function testPage(attributes = `data-key="${siteKey}"`, src = '/tracker.js'): string {
  return `<!doctype html><html><head><title>test</title>
<script defer src="${src}" ${attributes}></script></head>
<body><a id="next" href="/next">next</a>
<button id="count" onclick="this.textContent = Number(this.textContent) + 1">0</button></body></html>`;
}

function bodies(from: CaptureServer = server): VisitBody[] {
  return from.visits.map((visit) => JSON.parse(visit.body) as VisitBody);
}

/**
 * Waits for the visits sent to `from` to be exactly these page URLs. Each scenario ends with a
 * navigation that must count, so a view wrongly sent before it has arrived by then; the short
 * settle catches one sent with it. Compared as sorted lists: beacons travel on separate
 * connections, so two sent a few milliseconds apart may arrive in either order.
 */
async function expectPageUrls(paths: string[], from: CaptureServer = server): Promise<void> {
  const expected = paths.map((path) => from.origin + path);
  await expect.poll(() => from.visits.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(expected.length);
  await new Promise((resolve) => setTimeout(resolve, 250));
  expect(
    bodies(from)
      .map((visit) => visit.pageUrl)
      .sort(),
  ).toEqual(expected.sort());
}

function eventBodies(from: CaptureServer = server): EventBody[] {
  return from.events.map((event) => JSON.parse(event.body) as EventBody);
}

/** The very schema ingest validates POST /events with. */
function isValidEventBody(body: EventBody): boolean {
  return eventBodySchema.safeParse(body).success;
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('on load', () => {
  it('sends one visit with the wire format as a text/plain body', async () => {
    server.page = testPage();

    await page.goto(`${server.origin}/pricing?plan=pro`);

    await expectPageUrls(['/pricing?plan=pro']);
    const [visit] = bodies();
    expect(Object.keys(visit!).sort()).toEqual(['eventId', 'key', 'pageUrl', 'tz']);
    expect(visit).toMatchObject({ key: siteKey, pageUrl: `${server.origin}/pricing?plan=pro` });
    // Chromium may name the zone by its old alias (Asia/Calcutta); either maps to India.
    expect(visit!.tz).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
    expect(countryOf({ tz: visit!.tz })).toBe('IN');
    expect(visit!.eventId).toMatch(uuid);
    expect(server.visits[0]!.contentType).toMatch(/^text\/plain/);
    // The very schema the ingest Lambda validates with.
    expect(ingestBodySchema.safeParse(visit).success).toBe(true);
  });

  it('sends the referrer when the visitor came from another page', async () => {
    server.page = testPage();
    await page.goto(`${server.origin}/home`);

    await page.click('#next');

    await expectPageUrls(['/home', '/next']);
    const next = bodies().find((visit) => visit.pageUrl === `${server.origin}/next`);
    expect(next!.referrer).toBe(`${server.origin}/home`);
    expect(ingestBodySchema.safeParse(next).success).toBe(true);
  });

  it('gives every view its own eventId', async () => {
    server.page = testPage();
    await page.goto(`${server.origin}/a`);
    await page.evaluate(() => history.pushState({}, '', '/b'));

    await expectPageUrls(['/a', '/b']);
    const [first, second] = bodies();
    expect(first!.eventId).not.toBe(second!.eventId);
  });

  it('sends data-identifier with every view', async () => {
    server.page = testPage(`data-key="${siteKey}" data-identifier="user-42"`);

    await page.goto(`${server.origin}/account`);
    await page.evaluate(() => history.pushState({}, '', '/account/billing'));

    await expectPageUrls(['/account', '/account/billing']);
    expect(bodies().map((visit) => visit.identifier)).toEqual(['user-42', 'user-42']);
    expect(bodies().every((visit) => ingestBodySchema.safeParse(visit).success)).toBe(true);
  });

  it('still counts the view, without tz, when the page has broken Intl', async () => {
    server.page = testPage().replace(
      '<script defer',
      '<script>Intl.DateTimeFormat = () => { throw new Error("broken"); };</script><script defer',
    );

    await page.goto(`${server.origin}/no-intl`);

    await expectPageUrls(['/no-intl']);
    const [visit] = bodies();
    expect(Object.keys(visit!).sort()).toEqual(['eventId', 'key', 'pageUrl']);
    expect(ingestBodySchema.safeParse(visit).success).toBe(true);
  });

  it('leaves the #fragment out of the counted URL without data-hash', async () => {
    server.page = testPage();

    await page.goto(`${server.origin}/docs#install`);

    await expectPageUrls(['/docs']);
  });
});

describe('in-page navigation of a single-page app', () => {
  beforeEach(async () => {
    server.page = testPage();
    await page.goto(`${server.origin}/app`);
    await expectPageUrls(['/app']);
  });

  it('counts a pushState to a new URL once', async () => {
    await page.evaluate(() => history.pushState({}, '', '/app/reports'));

    await expectPageUrls(['/app', '/app/reports']);
  });

  it('does not count a pushState or replaceState to the URL counted last', async () => {
    await page.evaluate(() => {
      history.pushState({ step: 1 }, '', '/app');
      history.replaceState({ scroll: 200 }, '', '/app');
      history.pushState({}, '', '/app/marker');
    });

    await expectPageUrls(['/app', '/app/marker']);
  });

  it('counts a replaceState to a new URL', async () => {
    await page.evaluate(() => history.replaceState({}, '', '/app/settings'));

    await expectPageUrls(['/app', '/app/settings']);
  });

  it('counts going back (popstate) to a different URL', async () => {
    await page.evaluate(() => history.pushState({}, '', '/app/reports'));
    await expectPageUrls(['/app', '/app/reports']);

    await page.goBack();

    await expectPageUrls(['/app', '/app/reports', '/app']);
  });

  it('still returns what the app expects from the wrapped history methods', async () => {
    const state = await page.evaluate(() => {
      history.pushState({ view: 'reports' }, '', '/app/reports');
      return { state: history.state, length: history.pushState.length, path: location.pathname };
    });

    expect(state).toEqual({ state: { view: 'reports' }, length: 2, path: '/app/reports' });
  });

  it('does not count a hash change without data-hash', async () => {
    await page.evaluate(() => {
      location.hash = 'section-2';
    });
    await page.waitForFunction(() => location.hash === '#section-2');
    await page.evaluate(() => history.pushState({}, '', '/app/marker'));

    await expectPageUrls(['/app', '/app/marker']);
  });
});

describe('with data-hash', () => {
  it('counts each hash change once, with the fragment in the URL', async () => {
    server.page = testPage(`data-key="${siteKey}" data-hash`);
    await page.goto(`${server.origin}/app#/home`);

    // A fragment navigation fires popstate and hashchange; it must count once.
    await page.evaluate(() => {
      location.hash = '/reports';
    });

    await expectPageUrls(['/app#/home', '/app#/reports']);
  });
});

describe('window.pv, for manual page views', () => {
  it('counts the current URL again, and any other URL, resolved against the page', async () => {
    server.page = testPage(`data-key="${siteKey}" data-identifier="from-tag"`);
    await page.goto(`${server.origin}/checkout`);
    await expectPageUrls(['/checkout']);

    await page.evaluate(() => {
      window.pv();
      window.pv('step-2', { identifier: 'user-7' });
      window.pv('/step-3', { identifier: '' });
    });

    // Sent in one burst, the beacons may arrive in any order.
    await expect.poll(() => server.visits.length).toBe(4);
    const views = bodies().map((visit) => `${visit.pageUrl.slice(server.origin.length)} ${visit.identifier}`);
    expect(views.sort()).toEqual([
      '/checkout from-tag',
      '/checkout from-tag',
      '/step-2 user-7',
      '/step-3 from-tag',
    ]);
  });
});

describe('window.pv.event, for custom events (goals)', () => {
  it('sends one POST /events with the page view body plus the name, and no page view', async () => {
    server.page = testPage();
    await page.goto(`${server.origin}/signup?plan=pro`);
    await expectPageUrls(['/signup?plan=pro']);

    await page.evaluate(() => window.pv.event('Signup'));

    await expect.poll(() => server.events.length).toBe(1);
    const [event] = eventBodies();
    expect(Object.keys(event!).sort()).toEqual(['eventId', 'key', 'name', 'pageUrl', 'tz']);
    expect(event).toMatchObject({
      key: siteKey,
      name: 'Signup',
      pageUrl: `${server.origin}/signup?plan=pro`,
    });
    expect(event!.eventId).toMatch(uuid);
    expect(event!.eventId).not.toBe(bodies()[0]!.eventId);
    expect(server.events[0]!.contentType).toMatch(/^text\/plain/);
    expect(isValidEventBody(event!)).toBe(true);
    // An event is not a page view: the next view arrives alone after it.
    await page.evaluate(() => history.pushState({}, '', '/marker'));
    await expectPageUrls(['/signup?plan=pro', '/marker']);
  });

  it('gives every event its own eventId and sends it as the visitor of the last view', async () => {
    server.page = testPage(`data-key="${siteKey}" data-identifier="from-tag"`);
    await page.goto(`${server.origin}/checkout`);
    await expectPageUrls(['/checkout']);

    await page.evaluate(() => {
      window.pv.event('Add to cart');
      window.pv('/checkout/paid', { identifier: 'user-7' });
      window.pv.event('Purchase');
    });

    await expect.poll(() => server.events.length).toBe(2);
    const events = eventBodies().map(
      (event) => `${event.name} ${event.pageUrl.slice(server.origin.length)} ${event.identifier}`,
    );
    expect(events.sort()).toEqual(['Add to cart /checkout from-tag', 'Purchase /checkout/paid user-7']);
    const [first, second] = eventBodies();
    expect(first!.eventId).not.toBe(second!.eventId);
    expect(eventBodies().every(isValidEventBody)).toBe(true);
  });

  it('sends events pushed to window.pvq before the tracker ran, and each one pushed after', async () => {
    // The tag is deferred: this inline script runs first, as on a thank-you page.
    server.page = testPage().replace(
      '<script defer',
      `<script>(window.pvq = window.pvq || []).push('Signup'); window.pvq.push('Newsletter');</script><script defer`,
    );
    await page.goto(`${server.origin}/thanks`);

    await expect.poll(() => server.events.length).toBe(2);
    await page.evaluate(() => (window.pvq = window.pvq || []).push('Shared'));

    await expect.poll(() => server.events.length).toBe(3);
    expect(
      eventBodies()
        .map((event) => event.name)
        .sort(),
    ).toEqual(['Newsletter', 'Shared', 'Signup']);
    expect(
      eventBodies().every((event) => event.pageUrl === `${server.origin}/thanks` && isValidEventBody(event)),
    ).toBe(true);
    await expectPageUrls(['/thanks']);
  });

  it('sends to data-api like page views', async () => {
    server.page = testPage(`data-key="${siteKey}" data-api="${otherServer.origin}/"`);
    await page.goto(`${server.origin}/landing`);
    await expect.poll(() => otherServer.visits.length).toBe(1);

    await page.evaluate(() => window.pv.event('Signup'));

    await expect.poll(() => otherServer.events.length).toBe(1);
    expect(eventBodies(otherServer)[0]).toMatchObject({
      name: 'Signup',
      pageUrl: `${server.origin}/landing`,
    });
    expect(server.events).toEqual([]);
  });
});

describe('where visits go', () => {
  it('sends to the origin the script came from when data-api is not set', async () => {
    server.page = testPage(`data-key="${siteKey}"`, `${otherServer.origin}/tracker.js`);

    await page.goto(`${server.origin}/landing`);

    await expect.poll(() => otherServer.visits.length).toBe(1);
    expect(bodies(otherServer)[0]!.pageUrl).toBe(`${server.origin}/landing`);
    expect(server.visits).toEqual([]);
  });

  it('sends to data-api, with or without a trailing slash', async () => {
    server.page = testPage(`data-key="${siteKey}" data-api="${otherServer.origin}/"`);

    await page.goto(`${server.origin}/landing`);

    await expect.poll(() => otherServer.visits.length).toBe(1);
    expect(bodies(otherServer)[0]!.pageUrl).toBe(`${server.origin}/landing`);
    expect(server.visits).toEqual([]);
  });

  it('falls back to fetch with a text/plain body where sendBeacon is missing', async () => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'sendBeacon', { value: undefined });
    });
    server.page = testPage();

    await page.goto(`${server.origin}/no-beacon`);

    await expectPageUrls(['/no-beacon']);
    expect(server.visits[0]!.contentType).toMatch(/^text\/plain/);
  });
});

describe('sends nothing', () => {
  it('from a page opened from disk (file:)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracker-file-'));
    try {
      const file = join(dir, 'page.html');
      await writeFile(file, testPage(`data-key="${siteKey}"`, `${server.origin}/tracker.js`));
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => document.readyState === 'complete');

      // Then a real page on the same server: by the time its view arrives, one from the file
      // page would have too.
      server.page = testPage();
      await page.goto(`${server.origin}/after-file`);

      await expectPageUrls(['/after-file']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('with the API down', () => {
  // Chromium itself logs every failed request as a console error; that line is the browser's,
  // not an error thrown by the tracker.
  const browserNetworkLog = /^Failed to load resource: net::ERR_CONNECTION_REFUSED$/;

  describe.each([
    { transport: 'sendBeacon', disableBeacon: false },
    { transport: 'fetch', disableBeacon: true },
  ])('and sending with $transport', ({ disableBeacon }) => {
    it('keeps the page working and throws nothing into it', async () => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !browserNetworkLog.test(message.text()))
          errors.push(`console: ${message.text()}`);
      });
      if (disableBeacon) {
        await page.addInitScript(() => {
          Object.defineProperty(Navigator.prototype, 'sendBeacon', { value: undefined });
        });
      }
      server.page = testPage(`data-key="${siteKey}" data-api="http://127.0.0.1:${await closedPort()}"`);

      await page.goto(`${server.origin}/offline`);
      await page.evaluate(() => {
        history.pushState({}, '', '/offline/next');
        window.pv('/offline/manual');
        window.pv.event('Signup');
        // A value JSON cannot write: the tracker must swallow the TypeError, not the page.
        window.pv.event(BigInt(1) as unknown as string);
      });
      await page.click('#count');
      await page.click('#count');
      // Time for the refused requests to fail and any rejection to surface.
      await page.waitForTimeout(500);

      expect(await page.textContent('#count')).toBe('2');
      expect(errors).toEqual([]);
    });
  });
});
