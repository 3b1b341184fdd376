/**
 * An org's retention against the local stack as `npm start` runs it (DynamoDB Local, the folder
 * archive): 100 days of scripted history imported through `npm run org -- import` in
 * Europe/Berlin, today's views over HTTP, then `npm run org -- set --retention 2`. The archiver
 * removes the days older than two months from the archive and the counters, over several runs
 * when its budget is small; GET /stats, /breakdown (filtered too) and /export then hold only the
 * newer days, which answer exactly as before.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeExpiredDays } from '../lambdas/archive/retention.js';
import { archivedDays } from '../lambdas/core/archive/archive.js';
import { fileBlobStore } from '../lambdas/core/archive/blobs.js';
import { createOrg, getOrg } from '../lambdas/core/store/orgs.js';
import { forEachVisitorDay } from '../lambdas/core/store/visitor-days.js';
import { orgCli, postVisit, startTestStack } from '../test/helpers.js';
import { writeStackFile } from './data-dir.js';
import type { LocalStack } from './stack.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const zone = 'Europe/Berlin';
const site = 'https://retention.test';
const header =
  'timestamp,event_id,visitor_id,type,name,page,referrer,source,utm_source,utm_medium,utm_campaign,utm_term,utm_content,country,browser,os,device';

/** The day of `ms` in Berlin, computed apart from the project's zone code. */
const berlinDay = (ms: number) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(ms);
const now = Date.now();
const today = berlinDay(now);
/** Two months before today, the day of the month kept (or the month's last day when it is shorter). */
function twoMonthsBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const month = new Date(Date.UTC(y, m - 1 - 2, 1));
  const lastDay = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0)).getUTCDate();
  return `${month.toISOString().slice(0, 8)}${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}
const kept = twoMonthsBefore(today);

interface Row {
  time: number;
  id: string;
  visitor: string;
  type: 'pageview' | 'event';
  name: string;
  page: string;
  referrer: string;
}

// Deterministic, so a failure reproduces.
let seed = 11;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pages = ['/', '/pricing', '/blog/one', '/docs'].map((p) => site + p);

/** `d` days ago (noon UTC, so the Berlin day is that date): 3 to 6 visitors with a few views, some from Google. */
function historyOf(d: number): Row[] {
  const noon = Math.floor(now / DAY) * DAY - d * DAY + 12 * 60 * MINUTE;
  const rows: Row[] = [];
  const visitors = 3 + Math.floor(random() * 4);
  for (let v = 0; v < visitors; v++) {
    const referrer = random() < 0.4 ? 'https://www.google.com/' : '';
    const views = 1 + Math.floor(random() * 3);
    for (let i = 0; i < views; i++) {
      const time = noon - 3 * 60 * MINUTE + v * 20 * MINUTE + i * 3 * MINUTE;
      rows.push({
        time,
        id: `r${d}-${v}-${i}`,
        visitor: `v${d}-${v}`,
        type: 'pageview',
        name: '',
        page: pages[Math.floor(random() * pages.length)]!,
        referrer: i === 0 ? referrer : '',
      });
      if (i === 0 && random() < 0.3)
        rows.push({
          ...rows.at(-1)!,
          time: time + 1000,
          id: `e${d}-${v}`,
          type: 'event',
          name: 'Signup',
          referrer: '',
        });
    }
  }
  return rows;
}

const csvOf = (rows: readonly Row[]) =>
  [
    header,
    ...rows.map((r) =>
      [
        new Date(r.time).toISOString(),
        r.id,
        r.visitor,
        r.type,
        r.name,
        r.page,
        r.referrer,
        '',
        '',
        '',
        '',
        '',
        '',
        'DE',
        'Chrome',
        'Windows',
        'desktop',
      ].join(','),
    ),
  ].join('\n');

let stack: LocalStack;
let dataDir: string;
let orgId: string;
let readKey: string;
let siteKey: string;
const history: Row[] = [];

const org = (...args: string[]) => orgCli(dataDir, ...args);

async function get(route: string, params: Record<string, string>, filter?: string) {
  const query = new URLSearchParams(params);
  if (filter) query.append('filter', filter);
  const response = await fetch(`${stack.apiUrl}${route}?${query}`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${route}?${query}: ${response.status} ${text}`);
  return route === '/export' ? text : JSON.parse(text);
}

