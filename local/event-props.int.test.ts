/**
 * Event properties over HTTP against the local stack: POST /events with `props` counted exactly
 * once under duplicates, the properties kept with the event in its visitor-day, and every limit
 * refused with a 400 that names the key and the rule. Then, for an org with three archived days
 * of history (imported through `npm run org -- import`, props column included) and today's
 * events posted over HTTP (with duplicates): GET /breakdown?property=props.<key> with and without
 * a goal filter, the keys (property=props), filter=props.<key> (is, is not, contains, any of),
 * each equal to a computation of its own from the scripted rows (written here, sharing no code
 * with the engine); and the export of the closed days imported into a second org, props exact.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from '../lambdas/core/store/orgs.js';
import { getVisits, orgCli, postVisit, startTestStack, storedViewsToday } from '../test/helpers.js';
import { scriptedVisits, seededRandom } from '../test/scripted-visits.js';
import { writeStackFile } from './data-dir.js';
import type { LocalStack } from './stack.js';

const site = 'https://props.test';
let stack: LocalStack;
let dataDir: string;

async function postEvent(body: Record<string, unknown>, siteKey = stack.demo.siteKey) {
  const event = { key: siteKey, pageUrl: `${site}/pricing`, ...body };
  const { status, body: answer } = await postVisit(stack.apiUrl, event, { route: '/events' });
  return { status, body: answer as Record<string, string> };
}

/** Every stored event of the demo org today, with its properties. */
const storedEvents = async () => (await storedViewsToday(stack)).filter((view) => view.kind === 'event');

const bigProps = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => [`key-${i}`, String.fromCharCode(65 + i).repeat(2000)]),
);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'event-props-'));
  stack = await startTestStack({ dataDir });
  await writeStackFile(stack, dataDir);
  await postVisit(stack.apiUrl, { key: stack.demo.siteKey, pageUrl: `${site}/pricing`, identifier: 'buyer' });
  const purchase = randomUUID();
  const answers = await Promise.all([
    postEvent({ identifier: 'buyer', name: 'Purchase', eventId: purchase, props: { plan: 'pro', seats: 5 } }),
    // A browser re-send and a redelivery: the same eventId, counted once.
    postEvent({ identifier: 'buyer', name: 'Purchase', eventId: purchase, props: { plan: 'pro', seats: 5 } }),
    postEvent({ identifier: 'buyer', name: 'Purchase', eventId: purchase, props: { plan: 'pro', seats: 5 } }),
    postEvent({ identifier: 'other', name: 'Purchase', props: { plan: 'team', trial: false } }),
    postEvent({ identifier: 'other', name: 'Big', props: bigProps }),
  ]);
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
  expect(await stack.drain()).toBe(true);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('event properties', () => {
  it('keeps each event once, with its properties as strings, whatever the duplicates', async () => {
    const events = await storedEvents();
    const purchases = events.filter((e) => e.name === 'Purchase').map((e) => e.props);
    expect(purchases).toHaveLength(2);
    expect(purchases).toEqual(
      expect.arrayContaining([
        { plan: 'pro', seats: '5' },
        { plan: 'team', trial: 'false' },
      ]),
    );
    // Compared as one boolean: a failure would print 60,000 characters.
    expect(JSON.stringify(events.find((e) => e.name === 'Big')?.props) === JSON.stringify(bigProps)).toBe(
      true,
    );
  });

  it('counts a goal with properties once per eventId', async () => {
    const { body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      {
        property: 'event',
        dateFrom: new Date(Date.now() - 3_600_000).toISOString(),
        dateTo: new Date(Date.now() + 60_000).toISOString(),
      },
      '/breakdown',
    );
    expect(body.data).toContainEqual(expect.objectContaining({ value: 'Purchase', visitors: 2, events: 2 }));
  });

  it.each([
    ['a list', ['pro'], 'props must be an object of property names to values, such as {"plan": "pro"}'],
    [
      '31 entries',
      Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v'])),
      'props has 31 entries; at most 30 are accepted',
    ],
    [
      'a key with a dot',
      { 'plan.name': 'pro' },
      'props key "plan.name" must be 1 to 64 letters, digits, "_" or "-"',
    ],
    [
      'a key of 65 characters',
      { ['k'.repeat(65)]: 'x' },
      `props key "${'k'.repeat(65)}" must be 1 to 64 letters, digits, "_" or "-"`,
    ],
    ['an empty value', { plan: '' }, 'props.plan must be 1 to 2000 characters; it has 0'],
    [
      'a value of 2,001 characters',
      { plan: 'x'.repeat(2001) },
      'props.plan must be 1 to 2000 characters; it has 2001',
    ],
    ['a list value', { plan: ['pro'] }, 'props.plan must be a string, a number or a boolean'],
  ])('refuses %s with a 400 naming the key and the rule, and queues nothing', async (_case, props, error) => {
    const { status, body } = await postEvent({ name: 'Refused', props });
    expect({ status, body }).toEqual({ status: 400, body: { error } });
  });

  it('never stores a refused event', async () => {
    expect(await stack.drain()).toBe(true);
    expect((await storedEvents()).filter((e) => e.name === 'Refused')).toEqual([]);
  });
});

