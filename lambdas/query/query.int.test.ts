/**
 * GET /visits on the local stack: counts against an independently computed ground truth, org
 * isolation, validation, and the cost of a query in items read.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { getVisits, startTestStack } from '../../test/helpers.js';
import { consumeBatch } from '../consume/consume.js';
import { createOrg } from '../core/store/orgs.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** Bucket starts computed from the ISO string itself, independently of the code under test. */
const truncate = {
  minute: (iso: string) => `${iso.slice(0, 16)}:00.000Z`,
  hour: (iso: string) => `${iso.slice(0, 13)}:00:00.000Z`,
  day: (iso: string) => `${iso.slice(0, 10)}T00:00:00.000Z`,
  month: (iso: string) => `${iso.slice(0, 7)}-01T00:00:00.000Z`,
};
type Aggregation = keyof typeof truncate;

/** Writes visits through the real consumer (ingest refuses visits older than a day). */
async function seed(orgId: string, visits: { pageUrl: string; visitedAt: string }[]): Promise<void> {
  const records = visits.map((v) => ({
    messageId: randomUUID(),
    body: JSON.stringify({ orgId, eventId: randomUUID(), visitorId: randomUUID().slice(0, 8), ...v }),
  }));
  for (let i = 0; i < records.length; i += 500) {
    const outcome = await consumeBatch(records.slice(i, i + 500), {
      doc: stack.doc,
      countersTable: stack.resources.countersTable,
      visitsTable: stack.resources.visitsTable,
    });
    expect(outcome.failedMessageIds).toEqual([]);
  }
}

function groundTruth(
  visits: { pageUrl: string; visitedAt: string }[],
  aggregation: Aggregation,
  from: string,
  to: string,
) {
  const first = truncate[aggregation](from);
  const data: Record<string, Record<string, number>> = {};
  for (const v of visits) {
    const timeframe = truncate[aggregation](v.visitedAt);
    // A bucket counts whole when it overlaps [from, to): it starts before `to` and at or after the first bucket.
    if (timeframe < first || timeframe >= to) continue;
    data[v.pageUrl] ??= {};
    data[v.pageUrl]![timeframe] = (data[v.pageUrl]![timeframe] ?? 0) + 1;
  }
  return Object.fromEntries(
    Object.entries(data).map(([page, buckets]) => [
      page,
      Object.entries(buckets)
        .sort()
        .map(([timeframe, visit_count]) => ({ timeframe, visit_count })),
    ]),
  );
}

/** A deterministic pseudo-random spread of visits over pages and time. */
function generateVisits(count: number, pages: string[], startMs: number, spanMs: number, seed = 7) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () => ({
    pageUrl: pages[Math.floor(next() * pages.length)]!,
    visitedAt: new Date(startMs + Math.floor(next() * spanMs)).toISOString(),
  }));
}

