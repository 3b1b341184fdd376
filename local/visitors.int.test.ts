/**
 * The visitor model end to end: scripted visitors' days of views, posted over HTTP in shuffled
 * order with duplicates, give exactly the visitors, visits, bounces, durations, page views and
 * entry and exit pages of an independently computed answer, at every aggregation.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from './stack.js';
import { getVisits, postVisit, readAnswer, startTestStack } from '../test/helpers.js';

const MINUTE = 60_000;
const PAGES = ['/', '/pricing', '/docs', '/blog', '/about'].map((p) => `https://shop.test${p}`);

interface ScriptedView {
  visitor: string;
  time: number;
  page: string;
  eventId: string;
}

/**
 * At least 30 visitors' days. Each visitor's views are given as minutes after the visitor's start:
 * gaps of 30 minutes or more split visits.
 */
function script(start: number): { views: ScriptedView[]; lateJoiner: string } {
  const patterns: number[][] = [
    [0], // one bounce
    [0, 3, 7], // one visit of three views
    [0, 29, 58], // gaps just under 30 minutes: one visit
    [0, 30], // exactly 30 minutes: two bounces
    [0, 10, 45, 46, 120], // three visits
    [0, 0.5, 1, 1.5, 2, 2.5], // a burst
  ];
  const views: ScriptedView[] = [];
  for (let v = 0; v < 36; v++) {
    const visitor = `visitor-${v}`;
    const first = start + ((v * 37) % (17 * 60)) * MINUTE + v * 1000;
    patterns[v % patterns.length]!.forEach((minute, i) => {
      views.push({
        visitor,
        time: first + minute * MINUTE,
        page: PAGES[(v + i * 2) % PAGES.length]!,
        eventId: randomUUID(),
      });
    });
  }
  // Two visits 40 minutes apart, and a view between them that arrives last and joins them.
  const lateJoiner = 'late-joiner';
  const t0 = start + 3 * 60 * MINUTE + 17_000;
  for (const [minute, page] of [
    [0, PAGES[0]],
    [40, PAGES[2]],
    [20, PAGES[1]],
  ] as const)
    views.push({ visitor: lateJoiner, time: t0 + minute * MINUTE, page: page!, eventId: randomUUID() });
  return { views, lateJoiner };
}

