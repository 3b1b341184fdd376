/**
 * GET /funnel against the local stack as `npm start` runs it: eight days of scripted history
 * imported through `npm run org -- import` (archived: DuckDB over Parquet) and today's views
 * posted over HTTP (open: the visitor-days), with visits that do the steps in order with other
 * views between them, out of order, or split over two visits of one visitor. Every answer equals
 * a computation of its own in this file (visits, order and steps recomputed from the scripted
 * rows, sharing no code with the engine), over archived days, open days and both, with and
 * without a filter. Then every bad request's 400.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsToCsv } from '../lambdas/core/archive/csv.js';
import type { ArchiveRow } from '../lambdas/core/archive/row.js';
import { addKey, createOrg } from '../lambdas/core/store/orgs.js';
import type { FunnelsAnswer } from '../lambdas/query/answers.js';
import { orgCli, postVisit, startTestStack } from '../test/helpers.js';
import { writeStackFile } from './data-dir.js';
import type { LocalStack } from './stack.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const site = 'https://funnel.test';
const today = Math.floor(Date.now() / DAY) * DAY;
const dayString = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Scripted {
  time: number;
  visitor: string;
  type: 'pageview' | 'event';
  name?: string;
  page: string;
  country?: string;
  eventId: string;
}

let seed = 22;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
let ids = 0;
const eventId = () => `funnel-${String(++ids).padStart(5, '0')}`;

const paths = ['/', '/pricing', '/signup', '/docs', '/thanks'];
const eventNames = ['Signup', 'Purchase'];

/**
 * A random day: 15 to 25 visitors, one to three visits each, three to seven rows per visit
 * drawn from five pages and two events, so every order of the steps occurs by chance.
 */
function randomDay(dayStart: number, prefix: string): Scripted[] {
  const rows: Scripted[] = [];
  const visitors = 15 + Math.floor(random() * 11);
  for (let v = 0; v < visitors; v++) {
    const visitor = `${prefix}-${v}`;
    const country = pick(['DE', 'US', undefined]);
    let time = dayStart + Math.floor(random() * 8 * 60) * MINUTE + 13;
    const visits = 1 + Math.floor(random() * 3);
    for (let k = 0; k < visits; k++) {
      const length = 3 + Math.floor(random() * 5);
      for (let i = 0; i < length; i++) {
        // A visit starts with a page view; an event lands a second after the page it was on.
        const isEvent = i > 0 && random() < 0.35;
        rows.push({
          time,
          visitor,
          type: isEvent ? 'event' : 'pageview',
          ...(isEvent ? { name: pick(eventNames) } : {}),
          page: site + (isEvent ? rows.at(-1)!.page.slice(site.length) : pick(paths)),
          ...(country ? { country } : {}),
          eventId: eventId(),
        });
        time += (isEvent ? 1 : 1 + Math.floor(random() * 10)) * MINUTE + 1000;
      }
      time += (31 + Math.floor(random() * 60)) * MINUTE;
    }
  }
  return rows;
}

/** The cases the issue names, written out: each is one visitor on the day starting at `dayStart`. */
function namedCases(dayStart: number, prefix: string): Scripted[] {
  const t = dayStart + 9 * 60 * MINUTE;
  const row = (visitor: string, minutes: number, step: string, extra: Partial<Scripted> = {}): Scripted => {
    const [kind, value] = step.split(':') as ['page' | 'event', string];
    return {
      time: t + minutes * MINUTE,
      visitor: `${prefix}-${visitor}`,
      type: kind === 'page' ? 'pageview' : 'event',
      ...(kind === 'event' ? { name: value, page: `${site}/signup` } : { page: site + value }),
      eventId: eventId(),
      ...extra,
    };
  };
  return [
    // In order, other views and events in between.
    row('in-order', 0, 'page:/pricing'),
    row('in-order', 1, 'page:/docs'),
    row('in-order', 2, 'page:/signup'),
    row('in-order', 3, 'event:Purchase'),
    row('in-order', 4, 'event:Signup'),
    // Out of order: the event before the pricing page.
    row('out-of-order', 0, 'page:/signup'),
    row('out-of-order', 1, 'event:Signup'),
    row('out-of-order', 2, 'page:/pricing'),
    // Two visits: pricing and signup, then 45 minutes without a page view, then the event.
    row('two-visits', 0, 'page:/pricing'),
    row('two-visits', 1, 'page:/signup'),
    row('two-visits', 46, 'page:/docs'),
    row('two-visits', 47, 'event:Signup'),
    // The page view and the event in the same millisecond: the page view comes first.
    row('same-ms', 0, 'page:/pricing'),
    row('same-ms', 1, 'page:/signup'),
    { ...row('same-ms', 1, 'event:Signup'), page: `${site}/signup` },
  ];
}