// ---- properties through the archive and the engine ---------------------------------------------

const DAY = 86_400_000;
const MINUTE = 60_000;
const todayStart = Math.floor(Date.now() / DAY) * DAY;
const dayString = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** One scripted page view or event, as the independent computation sees it. */
interface Scripted {
  time: number;
  visitor: string;
  type: 'pageview' | 'event';
  name?: string;
  page: string;
  source?: string;
  props?: Record<string, string>;
  eventId: string;
}

const { random, pick } = seededRandom(22);
const pages = ['/', '/pricing', '/docs', '/blog'].map((p) => site + p);

/** Day `d` days before today: visitors with one or two visits, Purchases and Downloads with properties. */
function historyOf(d: number): Scripted[] {
  const rows: Scripted[] = [];
  const row = (r: Omit<Scripted, 'eventId'>) => rows.push({ ...r, eventId: `imp-${d}-${rows.length}` });
  for (let v = 0; v < 10; v++) {
    const visitor = `h${d}-${v}`;
    let time = todayStart - d * DAY + (60 + v * 7) * MINUTE + v;
    // An event before the day's first page view belongs to its first visit.
    if (v === 3)
      row({
        time: time - MINUTE,
        visitor,
        type: 'event',
        name: 'Signup',
        page: pages[0]!,
        props: { via: 'ad' },
      });
    for (let k = 0, visits = 1 + Math.floor(random() * 2); k < visits; k++) {
      const source = pick(['Google', undefined]);
      for (let i = 0, views = 1 + Math.floor(random() * 3); i < views; i++) {
        row({ time, visitor, type: 'pageview', page: pick(pages), ...(i === 0 && source ? { source } : {}) });
        const roll = random();
        if (roll < 0.3)
          row({
            time: time + 1000,
            visitor,
            type: 'event',
            name: 'Purchase',
            page: pages[1]!,
            props: { plan: pick(['pro', 'team', 'free']), seats: pick(['1', '5']) },
          });
        else if (roll < 0.5)
          row({
            time: time + 1000,
            visitor,
            type: 'event',
            name: 'Download',
            page: pages[2]!,
            props: { 'file-type': pick(['pdf', 'zip']), plan: pick(['pro', 'free']) },
          });
        else if (roll < 0.6)
          row({ time: time + 1000, visitor, type: 'event', name: 'Signup', page: pages[0]! });
        time += (2 + Math.floor(random() * 5)) * MINUTE;
      }
      time += 45 * MINUTE;
    }
  }
  // A visitor with an event and no page view is in no visit: never counted.
  row({
    time: todayStart - d * DAY + 9 * 60 * MINUTE,
    visitor: `lonely-${d}`,
    type: 'event',
    name: 'Purchase',
    page: pages[1]!,
    props: { plan: 'pro' },
  });
  return rows;
}

