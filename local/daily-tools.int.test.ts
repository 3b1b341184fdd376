/**
 * The owner's daily tools over HTTP on the local stack: `format=csv` gives the JSON answer's rows
 * for every read route, and share keys read their own org only, cannot post, and stop on revoke.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, createOrg, listOrgs, revokeKey, setOrgTimezone } from '../lambdas/core/store/orgs.js';
import { getVisits, postVisit, startTestStack } from '../test/helpers.js';
import { browsers } from '../test/user-agents.js';
import { consumeBatch } from '../lambdas/consume/consume.js';
import type { LocalStack } from './stack.js';

const MINUTE = 60_000;
const now = Date.now();
// A comma and an "=" in a path: quoting and the guard's "starts with" both get exercised.
const pages = ['https://shop.test/', 'https://shop.test/a,b', 'https://shop.test/=cmd'];
const views = [
  { who: 'ann', page: pages[0]!, at: now - 50 * MINUTE },
  { who: 'ann', page: pages[1]!, at: now - 48 * MINUTE },
  { who: 'ben', page: pages[2]!, at: now - 30 * MINUTE },
  { who: 'cat', page: pages[1]!, at: now - 10 * MINUTE },
  { who: 'cat', page: pages[2]!, at: now - 9 * MINUTE },
];
const range = {
  dateFrom: new Date(now - 2 * 60 * MINUTE).toISOString(),
  dateTo: new Date(now + MINUTE).toISOString(),
};

let stack: LocalStack;
let shop: { orgId: string; siteKey: string; readKey: string };
let other: { orgId: string; siteKey: string; readKey: string };

beforeAll(async () => {
  stack = await startTestStack();
  const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
  [shop, other] = await Promise.all([
    createOrg(deps, { name: 'shop', domains: ['shop.test'] }),
    createOrg(deps, { name: 'other', domains: ['other.test'] }),
  ]);
  const post = (key: string, pageUrl: string, identifier: string, at: number) =>
    postVisit(
      stack.apiUrl,
      { key, pageUrl, identifier, eventId: randomUUID(), visitedAt: new Date(at).toISOString() },
      { headers: { 'user-agent': browsers.chromeWindows } },
    );
  for (const v of views) expect((await post(shop.siteKey, v.page, v.who, v.at)).status).toBe(202);
  expect((await post(other.siteKey, 'https://other.test/secret', 'zed', now - 5 * MINUTE)).status).toBe(202);
  expect(await stack.drain()).toBe(true);
});
afterAll(() => stack?.stop());

/** RFC 4180, written here independently of the product: quoted cells, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  expect(cell).toBe(''); // every line ended in CRLF
  return rows;
}

async function getCsv(key: string, route: string, params: Record<string, string>) {
  const response = await fetch(
    `${stack.apiUrl}${route}?${new URLSearchParams({ ...params, format: 'csv' })}`,
    { headers: { authorization: `Bearer ${key}` } },
  );
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The CSV's lines as objects, numbers back to numbers, for comparison with the JSON rows. */
function records(text: string): Record<string, string | number>[] {
  const [header, ...lines] = parseCsv(text);
  return lines.map((cells) =>
    Object.fromEntries(
      header!.map((name, i) => [name, /^\d+$/.test(cells[i]!) ? Number(cells[i]) : cells[i]!]),
    ),
  );
}