// ---- the independent computation -------------------------------------------------------------

type Step = { page: string } | { event: string };
const stepOf = (text: string): Step =>
  text.startsWith('event:') ? { event: text.slice(6) } : { page: text.slice(5) };

/** A scripted row's path, as the page breakdown shows it on a one-host site. */
const pathIn = (page: string) => new URL(page).pathname;

function rowIsStep(row: Scripted, step: Step): boolean {
  if ('event' in step) return row.type === 'event' && row.name === step.event;
  if (row.type !== 'pageview') return false;
  return step.page.startsWith('/') ? pathIn(row.page) === step.page : row.page === step.page;
}

/** Visits of the rows: a visitor's page views of a UTC day with gaps under 30 minutes; events in the last visit begun at or before them. */
function visitsOf(rows: readonly Scripted[]) {
  const byVisitorDay = new Map<string, Scripted[]>();
  for (const r of rows) {
    const key = `${dayString(r.time)}|${r.visitor}`;
    byVisitorDay.set(key, [...(byVisitorDay.get(key) ?? []), r]);
  }
  const visits: { visitorDay: string; country?: string; rows: Scripted[] }[] = [];
  for (const [visitorDay, dayRows] of byVisitorDay) {
    const starts: number[] = [];
    let last = -Infinity;
    for (const r of dayRows.filter((r) => r.type === 'pageview').sort((a, b) => a.time - b.time)) {
      if (r.time - last >= 30 * MINUTE) starts.push(r.time);
      last = r.time;
    }
    const own = starts.map(() => [] as Scripted[]);
    for (const r of dayRows) {
      const index = starts.findLastIndex((start) => start <= r.time);
      own[Math.max(index, 0)]!.push(r);
    }
    for (const visitRows of own) {
      const ordered = visitRows.sort(
        (a, b) => a.time - b.time || (a.type === b.type ? 0 : a.type === 'pageview' ? -1 : 1),
      );
      visits.push({
        visitorDay,
        country: ordered.find((r) => r.type === 'pageview')?.country,
        rows: ordered,
      });
    }
  }
  return visits;
}

/** Whether `steps` happen in the rows in that order: a search over every choice of row, not the greedy one. */
function doesInOrder(rows: readonly Scripted[], steps: readonly Step[]): boolean {
  if (steps.length === 0) return true;
  return rows.some((r, i) => rowIsStep(r, steps[0]!) && doesInOrder(rows.slice(i + 1), steps.slice(1)));
}

function expectedFunnel(
  rows: readonly Scripted[],
  stepTexts: readonly string[],
  keep: (visit: { country?: string; rows: Scripted[] }) => boolean = () => true,
) {
  const steps = stepTexts.map(stepOf);
  const visits = visitsOf(rows).filter(keep);
  const visitors = steps.map(
    (_, i) =>
      new Set(visits.filter((v) => doesInOrder(v.rows, steps.slice(0, i + 1))).map((v) => v.visitorDay)).size,
  );
  return stepTexts.map((step, i) => ({
    step,
    visitors: visitors[i]!,
    conversion_rate: visitors[0] === 0 ? 0 : Math.round((visitors[i]! / visitors[0]!) * 10_000) / 100,
    dropoff: i === 0 ? 0 : visitors[i - 1]! - visitors[i]!,
  }));
}

// ---- the stack ---------------------------------------------------------------------------------

let stack: LocalStack;
let dataDir: string;
let org: { orgId: string; readKey: string; siteKey: string };
const archived: Scripted[] = [];
const open: Scripted[] = [];

/** The scripted row as the export writes it (the import reads the same file). */
const archiveRow = (row: Scripted): ArchiveRow => ({
  time: row.time,
  event_id: row.eventId,
  visitor_id: row.visitor,
  type: row.type,
  ...(row.name ? { name: row.name } : {}),
  page: row.page,
  ...(row.country ? { country: row.country } : {}),
  browser: 'Chrome',
  os: 'Windows',
  device: 'desktop',
});

