/**
 * A site's time zone over HTTP: days and months cut at local midnight in Europe/Berlin across
 * both daylight-saving changes of 2026 and in Asia/Kolkata (+05:30), date-only ranges read as
 * local midnight, hours left as UTC hours, and views counted before a change of zone kept in
 * the days they were counted in. The clock of this process (ingest's and the query's) is moved
 * to those days; DynamoDB Local and the queue emulator run in another process on the real clock.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOrg, setOrgTimezone } from '../lambdas/core/store/orgs.js';
import { keyCache } from '../lambdas/core/settings.js';
import { getVisits, postVisit, readAnswer, startTestStack } from '../test/helpers.js';
import type { LocalStack } from './stack.js';

let stack: LocalStack;
const page = 'https://zones.test/';

beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);
afterAll(() => stack?.stop());
afterEach(() => {
  vi.useRealTimers();
});

/** Moves this process's clock to `iso` (it keeps running from there). */
function clockAt(iso: string): void {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(Date.parse(iso));
}

async function siteIn(zone: string): Promise<{ siteKey: string; readKey: string; orgId: string }> {
  const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
  const org = await createOrg(deps, { name: zone });
  if (zone !== 'UTC') await setOrgTimezone(deps, org.orgId, zone);
  return org;
}

/** Posts views (by one visitor unless named) at the given instants, then waits until they are counted. */
async function post(siteKey: string, views: { at: string; visitor?: string }[]): Promise<void> {
  for (const view of views) {
    const body = {
      key: siteKey,
      pageUrl: page,
      visitedAt: view.at,
      eventId: randomUUID(),
      identifier: view.visitor ?? 'visitor',
    };
    expect((await postVisit(stack.apiUrl, body)).status).toBe(202);
  }
  expect(await stack.drain()).toBe(true);
}

/** GET /visits of the page at one resolution, as timeframe -> page views. */
async function counts(
  readKey: string,
  aggregation: string,
  dateFrom: string,
  dateTo: string,
): Promise<Record<string, number>> {
  const body = await readAnswer(stack, '/visits', { aggregation, dateFrom, dateTo }, readKey);
  return Object.fromEntries(
    ((body.data[page] ?? []) as { timeframe: string; visit_count: number }[]).map((p) => [
      p.timeframe,
      p.visit_count,
    ]),
  );
}

describe('Europe/Berlin', () => {
  it('counts 29 March 2026, a day of 23 hours, from midnight CET to midnight CEST', async () => {
    const berlin = await siteIn('Europe/Berlin');
    clockAt('2026-03-29T22:35:00Z');
    await post(berlin.siteKey, [
      { at: '2026-03-28T22:40:00Z' }, // 23:40 CET on the 28th
      { at: '2026-03-28T23:10:00Z' }, // 00:10 CET on the 29th
      { at: '2026-03-29T21:50:00Z' }, // 23:50 CEST on the 29th
      { at: '2026-03-29T22:20:00Z' }, // 00:20 CEST on the 30th
    ]);
    expect(await counts(berlin.readKey, 'day', '2026-03-28', '2026-03-31')).toEqual({
      '2026-03-27T23:00:00.000Z': 1,
      '2026-03-28T23:00:00.000Z': 2,
      '2026-03-29T22:00:00.000Z': 1,
    });
    // A date alone is local midnight: 29 March only.
    expect(await counts(berlin.readKey, 'day', '2026-03-29', '2026-03-30')).toEqual({
      '2026-03-28T23:00:00.000Z': 2,
    });
    expect(await counts(berlin.readKey, 'month', '2026-03-01', '2026-04-01')).toEqual({
      '2026-02-28T23:00:00.000Z': 4,
    });
    // Hours stay UTC hours.
    expect(await counts(berlin.readKey, 'hour', '2026-03-29', '2026-03-30')).toEqual({
      '2026-03-28T23:00:00.000Z': 1,
      '2026-03-29T21:00:00.000Z': 1,
    });

    const body = await readAnswer(
      stack,
      '/stats',
      {
        aggregation: 'day',
        dateFrom: '2026-03-29',
        dateTo: '2026-03-30',
      },
      berlin.readKey,
    );
    expect(body.totals).toMatchObject({ visitors: 1, visits: 2, pageviews: 2 });
  });

  it('counts 25 October 2026, a day of 25 hours, from midnight CEST to midnight CET', async () => {
    const berlin = await siteIn('Europe/Berlin');
    clockAt('2026-10-25T23:30:00Z');
    await post(berlin.siteKey, [
      { at: '2026-10-24T23:40:00Z' }, // 01:40 CEST on the 25th
      { at: '2026-10-25T22:50:00Z', visitor: 'other' }, // 23:50 CET on the 25th
      { at: '2026-10-25T23:10:00Z' }, // 00:10 CET on the 26th
    ]);
    expect(await counts(berlin.readKey, 'day', '2026-10-25', '2026-10-27')).toEqual({
      '2026-10-24T22:00:00.000Z': 2,
      '2026-10-25T23:00:00.000Z': 1,
    });
    const body = await readAnswer(
      stack,
      '/stats',
      {
        aggregation: 'day',
        dateFrom: '2026-10-25',
        dateTo: '2026-10-26',
      },
      berlin.readKey,
    );
    expect(body.totals).toMatchObject({ visitors: 2, pageviews: 2 });
    expect(body.series.map((p: { timeframe: string }) => p.timeframe)).toEqual(['2026-10-24T22:00:00.000Z']);
  });
});