describe('GET /visits returns exactly the ground truth', () => {
  const pages = [
    'https://q.example/',
    'https://q.example/pricing',
    'https://q.example/support',
    'https://q.example/blog',
  ];
  // Four days across the end of October 2026, so month queries cross a month boundary.
  const visits = generateVisits(1500, pages, Date.UTC(2026, 9, 29, 0, 0), 4 * 86_400_000);
  let org: { orgId: string; readKey: string };

  beforeAll(async () => {
    org = await createOrg({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, { name: 'Query' });
    await seed(org.orgId, visits);
  });

  it.each([
    ['hour', '2026-10-29T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
    ['hour', '2026-10-30T05:30:00.000Z', '2026-10-31T07:15:00.000Z'],
    ['day', '2026-10-01T00:00:00.000Z', '2026-11-30T00:00:00.000Z'],
    ['day', '2026-10-30T12:00:00.000Z', '2026-11-01T12:00:00.000Z'],
    ['month', '2026-10-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['month', '2026-10-31T00:00:00.000Z', '2026-11-01T00:00:01.000Z'],
  ] as const)('%s from %s to %s', async (aggregation, dateFrom, dateTo) => {
    const { status, body } = await getVisits(stack.apiUrl, org.readKey, { aggregation, dateFrom, dateTo });

    expect(status).toBe(200);
    expect(body).toEqual({ data: groundTruth(visits, aggregation, dateFrom, dateTo) });
  });

  // Minute counters expire after 14 days (TTL), so minute queries are checked on recent visits below.

  it('a month query across the boundary has one bucket per calendar month, summing to every visit', async () => {
    const { body } = await getVisits(stack.apiUrl, org.readKey, {
      aggregation: 'month',
      dateFrom: '2026-10-01',
      dateTo: '2026-12-01',
    });

    const timeframes = new Set(
      Object.values(body.data as Record<string, { timeframe: string }[]>)
        .flat()
        .map((r) => r.timeframe),
    );
    const total = Object.values(body.data as Record<string, { visit_count: number }[]>)
      .flat()
      .reduce((n, r) => n + r.visit_count, 0);
    expect([...timeframes].sort()).toEqual(['2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z']);
    expect(total).toBe(visits.length);
  });

  it('filters to one page with pageUrl', async () => {
    const params = {
      aggregation: 'day',
      dateFrom: '2026-10-29',
      dateTo: '2026-11-03',
      pageUrl: 'https://q.example/pricing',
    };
    const { body } = await getVisits(stack.apiUrl, org.readKey, params);

    const all = groundTruth(visits, 'day', '2026-10-29T00:00:00.000Z', '2026-11-03T00:00:00.000Z');
    expect(body).toEqual({ data: { 'https://q.example/pricing': all['https://q.example/pricing'] } });
  });

  it('lets a past range be cached and keeps a range that includes now fresh', async () => {
    const past = await getVisits(stack.apiUrl, org.readKey, {
      aggregation: 'day',
      dateFrom: '2026-10-29',
      dateTo: '2026-11-03',
    });
    const recent = await getVisits(stack.apiUrl, org.readKey, { aggregation: 'hour' });

    expect(past.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(recent.headers.get('cache-control')).toBe('no-store');
  });
});

describe('GET /visits by minute, on the last two days', () => {
  const pages = ['https://m.example/', 'https://m.example/pricing', 'https://m.example/support'];
  // The most recent UTC midnight: a minute query across it reads two day partitions.
  const midnight = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const visits = generateVisits(900, pages, midnight - 86_400_000, 2 * 86_400_000, 11);
  const iso = (offsetMs: number) => new Date(midnight + offsetMs).toISOString();
  let org: { orgId: string; readKey: string };

  beforeAll(async () => {
    org = await createOrg({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, { name: 'Minutes' });
    await seed(org.orgId, visits);
  });

  it.each([
    ['six and a half hours before midnight', -10 * 3_600_000, -3.5 * 3_600_000],
    ['across midnight, from mid-minute', -3_580_000, 30 * 60_000],
    ['the whole last 24 hours', -86_400_000, 0],
  ])('%s', async (_name, from, to) => {
    const { status, body } = await getVisits(stack.apiUrl, org.readKey, {
      aggregation: 'minute',
      dateFrom: iso(from),
      dateTo: iso(to),
    });

    expect(status).toBe(200);
    expect(body).toEqual({ data: groundTruth(visits, 'minute', iso(from), iso(to)) });
  });
});

describe('GET /visits keys', () => {
  it('shows an org only its own counts', async () => {
    const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
    const [a, b] = [await createOrg(deps, { name: 'A' }), await createOrg(deps, { name: 'B' })];
    await seed(a.orgId, [{ pageUrl: 'https://a.example/', visitedAt: '2026-10-30T10:00:00.000Z' }]);
    await seed(b.orgId, [{ pageUrl: 'https://b.example/', visitedAt: '2026-10-30T10:00:00.000Z' }]);
    const range = { aggregation: 'day', dateFrom: '2026-10-30', dateTo: '2026-10-31' };

    const asA = await getVisits(stack.apiUrl, a.readKey, range);
    const asB = await getVisits(stack.apiUrl, b.readKey, range);

    expect(Object.keys(asA.body.data)).toEqual(['https://a.example/']);
    expect(Object.keys(asB.body.data)).toEqual(['https://b.example/']);
  });

  it.each([
    ['no key', undefined, 401, /read key is required/],
    ['an unknown key', 'pvr_unknown', 401, /Unknown read key/],
    ['a site key', 'SITE', 403, /site key, which can only send visits/],
  ])('refuses %s', async (_name, key, status, message) => {
    const { status: actual, body } = await getVisits(
      stack.apiUrl,
      key === 'SITE' ? stack.demo.siteKey : key,
      { aggregation: 'hour' },
    );
    expect(actual).toBe(status);
    expect(body.error).toMatch(message);
  });

  it('accepts the key in the x-api-key header too', async () => {
    const response = await fetch(`${stack.apiUrl}/visits?aggregation=hour`, {
      headers: { 'x-api-key': stack.demo.readKey },
    });
    expect(response.status).toBe(200);
  });
});

describe('GET /visits parameters', () => {
  it.each([
    [{ aggregation: 'week' }, /aggregation must be one of minute, hour, day, month/],
    [{ dateFrom: 'last tuesday' }, /dateFrom must be an ISO-8601 date/],
    [{ dateTo: '2026-02-30' }, /dateTo must be an ISO-8601 date/],
    [{ dateFrom: '2026-10-02', dateTo: '2026-10-01' }, /dateFrom must be earlier than dateTo/],
    [
      { aggregation: 'minute', dateFrom: '2026-10-01', dateTo: '2026-10-03' },
      /The range spans 2,880 minutes; minute aggregation spans at most 24 hours\. Narrow/,
    ],
    [
      { aggregation: 'day', dateFrom: '0999-01-01', dateTo: '0999-02-01' },
      /dateTo must be a date from 2000-01-01 to 2999-12-31; got "0999-02-01"/,
    ],
    [
      { aggregation: 'month', dateFrom: '2026-01-01', dateTo: '3000-01-01T00:00:00Z' },
      /dateTo must be a date from 2000-01-01 to 2999-12-31/,
    ],
    [{ aggregation: 'hour', dateFrom: '2026-01-01', dateTo: '2026-03-01' }, /at most 31 days/],
    [{ aggregation: 'day', dateFrom: '2020-01-01', dateTo: '2026-01-01' }, /at most 400 days/],
    [{ aggregation: 'month', dateFrom: '2000-01-01', dateTo: '2026-01-01' }, /at most 36 months/],
    [{ pageUrl: 'pricing' }, /pageUrl must be an absolute http\(s\) URL/],
    [
      { page: '/x' },
      /Unknown query parameter "page"; GET \/visits accepts aggregation, dateFrom, dateTo, pageUrl/,
    ],
  ])('answers %o with 400 naming what is accepted', async (params, message) => {
    const { status, body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      params as Record<string, string>,
    );
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });

  it('defaults to the last 24 hours by hour', async () => {
    const visitedAt = new Date(Date.now() - 3 * 3600_000).toISOString();
    await seed(stack.demo.orgId, [{ pageUrl: 'https://default.example/', visitedAt }]);

    const { body } = await getVisits(stack.apiUrl, stack.demo.readKey, {});

    expect(body.data['https://default.example/']).toEqual([
      { timeframe: truncate.hour(visitedAt), visit_count: 1 },
    ]);
  });
});

describe('the cost of a query grows with the answer, not with the visits', () => {
  it('reads only day counters for a 30-day daily query, and no more items at ten times the visits', async () => {
    const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
    const pages = Array.from({ length: 5 }, (_, i) => `https://cost.example/p${i}`);
    const start = Date.UTC(2026, 8, 1);
    const range = { aggregation: 'day', dateFrom: '2026-09-01', dateTo: '2026-10-01' };
    const small = await createOrg(deps, { name: 'small' });
    const large = await createOrg(deps, { name: 'large' });
    // Every page on every day in both orgs, so both answers have the same 5 x 30 buckets.
    const everyDay = pages.flatMap((pageUrl) =>
      Array.from({ length: 30 }, (_, d) => ({
        pageUrl,
        visitedAt: new Date(start + d * 86_400_000 + 3600_000).toISOString(),
      })),
    );
    await seed(small.orgId, [...everyDay, ...generateVisits(150, pages, start, 30 * 86_400_000, 1)]);
    await seed(large.orgId, [...everyDay, ...generateVisits(3000, pages, start, 30 * 86_400_000, 2)]);

    const smallAnswer = await getVisits(stack.apiUrl, small.readKey, range);
    const largeAnswer = await getVisits(stack.apiUrl, large.readKey, range);

    // 150 items: one per (page, day) — no minute or hour counter was read.
    expect(Number(smallAnswer.headers.get('x-items-read'))).toBe(5 * 30);
    expect(Number(largeAnswer.headers.get('x-items-read'))).toBe(5 * 30);
    const total = (body: any) =>
      Object.values(body.data as Record<string, { visit_count: number }[]>)
        .flat()
        .reduce((n, r) => n + r.visit_count, 0);
    expect(total(largeAnswer.body)).toBe(3150);
    expect(total(smallAnswer.body)).toBe(300);
    // Seeding 3,450 visits through the consumer takes about 25 s alone, longer on a busy machine.
  }, 180_000);
});