async function funnel(params: Record<string, string | readonly string[]>) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const v of [value].flat()) query.append(name, v);
  const response = await fetch(`${stack.apiUrl}/funnel?${query}`, {
    headers: { authorization: `Bearer ${org.readKey}` },
  });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'funnel-'));
  stack = await startTestStack({ dataDir });
  await writeStackFile(stack, dataDir);
  org = await createOrg(
    { doc: stack.doc, orgsTable: stack.resources.orgsTable },
    { name: 'Funnels', domains: [] },
  );

  // Days 9 to 2 before today, imported: closed, so in the archive (yesterday stays open).
  for (let d = 9; d >= 2; d--)
    archived.push(...randomDay(today - d * DAY, `a${d}`), ...namedCases(today - d * DAY, `n${d}`));
  const file = join(dataDir, 'history.csv');
  await writeFile(file, rowsToCsv(archived.map(archiveRow)));
  const imported = await orgCli(dataDir, 'import', '--org', org.orgId, '--file', file);
  expect(imported.status, imported.stderr).toBe(0);
  expect(imported.stdout).toContain(`${archived.length} row(s) counted over 8 day(s)`);

  // Today over HTTP: the named cases and a few random visitors, within the last hours (never in the future).
  const earliest = Math.max(today + MINUTE, Date.now() - 5 * 60 * MINUTE);
  const span = Date.now() - 2 * MINUTE - earliest;
  const todays = [...namedCases(0, 'live'), ...randomDay(0, 'r').filter((r) => r.visitor < 'r-6')];
  const first = Math.min(...todays.map((r) => r.time));
  const last = Math.max(...todays.map((r) => r.time));
  // Squeezed into the span when the day is young: the expected answer is computed from the times sent.
  const scale = Math.min(1, span / Math.max(1, last - first));
  for (const r of todays) {
    const view = { ...r, time: earliest + Math.round((r.time - first) * scale) };
    const body = {
      key: org.siteKey,
      pageUrl: view.page,
      identifier: view.visitor,
      visitedAt: new Date(view.time).toISOString(),
      eventId: view.eventId,
      // The country comes from the browser's zone; none for a visitor of unknown country.
      ...(view.country ? { tz: view.country === 'DE' ? 'Europe/Berlin' : 'America/New_York' } : {}),
      ...(view.type === 'event' ? { name: view.name } : {}),
    };
    const response = await postVisit(stack.apiUrl, body, {
      route: view.type === 'event' ? '/events' : '/visits',
    });
    expect(response.status).toBe(202);
    open.push(view);
  }
  expect(await stack.drain()).toBe(true);
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const threeSteps = ['page:/pricing', 'page:/signup', 'event:Signup'];
const ranges = {
  archived: { dateFrom: dayString(today - 9 * DAY), dateTo: dayString(today - DAY), rows: () => archived },
  open: { dateFrom: dayString(today), dateTo: dayString(today + DAY), rows: () => open },
  both: {
    dateFrom: dayString(today - 9 * DAY),
    dateTo: dayString(today + DAY),
    rows: () => [...archived, ...open],
  },
};
const bothDays = { dateFrom: ranges.both.dateFrom, dateTo: ranges.both.dateTo };