const csvCell = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
const importHeader =
  'timestamp,event_id,visitor_id,type,name,page,referrer,source,utm_source,utm_medium,utm_campaign,utm_term,utm_content,country,browser,os,device,props';
const csvLine = (row: Scripted) =>
  [
    new Date(row.time).toISOString(),
    row.eventId,
    row.visitor,
    row.type,
    row.name ?? '',
    row.page,
    '',
    row.source ?? '',
    ...['', '', '', '', '', '', 'Chrome', 'Windows', 'desktop'],
    row.props ? csvCell(JSON.stringify(row.props)) : '',
  ].join(',');

// ---- the independent computation -------------------------------------------------------------

type TestFilter = { property: string; op: 'is' | 'is_not' | 'contains'; values: string[] };
interface TestVisit {
  id: string;
  visitorDay: string;
  source: string;
  events: Scripted[];
}

const visitsOfRows = (rows: readonly Scripted[]): TestVisit[] =>
  scriptedVisits(rows).map((visit) => ({
    id: `${visit.visitorDay}|${visit.start}`,
    visitorDay: visit.visitorDay,
    source: visit.views[0]!.source ?? 'Direct / None',
    events: visit.events,
  }));

const isEventFilter = (f: TestFilter) => f.property === 'event' || f.property.startsWith('props.');
function eventValue(event: Scripted, property: string): string[] {
  const value = property === 'event' ? event.name : event.props?.[property.slice('props.'.length)];
  return value === undefined ? [] : [value];
}
function holds(f: TestFilter, values: string[]): boolean {
  if (f.op === 'is') return values.some((v) => f.values.includes(v));
  if (f.op === 'is_not') return !values.some((v) => f.values.includes(v));
  return values.some((v) => f.values.some((t) => v.toLowerCase().includes(t.toLowerCase())));
}
const keptVisits = (rows: readonly Scripted[], filters: readonly TestFilter[]) =>
  visitsOfRows(rows).filter((visit) =>
    filters.every((f) =>
      holds(f, isEventFilter(f) ? visit.events.flatMap((e) => eventValue(e, f.property)) : [visit.source]),
    ),
  );

