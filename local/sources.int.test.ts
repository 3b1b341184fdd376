/**
 * Where visitors come from and what they use, end to end: views posted over HTTP with real
 * browser User-Agents, crawlers and scripts, referrers, UTM links and time zones, in shuffled
 * order with duplicates. Every breakdown equals the expected answer; bot views appear only in
 * `bots`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitProperties } from '../lambdas/core/domain/visit-properties.js';
import { bots, browsers } from '../test/user-agents.js';
import { getVisits, postVisit, readAnswer, startTestStack } from '../test/helpers.js';
import type { LocalStack } from './stack.js';

const site = 'https://shop.test';

interface Visitor {
  userAgent: string;
  tz?: string;
  /** The views of one visit, a minute apart: page path, and the referrer the browser sent. */
  views: { path: string; referrer?: string }[];
  /** What the visit must be counted under. */
  expected: Record<string, string>;
}

const visitors: Visitor[] = [
  {
    userAgent: browsers.chromeWindows,
    tz: 'Europe/Berlin',
    views: [
      { path: '/', referrer: 'https://www.google.com/search?q=shoes' },
      { path: '/pricing', referrer: `${site}/` },
    ],
    expected: {
      source: 'Google',
      channel: 'Organic Search',
      referrer: 'google.com/search',
      country: 'DE',
      browser: 'Chrome',
      os: 'Windows',
      device: 'desktop',
    },
  },
  {
    userAgent: browsers.safariIphone,
    tz: 'Asia/Kolkata',
    views: [{ path: '/blog/launch', referrer: 'https://news.ycombinator.com/item?id=42' }],
    expected: {
      source: 'Hacker News',
      channel: 'Organic Social',
      referrer: 'news.ycombinator.com/item',
      country: 'IN',
      browser: 'Safari',
      os: 'iOS',
      device: 'mobile',
    },
  },
  {
    userAgent: browsers.firefoxLinux,
    tz: 'America/New_York',
    views: [
      { path: '/blog/launch', referrer: 'https://www.someblog.example/posts/7?ref=feed' },
      { path: '/', referrer: `${site}/blog/launch` },
      { path: '/pricing' },
    ],
    expected: {
      source: 'someblog.example',
      channel: 'Referral',
      referrer: 'someblog.example/posts/7',
      country: 'US',
      browser: 'Firefox',
      os: 'Linux',
      device: 'desktop',
    },
  },
  {
    userAgent: browsers.edgeWindows,
    tz: 'Europe/Paris',
    views: [
      {
        path: '/?utm_source=newsletter&utm_medium=email&utm_campaign=launch&utm_term=shoes&utm_content=header',
      },
    ],
    expected: {
      source: 'newsletter',
      channel: 'Email',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'launch',
      utm_term: 'shoes',
      utm_content: 'header',
      country: 'FR',
      browser: 'Edge',
      os: 'Windows',
      device: 'desktop',
    },
  },
  {
    userAgent: browsers.chromeAndroid,
    tz: 'Asia/Tokyo',
    views: [{ path: '/about', referrer: `${site}/` }, { path: '/' }],
    expected: {
      source: 'Direct / None',
      channel: 'Direct',
      country: 'JP',
      browser: 'Chrome',
      os: 'Android',
      device: 'mobile',
    },
  },
  {
    userAgent: browsers.safariIpad,
    tz: 'Not/AZone',
    views: [{ path: '/' }],
    expected: { source: 'Direct / None', channel: 'Direct', browser: 'Safari', os: 'iOS', device: 'tablet' },
  },
  ...namedSources(),
];

/**
 * Issue 23: referrers and campaign tags of one source, in any case or short form, are one row;
 * webmail, apps and AI assistants are named; each visit has its channel. Chrome on Windows in
 * Germany, one view each: only the source varies.
 */
function namedSources(): Visitor[] {
  const desktop = { country: 'DE', browser: 'Chrome', os: 'Windows', device: 'desktop' };
  const visit = (view: { path?: string; referrer?: string }, expected: Record<string, string>): Visitor => ({
    userAgent: browsers.chromeWindows,
    tz: 'Europe/Berlin',
    views: [{ path: view.path ?? '/', ...(view.referrer ? { referrer: view.referrer } : {}) }],
    expected: { ...desktop, ...expected },
  });
  return [
    visit(
      { referrer: 'https://l.instagram.com/?u=x' },
      { source: 'Instagram', referrer: 'l.instagram.com', channel: 'Organic Social' },
    ),
    visit(
      { path: '/?utm_source=ig&utm_medium=social' },
      { source: 'Instagram', utm_source: 'ig', utm_medium: 'social', channel: 'Organic Social' },
    ),
    visit({ path: '/?utm_source=FB' }, { source: 'Facebook', utm_source: 'FB', channel: 'Organic Social' }),
    visit(
      { referrer: 'https://m.facebook.com/' },
      { source: 'Facebook', referrer: 'm.facebook.com', channel: 'Organic Social' },
    ),
    visit(
      { referrer: 'android-app://com.google.android.gm/' },
      { source: 'Gmail', referrer: 'android-app://com.google.android.gm', channel: 'Email' },
    ),
    visit(
      { referrer: 'https://mail.google.com/mail/u/0/' },
      { source: 'Gmail', referrer: 'mail.google.com/mail/u/0', channel: 'Email' },
    ),
    visit(
      { referrer: 'https://chatgpt.com/' },
      { source: 'ChatGPT', referrer: 'chatgpt.com', channel: 'AI Assistants' },
    ),
    visit(
      { path: '/?utm_source=GOOGLE&utm_medium=cpc', referrer: 'https://www.google.de/' },
      {
        source: 'Google',
        referrer: 'google.de',
        utm_source: 'GOOGLE',
        utm_medium: 'cpc',
        channel: 'Paid Search',
      },
    ),
    visit(
      { referrer: 'https://m.youtube.com/watch?v=x' },
      { source: 'YouTube', referrer: 'm.youtube.com/watch', channel: 'Organic Video' },
    ),
  ];
}