// ---- The expected answer, computed here from the definitions, independently of the product. ----
type Agg = 'minute' | 'hour' | 'day' | 'month';
const floorTo = (time: number, agg: Agg) => {
  const d = new Date(time);
  if (agg === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const size = { minute: MINUTE, hour: 60 * MINUTE, day: 1440 * MINUTE }[agg];
  return Math.floor(time / size) * size;
};
const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

interface ExpectedVisit {
  start: number;
  end: number;
  entry: string;
  exit: string;
  views: ScriptedView[];
}

function visitorDays(views: ScriptedView[]) {
  const days = new Map<string, ScriptedView[]>();
  for (const v of views) {
    const key = `${v.visitor}|${utcDay(v.time)}`;
    days.set(key, [...(days.get(key) ?? []), v]);
  }
  return [...days.values()].map((dayViews) => {
    const sorted = [...dayViews].sort((a, b) => a.time - b.time);
    const visits: ExpectedVisit[] = [];
    for (const view of sorted) {
      const last = visits.at(-1);
      if (last && view.time - last.end < 30 * MINUTE) {
        last.end = view.time;
        last.exit = view.page;
        last.views.push(view);
      } else
        visits.push({ start: view.time, end: view.time, entry: view.page, exit: view.page, views: [view] });
    }
    return { views: sorted, visits };
  });
}

function expectedStats(views: ScriptedView[], agg: Agg) {
  const days = visitorDays(views);
  const series = new Map<
    number,
    { visitors: number; visits: number; pageviews: number; bounces: number; duration: number }
  >();
  const at = (t: number) => {
    const b = floorTo(t, agg);
    if (!series.has(b)) series.set(b, { visitors: 0, visits: 0, pageviews: 0, bounces: 0, duration: 0 });
    return series.get(b)!;
  };
  let dailyVisitors = 0;
  for (const day of days) {
    dailyVisitors++;
    // Visitors of a month are the sum of its days; of a minute, hour or day, the distinct visitor-days seen in it.
    const buckets = new Set(day.views.map((v) => floorTo(v.time, agg === 'month' ? 'day' : agg)));
    for (const b of buckets) at(b).visitors++;
    for (const v of day.views) at(v.time).pageviews++;
    for (const visit of day.visits) {
      const s = at(visit.start);
      s.visits++;
      if (visit.views.length === 1) s.bounces++;
      s.duration += Math.round((visit.end - visit.start) / 1000);
    }
  }
  const points = [...series.entries()].sort(([a], [b]) => a - b);
  const sum = (f: (s: { visits: number; pageviews: number; bounces: number; duration: number }) => number) =>
    points.reduce((n, [, s]) => n + f(s), 0);
  const visits = sum((s) => s.visits);
  const pageviews = sum((s) => s.pageviews);
  const bounces = sum((s) => s.bounces);
  return {
    totals: {
      visitors: dailyVisitors,
      visits,
      pageviews,
      bounces,
      bounce_rate: Math.round((100 * bounces) / visits),
      visit_duration: Math.round(sum((s) => s.duration) / visits),
      views_per_visit: Math.round((100 * pageviews) / visits) / 100,
      bots: 0,
    },
    series: points.map(([b, s]) => ({
      timeframe: new Date(b).toISOString(),
      visitors: s.visitors,
      visits: s.visits,
      pageviews: s.pageviews,
      bounces: s.bounces,
      visit_duration: s.visits === 0 ? 0 : Math.round(s.duration / s.visits),
    })),
  };
}

function expectedBreakdown(views: ScriptedView[], property: 'page' | 'entry_page' | 'exit_page') {
  const rows = new Map<string, { value: string; visitors: Set<string>; visits: number; pageviews: number }>();
  const row = (value: string) =>
    rows.get(value) ?? rows.set(value, { value, visitors: new Set(), visits: 0, pageviews: 0 }).get(value)!;
  visitorDays(views).forEach((day, d) => {
    if (property === 'page') {
      for (const v of day.views) {
        row(v.page).pageviews++;
        row(v.page).visitors.add(`${d}`);
      }
      for (const visit of day.visits)
        for (const page of new Set(visit.views.map((v) => v.page))) row(page).visits++;
      return;
    }
    for (const visit of day.visits) {
      const r = row(property === 'entry_page' ? visit.entry : visit.exit);
      r.visits++;
      r.pageviews += visit.views.length;
      r.visitors.add(`${d}`);
    }
  });
  // Page rows carry the engagement, and no scripted view reported one.
  const engagement = property === 'page' ? { time_on_page: null, scroll_depth: null } : {};
  return [...rows.values()]
    .map((r) => ({
      value: r.value,
      visitors: r.visitors.size,
      visits: r.visits,
      pageviews: r.pageviews,
      ...engagement,
    }))
    .sort((a, b) => b.visitors - a.visitors || (a.value < b.value ? -1 : 1));
}

// ---- The test ----
let stack: LocalStack;
let views: ScriptedView[];
let lateJoiner: string;
const start = floorTo(Date.now() - 20 * 60 * MINUTE, 'hour');
const range = {
  dateFrom: new Date(start).toISOString(),
  dateTo: new Date(start + 20 * 60 * MINUTE).toISOString(),
};
const browser = {
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

beforeAll(async () => {
  stack = await startTestStack();
  ({ views, lateJoiner } = script(start));
  // Shuffled, with every fifth view sent twice; the late joiner's middle view is sent last.
  const late = views.at(-1)!;
  const sends = [...views.slice(0, -1), ...views.filter((_, i) => i % 5 === 0)];
  for (let i = sends.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [sends[i], sends[j]] = [sends[j]!, sends[i]!];
  }
  const post = (v: ScriptedView) =>
    postVisit(
      stack.apiUrl,
      {
        key: stack.demo.siteKey,
        pageUrl: v.page,
        visitedAt: new Date(v.time).toISOString(),
        identifier: v.visitor,
        eventId: v.eventId,
      },
      { headers: browser },
    );
  for (let i = 0; i < sends.length; i += 20) {
    const answers = await Promise.all(sends.slice(i, i + 20).map(post));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
  }
  // The late view arrives after the rest has been counted.
  expect(await stack.drain()).toBe(true);
  expect((await post(late)).status).toBe(202);
  expect(await post(late).then((a) => a.status)).toBe(202);
  expect(await stack.drain()).toBe(true);
}, 120_000);
afterAll(() => stack?.stop());

describe('visitors and visits over HTTP', () => {
  it('scripts enough visitor-days, with single-view visits, 30-minute splits and a late joiner', () => {
    const days = visitorDays(views);
    expect(days.length).toBeGreaterThanOrEqual(30);
    expect(days.some((d) => d.visits.some((v) => v.views.length === 1))).toBe(true);
    expect(days.some((d) => d.visits.length >= 3)).toBe(true);
    const joined = days.find((d) => d.views[0]!.visitor === lateJoiner)!;
    expect(joined.visits).toHaveLength(1);
  });

  it.each(['minute', 'hour', 'day', 'month'] as const)(
    'GET /stats by %s equals the expected visitors, visits, bounces, durations and page views',
    async (aggregation) => {
      const body = await readAnswer(stack, '/stats', { aggregation, ...range });
      expect(body).toEqual(expectedStats(views, aggregation));
    },
  );

  it.each(['page', 'entry_page', 'exit_page'] as const)(
    'GET /breakdown by %s equals the expected rows',
    async (property) => {
      const body = await readAnswer(stack, '/breakdown', { property, ...range });
      expect(body).toEqual({ data: expectedBreakdown(views, property) });
    },
  );

  it('keeps GET /visits as it was: page views per page', async () => {
    const { body } = await getVisits(stack.apiUrl, stack.demo.readKey, { aggregation: 'day', ...range });
    const total = Object.values(body.data as Record<string, { visit_count: number }[]>)
      .flat()
      .reduce((n, p) => n + p.visit_count, 0);
    expect(total).toBe(views.length);
  });

  it.each([
    [{ property: 'planet' }, /property must be one of page, entry_page, exit_page, source, referrer/],
    [{ property: 'page', limit: '0' }, /limit must be a whole number from 1 to 1000/],
    [
      { property: 'page', aggregation: 'day' },
      /Unknown query parameter "aggregation"; GET \/breakdown accepts property, dateFrom, dateTo, limit/,
    ],
  ])('answers GET /breakdown %j with 400 naming what is accepted', async (params, message) => {
    const { status, body } = await getVisits(stack.apiUrl, stack.demo.readKey, params, '/breakdown');
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });

  it('limits a breakdown to the top rows', async () => {
    const { body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      { property: 'page', limit: '2', ...range },
      '/breakdown',
    );
    expect(body.data).toEqual(expectedBreakdown(views, 'page').slice(0, 2));
  });

  it('refuses a site key on GET /stats as on GET /visits', async () => {
    const { status } = await getVisits(stack.apiUrl, stack.demo.siteKey, range, '/stats');
    expect(status).toBe(403);
  });
});