const dataDeps = () => ({
  doc: stack.doc,
  orgsTable: stack.resources.orgsTable,
  visitsTable: stack.resources.visitsTable,
  countersTable: stack.resources.countersTable,
  blobs: fileBlobStore(stack.archiveDir),
});

const addDay = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const whole = { dateFrom: addDay(today, -101), dateTo: addDay(today, 1) };
const newer = { dateFrom: kept, dateTo: addDay(today, 1) };
const older = { dateFrom: whole.dateFrom, dateTo: kept };

/** Every answer the newer days give, to compare before and after. */
async function answers(range: Record<string, string>) {
  return {
    stats: await get('/stats', { ...range, aggregation: 'day' }),
    pages: await get('/breakdown', { ...range, property: 'page' }),
    sources: await get('/breakdown', { ...range, property: 'source' }),
    goals: await get('/breakdown', { ...range, property: 'event' }),
    google: await get('/stats', { ...range, aggregation: 'day' }, 'source:Google'),
    googlePages: await get('/breakdown', { ...range, property: 'page' }, 'source:Google|Bing'),
  };
}

let before: Awaited<ReturnType<typeof answers>>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'retention-'));
  stack = await startTestStack({ dataDir });
  await writeStackFile(stack, dataDir);
  ({ orgId, readKey, siteKey } = await createOrg(
    { doc: stack.doc, orgsTable: stack.resources.orgsTable },
    { name: 'Retention', domains: [] },
  ));
  expect((await org('set', '--org', orgId, '--timezone', zone)).status).toBe(0);
  for (let d = 100; d >= 2; d--) history.push(...historyOf(d));
  const file = join(dataDir, 'history.csv');
  await writeFile(file, csvOf(history));
  const imported = await org('import', '--org', orgId, '--file', file);
  expect(imported.status, imported.stderr).toBe(0);
  // Today, over HTTP: visitor-days and minute counters as well.
  for (let i = 0; i < 3; i++) {
    const response = await postVisit(stack.apiUrl, {
      key: siteKey,
      pageUrl: pages[i]!,
      identifier: `live-${i}`,
      visitedAt: new Date(now - (i + 1) * MINUTE).toISOString(),
      eventId: `retention-live-${i}`,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(202);
  }
  expect(await stack.drain()).toBe(true);
  before = await answers(newer);
  // The history reaches back past the retention about to be set.
  expect((await get('/stats', { ...older, aggregation: 'day' })).totals.pageviews).toBeGreaterThan(0);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('org retention', () => {
  it('is set through the CLI, refuses what is not a number of months, and shows in the list', async () => {
    const bad = await org('set', '--org', orgId, '--retention', 'two');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      '--retention must be a whole number of months (1 to 1200) or keep; got "two"',
    );
    const zero = await org('set', '--org', orgId, '--retention', '0');
    expect(zero.status).toBe(1);
    expect(zero.stderr).toContain('from 1 to 1200, or keep; got 0');
    const set = await org('set', '--org', orgId, '--retention', '2', '--json');
    expect(set.status, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({ orgId, retentionMonths: 2 });
    const list = await org('list');
    expect(list.stdout).toContain('retention: 2 months');
    expect(
      (await getOrg({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, orgId))?.retentionMonths,
    ).toBe(2);
  });

  it('removes the older days in bounded runs, then the archiver finishes and a further run removes nothing', async () => {
    const stored = (await getOrg({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, orgId))!;
    // A budget of 150 (a day is about 42 lookups and its items): each run stops when it is spent, and says so.
    const first = await removeExpiredDays(dataDeps(), stored, now, { budget: 150 });
    expect(first.done).toBe(false);
    expect(first.deleted).toBeGreaterThan(0);
    expect(first.deleted).toBeLessThanOrEqual(150);
    const second = await removeExpiredDays(dataDeps(), stored, now, { budget: 150 });
    expect(second.done).toBe(false);
    expect(second.deleted).toBeGreaterThan(0);
    expect(second.deleted).toBeLessThanOrEqual(150);
    // The scheduled archiver (its whole budget) removes the rest.
    const run = await stack.archive();
    expect(run.removedDays).toBeGreaterThan(30);
    expect((await stack.archive()).removedDays).toBe(0);
    const again = await removeExpiredDays(dataDeps(), stored, now);
    expect(again).toEqual({ orgId, days: [], deleted: 0, done: true });
    const days = await archivedDays(fileBlobStore(stack.archiveDir), orgId);
    expect(days.length).toBeGreaterThan(50);
    expect(days.every((day) => day >= kept)).toBe(true);
  });

  it('leaves nothing older in GET /stats, /breakdown and /export, and the newer days answer as before', async () => {
    const gone = await get('/stats', { ...older, aggregation: 'day' });
    expect(gone.totals).toMatchObject({ visitors: 0, visits: 0, pageviews: 0 });
    expect((await get('/breakdown', { ...older, property: 'page' })).data).toEqual([]);
    expect((await get('/stats', { ...older, aggregation: 'day' }, 'source:Google')).totals.pageviews).toBe(0);

    expect(await answers(newer)).toEqual(before);
    // There are no month items: the month that straddles the limit keeps its newer days only.
    const months = await get('/stats', { ...newer, aggregation: 'month' });
    expect(berlinDay(Date.parse(months.series[0].timeframe))).toBe(`${kept.slice(0, 7)}-01`);
    expect(months.totals).toMatchObject({
      pageviews: before.stats.totals.pageviews,
      visits: before.stats.totals.visits,
    });
    const all = await get('/stats', { ...whole, aggregation: 'day' });
    expect(all.totals).toEqual(before.stats.totals);
    const olderPoints = all.series.filter(
      (p: { timeframe: string }) => berlinDay(Date.parse(p.timeframe)) < kept,
    );
    expect(olderPoints.filter((p: { pageviews: number }) => p.pageviews > 0)).toEqual([]);
    const wholeSources = await get('/breakdown', { ...whole, property: 'source' });
    expect(wholeSources.data).toEqual(before.sources.data);

    const csv = (await get('/export', whole)) as string;
    const lines = csv.trimEnd().split('\r\n').slice(1);
    const keptRows = history.filter((r) => berlinDay(r.time) >= kept);
    expect(lines.length).toBe(keptRows.length + 3);
    expect(lines.filter((line) => berlinDay(Date.parse(line.slice(0, 24))) < kept)).toEqual([]);
  });

  it('refuses to import a day older than the retention, naming its line', async () => {
    const file = join(dataDir, 'old.csv');
    const old = historyOf(90)[0]!;
    await writeFile(file, csvOf([{ ...old, id: 'too-old' }]));
    const refused = await org('import', '--org', orgId, '--file', file);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `line 2: ${berlinDay(old.time)} (Europe/Berlin) is older than the org's retention of 2 months, which keeps days from ${kept}`,
    );
  });

  it("removes a day's visitor-days and minute counters too, once it is past the retention", async () => {
    const stored = (await getOrg({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, orgId))!;
    const visitorDays = () => forEachVisitorDay(dataDeps(), orgId, [today], () => undefined);
    expect(await visitorDays()).toBe(3);
    const minutes = {
      dateFrom: new Date(now - 10 * MINUTE).toISOString(),
      dateTo: new Date(now).toISOString(),
      aggregation: 'minute',
    };
    expect((await get('/stats', minutes)).totals.pageviews).toBe(3);
    // Three months on, today is past a retention of two.
    const removed = await removeExpiredDays(dataDeps(), stored, now + 92 * DAY);
    expect(removed.days).toContain(today);
    expect(await visitorDays()).toBe(0);
    expect((await get('/stats', minutes)).totals.pageviews).toBe(0);
    expect((await get('/stats', { ...newer, aggregation: 'day' })).totals.pageviews).toBe(0);
  });

  it('keeps everything again with --retention keep', async () => {
    const keep = await org('set', '--org', orgId, '--retention', 'keep');
    expect(keep.status, keep.stderr).toBe(0);
    expect(keep.stdout).toContain('now keeps its history forever');
    expect(
      (await getOrg({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, orgId))?.retentionMonths,
    ).toBe(undefined);
    expect((await org('list')).stdout).toContain('retention: kept');
  });
});