const botUserAgents = [
  bots.googlebot,
  bots.curl,
  bots.lighthouse,
  bots.lighthousePlain,
  bots.empty,
  bots.node,
  bots.headlessChrome,
];

/** Every visit property: each is checked as a breakdown and as a filter. */
const properties = visitProperties;

/** Each visitor above makes one visit; the expected rows follow from their expected values. */
function expectedRows(property: (typeof properties)[number], among: Visitor[] = visitors) {
  const rows = new Map<string, { value: string; visitors: number; visits: number; pageviews: number }>();
  for (const v of among) {
    const value = v.expected[property];
    if (value === undefined) continue;
    const row = rows.get(value) ?? { value, visitors: 0, visits: 0, pageviews: 0 };
    row.visitors++;
    row.visits++;
    row.pageviews += v.views.length;
    rows.set(value, row);
  }
  return sortRows([...rows.values()]);
}

const sortRows = <Row extends { value: string; visitors: number }>(rows: Row[]) =>
  rows.sort((a, b) => b.visitors - a.visitors || (a.value < b.value ? -1 : 1));

/** The page rows of some visitors' visits: each viewed page, by the visitors (one visit each) that viewed it. */
function expectedPageRows(among: Visitor[]) {
  const rows = new Map<string, { value: string; visitors: number; visits: number; pageviews: number }>();
  for (const v of among) {
    const pages = v.views.map((view) => site + view.path.split('?')[0]);
    for (const page of new Set(pages)) {
      const row = rows.get(page) ?? { value: page, visitors: 0, visits: 0, pageviews: 0 };
      row.visitors++;
      row.visits++;
      row.pageviews += pages.filter((p) => p === page).length;
      rows.set(page, row);
    }
  }
  return sortRows([...rows.values()]);
}

let stack: LocalStack;
const start = Date.now() - 2 * 3_600_000;
const range = {
  dateFrom: new Date(start - 86_400_000).toISOString(),
  dateTo: new Date(Date.now() + 60_000).toISOString(),
};

beforeAll(async () => {
  stack = await startTestStack();
  const posts: { body: Record<string, unknown>; userAgent: string }[] = [];
  visitors.forEach((v, i) => {
    v.views.forEach((view, j) => {
      posts.push({
        userAgent: v.userAgent,
        body: {
          key: stack.demo.siteKey,
          pageUrl: site + view.path,
          visitedAt: new Date(start + i * 10_000 + j * 60_000).toISOString(),
          identifier: `visitor-${i}`,
          eventId: randomUUID(),
          ...(view.referrer ? { referrer: view.referrer } : {}),
          ...(v.tz ? { tz: v.tz } : {}),
        },
      });
    });
  });
  botUserAgents.forEach(
    (userAgent, i) =>
      void posts.push({
        userAgent,
        body: {
          key: stack.demo.siteKey,
          pageUrl: `${site}/`,
          eventId: randomUUID(),
          visitedAt: new Date(start + i * 1000).toISOString(),
        },
      }),
  );
  // Shuffled, and every third post sent twice.
  const sends = [...posts, ...posts.filter((_, i) => i % 3 === 0)].sort(() => Math.random() - 0.5);
  for (const send of sends) {
    const { status } = await postVisit(stack.apiUrl, send.body, {
      headers: { 'user-agent': send.userAgent },
    });
    expect(status).toBe(202);
  }
  expect(await stack.drain()).toBe(true);
}, 120_000);
afterAll(() => stack?.stop());