describe('GET /funnel equals an independent computation', () => {
  it.each(Object.entries(ranges))('of three steps over the %s days', async (_, range) => {
    const { status, body } = await funnel({
      dateFrom: range.dateFrom,
      dateTo: range.dateTo,
      step: threeSteps,
    });
    expect(status, JSON.stringify(body)).toBe(200);
    const expected = expectedFunnel(range.rows(), threeSteps);
    expect(body).toEqual({ steps: expected });
    // Not an empty agreement: people reach the last step and some drop off before it.
    expect(expected[2]!.visitors).toBeGreaterThan(0);
    expect(expected[2]!.visitors).toBeLessThan(expected[0]!.visitors);
  });

  it('counts only the visits in order: out of order, and split over two visits, stop short', async () => {
    const day = dayString(today - 3 * DAY);
    const nextDay = dayString(today - 2 * DAY);
    const named = archived.filter((r) => r.visitor.startsWith('n3-'));
    const visitorsReaching = (i: number) =>
      ['in-order', 'out-of-order', 'two-visits', 'same-ms'].filter(
        (who) =>
          expectedFunnel(
            named.filter((r) => r.visitor === `n3-${who}`),
            threeSteps,
          )[i]!.visitors === 1,
      );
    // The independent computation says what the issue says, before the API is held to it.
    expect(visitorsReaching(0)).toEqual(['in-order', 'out-of-order', 'two-visits', 'same-ms']);
    expect(visitorsReaching(1)).toEqual(['in-order', 'two-visits', 'same-ms']);
    expect(visitorsReaching(2)).toEqual(['in-order', 'same-ms']);
    const { body } = await funnel({
      dateFrom: day,
      dateTo: nextDay,
      step: threeSteps,
      filter: `page:${site}/pricing`,
    });
    expect(body.steps).toEqual(
      expectedFunnel(
        archived.filter((r) => dayString(r.time) === day),
        threeSteps,
        (v) => v.rows.some((r) => r.type === 'pageview' && r.page === `${site}/pricing`),
      ),
    );
  });

  it.each([
    [
      'an event first, absolute URLs, 4 steps',
      ['event:Signup', `page:${site}/docs`, 'page:/pricing', 'event:Purchase'],
    ],
    ['the same page twice', ['page:/', 'page:/']],
    [
      '8 steps',
      [
        'page:/',
        'page:/pricing',
        'page:/signup',
        'event:Signup',
        'page:/docs',
        'page:/',
        'event:Purchase',
        'page:/thanks',
      ],
    ],
  ])('with %s', async (_, steps) => {
    const { status, body } = await funnel({ ...bothDays, step: steps });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toEqual({ steps: expectedFunnel(ranges.both.rows(), steps) });
    expect(body.steps[1].visitors).toBeGreaterThan(0);
  });

  it('keeps the visits a filter keeps (is not, over archived and open days)', async () => {
    const { body } = await funnel({
      ...bothDays,
      step: threeSteps,
      filter: 'country!:DE',
    });
    const expected = expectedFunnel(ranges.both.rows(), threeSteps, (v) => v.country !== 'DE');
    expect(body).toEqual({ steps: expected });
    expect(expected[0]!.visitors).toBeLessThan(expectedFunnel(ranges.both.rows(), threeSteps)[0]!.visitors);
  });

  it('answers the same steps as CSV with format=csv', async () => {
    const query = new URLSearchParams({ ...bothDays, format: 'csv' });
    for (const step of threeSteps) query.append('step', step);
    const response = await fetch(`${stack.apiUrl}/funnel?${query}`, {
      headers: { authorization: `Bearer ${org.readKey}` },
    });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await response.text()).trim().split(/\r?\n/);
    expect(lines).toEqual([
      'step,visitors,conversion_rate,dropoff',
      ...expectedFunnel(ranges.both.rows(), threeSteps).map(
        (s) => `${s.step},${s.visitors},${s.conversion_rate},${s.dropoff}`,
      ),
    ]);
  });

  it('answers zeros for steps nobody took', async () => {
    const { body } = await funnel({ ...bothDays, step: ['page:/nowhere', 'event:Signup'] });
    expect(body.steps).toEqual([
      { step: 'page:/nowhere', visitors: 0, conversion_rate: 0, dropoff: 0 },
      { step: 'event:Signup', visitors: 0, conversion_rate: 0, dropoff: 0 },
    ]);
  });
});