describe('Asia/Kolkata', () => {
  it('cuts days on the half hour of UTC, and keeps the days of views counted before the zone was set', async () => {
    const site = await siteIn('UTC');
    clockAt('2026-11-20T20:00:00Z');
    await post(site.siteKey, [{ at: '2026-11-20T12:00:00Z', visitor: 'before' }]); // counted in the UTC day of 20 November
    expect((await getVisits(stack.apiUrl, site.readKey, {}, '/site')).body).toEqual({
      timezone: 'UTC',
      name: 'UTC',
      domains: [],
    });
    expect((await getVisits(stack.apiUrl, site.siteKey, {}, '/site')).status).toBe(403);

    await setOrgTimezone(
      { doc: stack.doc, orgsTable: stack.resources.orgsTable },
      site.orgId,
      'Asia/Kolkata',
    );
    // Ingest and the query read the zone from the key, once their key caches renew.
    vi.setSystemTime(Date.now() + keyCache.ttlMs + 1000);
    expect((await getVisits(stack.apiUrl, site.readKey, {}, '/site')).body).toMatchObject({
      timezone: 'Asia/Kolkata',
    });
    await post(site.siteKey, [
      { at: '2026-11-20T18:20:00Z' }, // 23:50 IST on the 20th
      { at: '2026-11-20T18:40:00Z' }, // 00:10 IST on the 21st
    ]);
    // The UTC day of 20 November is reported in the Kolkata day that holds its middle (17:30 IST on the 20th).
    expect(await counts(site.readKey, 'day', '2026-11-20', '2026-11-22')).toEqual({
      '2026-11-19T18:30:00.000Z': 2,
      '2026-11-20T18:30:00.000Z': 1,
    });
    expect(await counts(site.readKey, 'day', '2026-11-21', '2026-11-22')).toEqual({
      '2026-11-20T18:30:00.000Z': 1,
    });
    expect(await counts(site.readKey, 'month', '2026-11-01', '2026-12-01')).toEqual({
      '2026-10-31T18:30:00.000Z': 3,
    });
    const body = await readAnswer(
      stack,
      '/breakdown',
      {
        property: 'page',
        dateFrom: '2026-11-21',
        dateTo: '2026-11-22',
      },
      site.readKey,
    );
    expect(body.data).toEqual([
      { value: page, visitors: 1, visits: 1, pageviews: 1, time_on_page: null, scroll_depth: null },
    ]);
  });
});