function sortRows<Row extends { value: string; visitors: number }>(rows: Row[]): Row[] {
  return rows.sort((a, b) => b.visitors - a.visitors || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** property=props.<key> (or props: the keys): the kept visits' events that meet the event filters themselves. */
function expectedProps(rows: readonly Scripted[], key: string | undefined, filters: readonly TestFilter[]) {
  const byValue = new Map<string, { visitors: Set<string>; visits: Set<string>; events: number }>();
  for (const visit of keptVisits(rows, filters))
    for (const event of visit.events) {
      if (!filters.filter(isEventFilter).every((f) => holds(f, eventValue(event, f.property)))) continue;
      const values = key === undefined ? Object.keys(event.props ?? {}) : eventValue(event, `props.${key}`);
      for (const value of values) {
        const row = byValue.get(value) ?? { visitors: new Set(), visits: new Set(), events: 0 };
        row.visitors.add(visit.visitorDay);
        row.visits.add(visit.id);
        row.events++;
        byValue.set(value, row);
      }
    }
  return sortRows(
    [...byValue].map(([value, r]) => ({
      value,
      visitors: r.visitors.size,
      visits: r.visits.size,
      events: r.events,
    })),
  );
}

function expectedVisits(rows: readonly Scripted[], filters: readonly TestFilter[]) {
  const kept = keptVisits(rows, filters);
  const sources = new Map<string, TestVisit[]>();
  for (const visit of kept) sources.set(visit.source, [...(sources.get(visit.source) ?? []), visit]);
  return {
    totals: { visitors: new Set(kept.map((v) => v.visitorDay)).size, visits: kept.length },
    source: sortRows(
      [...sources].map(([value, visits]) => ({
        value,
        visitors: new Set(visits.map((v) => v.visitorDay)).size,
        visits: visits.length,
      })),
    ),
  };
}

const asParameter = (f: TestFilter) =>
  `${f.property}${f.op === 'is' ? ':' : f.op === 'is_not' ? '!:' : '~:'}${f.values.join('|')}`;

// ---- the org under test ------------------------------------------------------------------------

let propsOrg: { orgId: string; readKey: string; siteKey: string };
let secondOrg: { orgId: string; readKey: string };
const history: Scripted[] = [];
const live: Scripted[] = [];

async function read(
  readKey: string,
  params: Record<string, string>,
  filters: readonly TestFilter[] = [],
  route = '/breakdown',
) {
  const query = new URLSearchParams(params);
  for (const f of filters) query.append('filter', asParameter(f));
  const response = await fetch(`${stack.apiUrl}${route}?${query}`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${route}?${query}: ${response.status} ${text}`);
  return {
    text,
    body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : undefined,
  };
}

async function importFile(orgId: string, name: string, text: string) {
  const file = join(dataDir, name);
  await writeFile(file, text);
  return orgCli(dataDir, 'import', '--org', orgId, '--file', file);
}

beforeAll(async () => {
  const orgsDeps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
  propsOrg = await createOrg(orgsDeps, { name: 'Props', domains: [] });
  secondOrg = await createOrg(orgsDeps, { name: 'Props again', domains: [] });
  for (const d of [4, 3, 2]) history.push(...historyOf(d));
  const imported = await importFile(
    propsOrg.orgId,
    'history.csv',
    [importHeader, ...history.map(csvLine)].join('\n'),
  );
  expect(imported.status, imported.stderr).toBe(0);
  expect(imported.stdout).toContain(`${history.length} row(s) counted over 3 day(s)`);

  // Today over HTTP: three visitors, each a page view then a Purchase; every Purchase sent three
  // times with its eventId (a re-send and two redeliveries), counted once.
  const start = Math.max(todayStart + MINUTE, Date.now() - 20 * MINUTE);
  const plans = ['pro', 'team', 'pro'];
  for (const [i, plan] of plans.entries()) {
    const visitor = `live-${i}`;
    const time = start + i * MINUTE;
    const view: Scripted = { time, visitor, type: 'pageview', page: pages[1]!, eventId: `live-view-${i}` };
    const purchase: Scripted = {
      ...view,
      time: time + 2000,
      type: 'event',
      name: 'Purchase',
      props: { plan, seats: String(i + 1) },
      eventId: `live-purchase-${i}`,
    };
    const common = { key: propsOrg.siteKey, pageUrl: pages[1], identifier: visitor };
    expect(
      (
        await postVisit(stack.apiUrl, {
          ...common,
          visitedAt: new Date(time).toISOString(),
          eventId: view.eventId,
        })
      ).status,
    ).toBe(202);
    const event = {
      ...common,
      visitedAt: new Date(purchase.time).toISOString(),
      eventId: purchase.eventId,
      name: 'Purchase',
      props: purchase.props,
    };
    const answers = await Promise.all([1, 2, 3].map(() => postEvent(event, propsOrg.siteKey)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    live.push(view, purchase);
  }
  // And a Download with a plan of its own: a goal filter must tell it from the Purchases.
  const download: Scripted = {
    time: start + 2 * MINUTE + 4000,
    visitor: 'live-2',
    type: 'event',
    name: 'Download',
    page: pages[2]!,
    props: { 'file-type': 'pdf', plan: 'free' },
    eventId: 'live-download-2',
  };
  for (const _ of [1, 2]) {
    const answer = await postEvent(
      {
        pageUrl: download.page,
        identifier: download.visitor,
        visitedAt: new Date(download.time).toISOString(),
        eventId: download.eventId,
        name: download.name,
        props: download.props,
      },
      propsOrg.siteKey,
    );
    expect(answer.status).toBe(202);
  }
  live.push(download);
  expect(await stack.drain()).toBe(true);
}, 180_000);

const ranges = [
  { name: 'the archived days', from: 4, to: 1 },
  { name: 'today (open)', from: 0, to: -1 },
  { name: 'archived and open days', from: 4, to: -1 },
];

describe.each(ranges)('event properties over $name', ({ from, to }) => {
  const params = {
    dateFrom: dayString(todayStart - from * DAY),
    dateTo: dayString(todayStart - to * DAY),
    limit: '1000',
  };
  const rows = () =>
    [...history, ...live].filter((r) => r.time >= todayStart - from * DAY && r.time < todayStart - to * DAY);

  it.each([
    ['plan', []],
    ['plan', [{ property: 'event', op: 'is', values: ['Purchase'] }]],
    ['plan', [{ property: 'event', op: 'is', values: ['Download'] }]],
    ['file-type', [{ property: 'event', op: 'is', values: ['Download'] }]],
    ['seats', [{ property: 'props.plan', op: 'is', values: ['pro', 'team'] }]],
    ['plan', [{ property: 'props.plan', op: 'contains', values: ['TE'] }]],
    [undefined, []],
    [undefined, [{ property: 'event', op: 'is', values: ['Download'] }]],
    [
      'plan',
      [
        { property: 'source', op: 'is', values: ['Google'] },
        { property: 'event', op: 'is_not', values: ['Signup'] },
      ],
    ],
  ] as [string | undefined, TestFilter[]][])(
    'property=props.%s (undefined: the keys), filter=%j, equals the computation from the scripted rows',
    async (key, filters) => {
      const property = key === undefined ? 'props' : `props.${key}`;
      const { body } = await read(propsOrg.readKey, { ...params, property }, filters);
      expect(body.data).toEqual(expectedProps(rows(), key, filters));
    },
  );

  it.each([
    [[{ property: 'props.plan', op: 'is', values: ['pro'] }]],
    [[{ property: 'props.plan', op: 'is_not', values: ['pro'] }]],
    [[{ property: 'props.plan', op: 'contains', values: ['RE'] }]],
    [[{ property: 'props.plan', op: 'is', values: ['pro', 'team'] }]],
    [
      [
        { property: 'props.file-type', op: 'is', values: ['pdf'] },
        { property: 'source', op: 'is', values: ['Google'] },
      ],
    ],
  ] as [TestFilter[]][])(
    'filter=%j keeps the visits with such an event, as every filter does',
    async (filters) => {
      const want = expectedVisits(rows(), filters);
      const stats = await read(
        propsOrg.readKey,
        { dateFrom: params.dateFrom, dateTo: params.dateTo, aggregation: 'day' },
        filters,
        '/stats',
      );
      expect(stats.body.totals).toMatchObject(want.totals);
      const sources = await read(propsOrg.readKey, { ...params, property: 'source' }, filters);
      expect(sources.body.data.map(({ pageviews: _, ...row }: { pageviews: number }) => row)).toEqual(
        want.source,
      );
    },
  );
});

describe('event properties: the answer around the rows', () => {
  const params = { dateFrom: dayString(todayStart - 4 * DAY), dateTo: dayString(todayStart + DAY) };

  it('counts each event once whatever the duplicates, and a goal with properties once per eventId', async () => {
    const { body } = await read(propsOrg.readKey, { ...params, property: 'props.plan' }, [
      { property: 'event', op: 'is', values: ['Purchase'] },
    ]);
    const purchases = [...history, ...live].filter(
      (r) => r.name === 'Purchase' && !r.visitor.startsWith('lonely'),
    );
    expect(body.data.reduce((n: number, r: { events: number }) => n + r.events, 0)).toBe(purchases.length);
  });

  it('answers format=csv as the other breakdowns', async () => {
    const filters: TestFilter[] = [{ property: 'event', op: 'is', values: ['Purchase'] }];
    const { text } = await read(
      propsOrg.readKey,
      { ...params, property: 'props.plan', format: 'csv' },
      filters,
    );
    const want = expectedProps([...history, ...live], 'plan', filters);
    expect(text).toBe(
      `value,visitors,visits,events\r\n${want.map((r) => `${r.value},${r.visitors},${r.visits},${r.events}\r\n`).join('')}`,
    );
  });

  it.each([
    [
      'property=props.a.b',
      { property: 'props.a.b' },
      /^props\.<key> names an event property: the key must be 1 to 64 letters, digits, "_" or "-"; got "a\.b"\.$/,
    ],
    [
      'property=props.',
      { property: 'props.' },
      /the key must be 1 to 64 letters, digits, "_" or "-"; got ""\./,
    ],
    ['filter=props.:pro', { property: 'source', filter: 'props.:pro' }, /the key must be 1 to 64 letters/],
    [
      'property=prop',
      { property: 'prop' },
      /property must be one of .*, props\.<key> \(an event property's values\) or props \(the keys\); got "prop"\./,
    ],
  ])('refuses %s with a 400 that says what is accepted', async (_case, query, error) => {
    const { status, body } = await getVisits(
      stack.apiUrl,
      propsOrg.readKey,
      { ...params, ...query },
      '/breakdown',
    );
    expect(status).toBe(400);
    expect(body.error).toMatch(error);
  });
});

describe('event properties: export and import', () => {
  const exportOf = async (readKey: string, from: number, to: number) =>
    (
      await read(
        readKey,
        { dateFrom: dayString(todayStart - from * DAY), dateTo: dayString(todayStart - to * DAY) },
        [],
        '/export',
      )
    ).text;

  it('exports every event with its properties (archived and open days) as a props column', async () => {
    const lines = (await exportOf(propsOrg.readKey, 4, -1)).trimEnd().split('\r\n');
    expect(lines[0]!.endsWith(',device,props')).toBe(true);
    expect(lines.length - 1).toBe(history.length + live.length);
    // The last column, as JSON: each row's properties (empty for a page view and an event without any).
    const propsOf = (line: string) => {
      const cell = /,("(?:[^"]|"")*"|[^,]*)$/.exec(line)![1]!;
      const json = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
      return json === '' ? undefined : JSON.parse(json);
    };
    const exported = lines.slice(1).map(propsOf);
    const scripted = [...history, ...live].sort((a, b) => a.time - b.time).map((r) => r.props);
    expect(exported).toEqual(scripted);
  });

  it('imports the export into a second org: the same file back, the same answers', async () => {
    const closed = await exportOf(propsOrg.readKey, 4, 1);
    const imported = await importFile(secondOrg.orgId, 'closed.csv', closed);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(`${history.length} row(s) counted over 3 day(s), 0 already there`);
    expect(await exportOf(secondOrg.readKey, 4, 1)).toBe(closed);
    const params = { dateFrom: dayString(todayStart - 4 * DAY), dateTo: dayString(todayStart - DAY) };
    for (const property of ['props', 'props.plan', 'props.file-type']) {
      const [a, b] = await Promise.all(
        [propsOrg, secondOrg].map((org) =>
          read(org.readKey, { ...params, property }, [
            { property: 'event', op: 'is_not', values: ['Signup'] },
          ]),
        ),
      );
      expect(b!.body).toEqual(a!.body);
      expect(a!.body.data.length).toBeGreaterThan(0);
    }
  });

  it('refuses properties on a page view and properties that break the rules, with the line', async () => {
    const event = history.find((r) => r.type === 'event' && r.props)!;
    const pageview = history.find((r) => r.type === 'pageview')!;
    for (const [row, error] of [
      [
        { ...pageview, eventId: 'bad-1', props: { plan: 'pro' } },
        'line 2: a page view has no properties (props must be empty)',
      ],
      [
        { ...event, eventId: 'bad-2', props: { 'plan.name': 'pro' } },
        'line 2: props key "plan.name" must be 1 to 64 letters, digits, "_" or "-"',
      ],
    ] as const) {
      const refused = await importFile(secondOrg.orgId, 'bad.csv', [importHeader, csvLine(row)].join('\n'));
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(error);
    }
    const notJson = await importFile(
      secondOrg.orgId,
      'bad.csv',
      [importHeader, `${csvLine({ ...event, eventId: 'bad-3', props: undefined })}{plan`].join('\n'),
    );
    expect(notJson.stderr).toContain(
      'line 2: props must be a JSON object such as {"plan":"pro"}; got "{plan"',
    );
  });
});