describe('GET /funnel refuses a bad request with a 400 that says what is accepted', () => {
  it.each([
    ['no step', {}, /A funnel has 2 to 8 steps.*got 0/],
    ['one step', { step: ['page:/'] }, /A funnel has 2 to 8 steps.*got 1/],
    ['nine steps', { step: Array(9).fill('page:/') }, /A funnel has 2 to 8 steps.*got 9/],
    [
      'an unknown kind',
      { step: ['page:/', 'goal:Signup'] },
      /step 2 of 2 \("goal:Signup"\) must be page:<path>.*event:<name>/,
    ],
    [
      'a page neither path nor URL',
      { step: ['page:pricing', 'page:/'] },
      /step 1 of 2 \("page:pricing"\) names a page by its path starting with \//,
    ],
    ['a non-http URL', { step: ['page:/', 'page:ftp://x.test/a'] }, /step 2 of 2 .*absolute http\(s\) URL/],
    [
      'an empty event',
      { step: ['page:/', 'event:'] },
      /step 2 of 2 \("event:"\) names an event of 1 to 120 characters/,
    ],
    [
      'an event named pageview',
      { step: ['event:pageview', 'page:/'] },
      /step 1 of 2 .*other than "pageview"/,
    ],
    ['a control character', { step: ['page:/', 'event:Sign\nup'] }, /step 2 of 2 .*control characters/],
    ['a bad filter', { step: threeSteps, filter: 'colour:red' }, /filter must be <property>:<value>/],
    [
      'an unknown parameter',
      { step: threeSteps, limit: '5' },
      /Unknown query parameter "limit"; GET \/funnel accepts dateFrom, dateTo, step, filter, format/,
    ],
    ['a bad date', { step: threeSteps, dateFrom: '2026-02-31' }, /dateFrom must be an ISO-8601 date/],
  ] as const)('%s', async (_, params, message) => {
    const { status, body } = await funnel({ ...bothDays, ...params });
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });

  it('refuses a request without the read key', async () => {
    const response = await fetch(`${stack.apiUrl}/funnel?step=page:/&step=page:/`);
    expect(response.status).toBe(401);
  });
});

describe('saved funnels: GET, PUT and DELETE /funnels', () => {
  const call = (key: string, method: string, query = '', body?: unknown) =>
    fetch(`${stack.apiUrl}/funnels${query}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const list = async (key: string) => ((await (await call(key, 'GET')).json()) as FunnelsAnswer).funnels;

  it('saves a funnel with its steps in their canonical text, replaces it by name, lists and deletes it', async () => {
    expect(await list(org.readKey)).toEqual([]);
    const saved = await call(org.readKey, 'PUT', '', {
      name: 'Signup',
      steps: ['page:/pricing?plan=pro', `page:${site}/signup#form`, 'event:Signup'],
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({
      name: 'Signup',
      steps: ['page:/pricing', `page:${site}/signup`, 'event:Signup'],
    });
    await call(org.readKey, 'PUT', '', { name: 'Signup', steps: threeSteps });
    await call(org.readKey, 'PUT', '', { name: 'Docs', steps: ['page:/', 'page:/docs'] });
    expect((await list(org.readKey)).map((f) => [f.name, f.steps])).toEqual([
      ['Docs', ['page:/', 'page:/docs']],
      ['Signup', threeSteps],
    ]);
    // What is saved is what GET /funnel answers for.
    const { body } = await funnel({ ...bothDays, step: (await list(org.readKey))[1]!.steps });
    expect(body).toEqual({ steps: expectedFunnel(ranges.both.rows(), threeSteps) });
    expect((await call(org.readKey, 'DELETE', '?name=Docs')).status).toBe(204);
    const again = await call(org.readKey, 'DELETE', '?name=Docs');
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: string }).error).toMatch(
      /No funnel is named "Docs"; GET \/funnels lists them/,
    );
    expect((await list(org.readKey)).map((f) => f.name)).toEqual(['Signup']);
  });

  it('lets a share link list the funnels but not change them', async () => {
    const share = await addKey({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, org.orgId, 'share');
    expect((await list(share.key)).map((f) => f.name)).toContain('Signup');
    const refused = await call(share.key, 'PUT', '', { name: 'x', steps: threeSteps });
    expect(refused.status).toBe(403);
    expect((await call(share.key, 'DELETE', '?name=Signup')).status).toBe(403);
  });

  it.each([
    ['one step', { name: 'x', steps: ['page:/'] }, /A funnel's steps must be a list of 2 to 8 step texts/],
    ['nine steps', { name: 'x', steps: Array(9).fill('page:/') }, /2 to 8 step texts/],
    [
      'a bad step',
      { name: 'x', steps: ['page:/', 'click:x'] },
      /step 2 of 2 \("click:x"\) must be page:<path>/,
    ],
    ['no name', { steps: threeSteps }, /a funnel's name must be text of 1 to 64 characters/],
    ['an unknown field', { name: 'x', steps: threeSteps, colour: 'red' }, /unknown field "colour"/],
    ['not JSON', 'name=x', /PUT \/funnels takes a JSON body: \{"name"/],
  ])('refuses a body with %s with a 400 that says what is accepted', async (_, body, message) => {
    const response = await call(org.readKey, 'PUT', '', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });
});