describe('format=csv', () => {
  it('GET /visits: one line per page and bucket, equal to the JSON answer, which is unchanged', async () => {
    const params = { aggregation: 'minute', ...range };
    const plain = await fetch(`${stack.apiUrl}/visits?${new URLSearchParams(params)}`, {
      headers: { authorization: `Bearer ${shop.readKey}` },
    });
    const plainText = await plain.text();
    const json = JSON.parse(plainText) as {
      data: Record<string, { timeframe: string; visit_count: number }[]>;
    };
    expect(Object.keys(json.data)).toEqual([...pages].sort());
    // The JSON answer is what it always was: explicit format=json gives the same bytes.
    const explicit = await getVisits(stack.apiUrl, shop.readKey, { ...params, format: 'json' });
    expect(JSON.stringify(explicit.body)).toBe(plainText);
    expect(plain.headers.get('content-type')).toBe('application/json; charset=utf-8');

    const csv = await getCsv(shop.readKey, '/visits', params);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const stamp = (iso: string) => iso.slice(0, 16).replace(':', '-');
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="pageviews-visits-${stamp(range.dateFrom)}--${stamp(range.dateTo)}.csv"`,
    );
    expect(csv.text.split('\r\n')[0]).toBe('page,timeframe,visit_count');
    expect(csv.text).toContain('"https://shop.test/a,b",');
    // The site is in UTC: the CSV's times are the JSON's, to the second, with their Z.
    expect(records(csv.text)).toEqual(
      Object.entries(json.data).flatMap(([page, points]) =>
        points.map((p) => ({ page, ...p, timeframe: `${p.timeframe.slice(0, 19)}Z` })),
      ),
    );
    expect(records(csv.text).reduce((n, r) => n + (r.visit_count as number), 0)).toBe(views.length);
  });

  it('GET /stats: the series rows, equal to the JSON answer', async () => {
    const params = { aggregation: 'minute', ...range };
    const json = await getVisits(stack.apiUrl, shop.readKey, params, '/stats');
    const csv = await getCsv(shop.readKey, '/stats', params);
    expect(csv.text.split('\r\n')[0]).toBe('timeframe,visitors,visits,pageviews,bounces,visit_duration');
    expect(json.body.series).toHaveLength(views.length);
    expect(records(csv.text).map((r) => ({ ...r, timeframe: new Date(r.timeframe!).toISOString() }))).toEqual(
      json.body.series,
    );
    expect(csv.headers.get('content-disposition')).toMatch(
      /^attachment; filename="pageviews-stats-[\dT-]+--[\dT-]+\.csv"$/,
    );
  });

  it("GET /stats of a Paris site: rows and file name in the site's dates, with the offset", async () => {
    const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
    const paris = await createOrg(deps, { name: 'paris' });
    await setOrgTimezone(deps, paris.orgId, 'Europe/Paris');
    const visit = {
      orgId: paris.orgId,
      eventId: randomUUID(),
      visitorId: 'v1',
      pageUrl: 'https://paris.test/',
      visitedAt: '2026-11-30T23:30:00.000Z',
      siteZone: 'Europe/Paris',
    };
    const outcome = await consumeBatch([{ messageId: randomUUID(), body: JSON.stringify(visit) }], {
      doc: stack.doc,
      countersTable: stack.resources.countersTable,
      visitsTable: stack.resources.visitsTable,
    });
    expect(outcome.failedMessageIds).toEqual([]);
    const csv = await getCsv(paris.readKey, '/stats', {
      aggregation: 'day',
      dateFrom: '2026-11-28',
      dateTo: '2026-12-03',
    });
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="pageviews-stats-2026-11-28--2026-12-03.csv"',
    );
    // 23:30 UTC on 30 November is 00:30 on 1 December in Paris: that local day's line.
    expect(csv.text.split('\r\n')[1]).toBe('2026-12-01T00:00:00+01:00,1,1,1,1,0');
  });

  it.each(['page', 'entry_page', 'exit_page'])(
    'GET /breakdown?property=%s: its rows, equal to the JSON answer',
    async (property) => {
      const params = { property, ...range };
      const json = await getVisits(stack.apiUrl, shop.readKey, params, '/breakdown');
      const csv = await getCsv(shop.readKey, '/breakdown', params);
      // The Pages rows also carry time on page and scroll depth (empty where no view reported one).
      const engagement = property === 'page' ? ',time_on_page,scroll_depth' : '';
      expect(csv.text.split('\r\n')[0]).toBe(`value,visitors,visits,pageviews${engagement}`);
      expect(json.body.data.length).toBeGreaterThan(0);
      expect(records(csv.text)).toEqual(
        json.body.data.map((row: Record<string, unknown>) =>
          Object.fromEntries(Object.entries(row).map(([name, value]) => [name, value ?? ''])),
        ),
      );
      expect(csv.headers.get('content-disposition')).toContain(`filename="pageviews-breakdown-${property}-`);
    },
  );

  it('refuses an unknown format, naming json and csv', async () => {
    const response = await getVisits(stack.apiUrl, shop.readKey, { ...range, format: 'xlsx' }, '/stats');
    expect(response).toMatchObject({
      status: 400,
      body: { error: 'format must be one of json, csv; got "xlsx".' },
    });
  });
});

describe('share keys', () => {
  it('read their own org on every route, as the read key does, and nothing of another org', async () => {
    const share = await addKey({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, shop.orgId, 'share');
    expect(share.key).toMatch(/^pvh_/);
    for (const [route, params] of [
      ['/visits', { aggregation: 'hour', ...range }],
      ['/stats', { aggregation: 'hour', ...range }],
      ['/breakdown', { property: 'page', ...range }],
    ] as const) {
      const [byShare, byRead] = await Promise.all([
        getVisits(stack.apiUrl, share.key, params, route),
        getVisits(stack.apiUrl, shop.readKey, params, route),
      ]);
      expect(byShare.status).toBe(200);
      expect(byShare.body).toEqual(byRead.body);
      expect(JSON.stringify(byShare.body)).not.toContain('other.test');
    }
    // The other org's data is there, for its own keys only.
    expect(Object.keys((await getVisits(stack.apiUrl, other.readKey, range)).body.data)).toEqual([
      'https://other.test/secret',
    ]);
    const csv = await getCsv(share.key, '/breakdown', { property: 'page', ...range });
    expect(csv.status).toBe(200);
  });

  it('cannot post a visit, and say so', async () => {
    const share = await addKey({ doc: stack.doc, orgsTable: stack.resources.orgsTable }, shop.orgId, 'share');
    const post = await postVisit(
      stack.apiUrl,
      { key: share.key, pageUrl: pages[0] },
      { headers: { 'user-agent': browsers.chromeWindows } },
    );
    expect(post).toMatchObject({
      status: 403,
      body: {
        error:
          "This is a share key, which only reads a shared dashboard; POST /visits takes the org's site key (it starts with pvs_).",
      },
    });
    const asHeader = await postVisit(
      stack.apiUrl,
      { pageUrl: pages[0] },
      { headers: { 'user-agent': browsers.chromeWindows, 'x-api-key': share.key } },
    );
    expect(asHeader.status).toBe(403);
  });

  it('stop reading once revoked with revoke-key, and the site key still cannot read', async () => {
    const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
    const share = await addKey(deps, shop.orgId, 'share');
    expect(
      (await listOrgs(deps)).find((o) => o.orgId === shop.orgId)!.keys.find((k) => k.keyId === share.keyId)
        ?.kind,
    ).toBe('share');
    await revokeKey(deps, shop.orgId, share.keyId);
    // Never read before, so not in the API's key cache: the revocation shows at once (a used key within 60 s).
    const read = await getVisits(stack.apiUrl, share.key, range, '/stats');
    expect(read).toMatchObject({
      status: 403,
      body: { error: 'This shared link has been revoked; ask the owner of the site for a new one.' },
    });
    expect((await getVisits(stack.apiUrl, shop.siteKey, range, '/stats')).status).toBe(403);
  });
});