describe('sources, campaigns, countries and devices over HTTP', () => {
  it.each(properties)('GET /breakdown?property=%s equals the expected rows', async (property) => {
    const body = await readAnswer(stack, '/breakdown', { property, ...range });
    expect(body.data).toEqual(expectedRows(property));
  });

  it.each(properties)(
    'GET /stats?filter=%s:<value> gives the top row of only the visits with that value, at hour and day',
    async (property) => {
      for (const row of expectedRows(property)) {
        const matching = visitors.filter((v) => v.expected[property] === row.value);
        const pageviews = matching.reduce((n, v) => n + v.views.length, 0);
        const bounces = matching.filter((v) => v.views.length === 1).length;
        const duration = matching.reduce((n, v) => n + (v.views.length - 1) * 60, 0);
        const expected = {
          visitors: matching.length,
          visits: matching.length,
          pageviews,
          bounces,
          bounce_rate: Math.round((100 * bounces) / matching.length),
          visit_duration: Math.round(duration / matching.length),
          views_per_visit: Math.round((100 * pageviews) / matching.length) / 100,
          bots: botUserAgents.length,
        };
        for (const aggregation of ['hour', 'day']) {
          const body = await readAnswer(stack, '/stats', {
            aggregation,
            filter: `${property}:${row.value}`,
            ...range,
          });
          expect(body.totals).toEqual(expected);
        }
      }
    },
  );

  it('filters by page: the visits that viewed it, with all their page views', async () => {
    const page = `${site}/pricing`;
    const matching = visitors.filter((v) => v.views.some((view) => site + view.path.split('?')[0] === page));
    const { body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { aggregation: 'hour', filter: `page:${page}`, ...range },
      '/stats',
    );
    expect(body.totals).toMatchObject({
      visitors: matching.length,
      visits: matching.length,
      // As under every filter: the page views of the kept visits (each visitor here has one visit).
      pageviews: matching.reduce((n, v) => n + v.views.length, 0),
      bounces: 0,
    });
  });

  it.each([
    [
      { aggregation: 'minute', filter: 'source:Google' },
      /filter is answered at hour, day and month aggregation/,
    ],
    [
      { aggregation: 'day', filter: 'planet:Mars' },
      /filter must be <property>:<value> with a property among source, referrer/,
    ],
    [{ aggregation: 'day', filter: 'source:' }, /filter must be <property>:<value>/],
  ])('answers GET /stats %j with 400 naming what is accepted', async (params, message) => {
    const { status, body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { ...params, ...range },
      '/stats',
    );
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });

  it('answers GET /breakdown with a filter: the rows of only the visits with that value, for every value', async () => {
    for (const filterProperty of properties) {
      for (const { value } of expectedRows(filterProperty)) {
        const matching = visitors.filter((v) => v.expected[filterProperty] === value);
        const filter = `${filterProperty}:${value}`;
        const breakdowns = ['source', 'channel', 'country', 'utm_campaign', 'page'] as const;
        // One filter's breakdowns at once: about 60 filters x 5 breakdowns in all.
        const answers = await Promise.all(
          breakdowns.map((property) =>
            getVisits(stack.apiUrl, stack.demo.readKey, { property, filter, ...range }, '/breakdown'),
          ),
        );
        answers.forEach(({ status, body }, i) => {
          const property = breakdowns[i]!;
          expect(status, JSON.stringify(body)).toBe(200);
          expect(body.data, `${property} with ${filter}`).toEqual(
            property === 'page' ? expectedPageRows(matching) : expectedRows(property, matching),
          );
        });
      }
    }
  }, 180_000);

  it('answers GET /breakdown filtered by a page: the sources of the visits that viewed it', async () => {
    const page = `${site}/pricing`;
    const matching = visitors.filter((v) => v.views.some((view) => site + view.path.split('?')[0] === page));
    const { body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { property: 'source', filter: `page:${page}`, ...range },
      '/breakdown',
    );
    expect(body.data).toEqual(expectedRows('source', matching));
    expect(body.data.length).toBeGreaterThan(0);
  });

  it('answers a filtered breakdown older than the visitor-days from the archive, once the archiver has run', async () => {
    const old = {
      dateFrom: new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10),
      dateTo: range.dateTo,
    };
    const ask = () =>
      getVisits(
        stack.apiUrl,
        stack.demo.readKey,
        { property: 'source', filter: 'country!:ZZ', ...old },
        '/breakdown',
      );
    // Before the first run the archive holds nothing: days past the visitor-days are refused, and why.
    const before = await ask();
    expect(before.status).toBe(400);
    expect(before.body.error).toMatch(
      /^Days before \d{4}-\d{2}-\d{2} are answered from the archive, which holds days up to \(none yet\): the archiver has not written them yet\./,
    );
    await stack.archive();
    const after = await ask();
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    expect(after.body.data).toEqual(expectedRows('source'));
  });

  it('counts bot views once each, only as bots', async () => {
    const { body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { aggregation: 'day', ...range },
      '/stats',
    );
    const humanViews = visitors.reduce((n, v) => n + v.views.length, 0);
    expect(body.totals).toMatchObject({
      bots: botUserAgents.length,
      pageviews: humanViews,
      visitors: visitors.length,
      visits: visitors.length,
    });
    const pages = await getVisits(stack.apiUrl, stack.demo.readKey, { aggregation: 'day', ...range });
    const counted = Object.values(pages.body.data as Record<string, { visit_count: number }[]>)
      .flat()
      .reduce((n, p) => n + p.visit_count, 0);
    expect(counted).toBe(humanViews);
  });
});
