/**
 * ingestVisit with fake dependencies: every way a request is refused, and what is queued for
 * one that is accepted. The same function runs behind HTTP in local/pipeline.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../core/http/request.js';
import type { ResolvedKey } from '../core/store/key-resolver.js';
import { type QueuedView, queuedViewSchema, toQueueMessage } from '../core/domain/queued-view.js';
import { visitorIdFrom, visitorIdFromIdentifier } from '../core/domain/visitor.js';
import { bots, browsers } from '../../test/user-agents.js';
import { type IngestDeps, ingestVisit } from './ingest.js';

const now = Date.parse('2026-03-10T12:00:00.000Z');
const siteKey = 'pvs_site';
const keys: Record<string, ResolvedKey> = {
  [siteKey]: {
    orgId: 'org-1',
    kind: 'site',
    domains: ['example.com'],
    timezone: 'UTC',
    dailyLimit: 1000,
    revoked: false,
  },
  pvs_anywhere: {
    orgId: 'org-2',
    kind: 'site',
    domains: [],
    timezone: 'UTC',
    dailyLimit: 1000,
    revoked: false,
  },
  pvs_revoked: {
    orgId: 'org-1',
    kind: 'site',
    domains: ['example.com'],
    timezone: 'UTC',
    dailyLimit: 1000,
    revoked: true,
  },
  pvs_kolkata: {
    orgId: 'org-3',
    kind: 'site',
    domains: [],
    timezone: 'Asia/Kolkata',
    dailyLimit: 1000,
    revoked: false,
  },
  // A read key stored without its prefix (made by hand): found, but not a site key.
  legacy_read: {
    orgId: 'org-1',
    kind: 'read',
    domains: [],
    timezone: 'UTC',
    dailyLimit: 1000,
    revoked: false,
  },
};

/** Fakes that record what ingest asked for: salts by the day asked, the queued visits. */
function fakeDeps() {
  const queued: QueuedView[] = [];
  const saltDays: string[] = [];
  const refused: string[] = [];
  const deps: IngestDeps = {
    resolveKey: async (key) => keys[key],
    saltFor: async (day) => {
      saltDays.push(day);
      return `salt-${day}`;
    },
    enqueue: async (visit) => {
      queued.push(visit);
    },
    now: () => now,
    tryAcceptDaily: async () => true,
    countRefused: (limit) => {
      refused.push(limit);
    },
  };
  return { deps, queued, saltDays, refused };
}

function request(
  body: unknown,
  overrides: Partial<ApiRequest> & { headers?: Record<string, string> } = {},
): ApiRequest {
  return {
    method: 'POST',
    path: '/visits',
    query: {},
    queryAll: {},
    queryParameterCount: 0,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    sourceIp: '203.0.113.7',
    userAgent: browsers.chromeWindows,
    ...overrides,
    headers: { 'content-type': 'text/plain', ...overrides.headers },
  };
}

const page = 'https://example.com/pricing';
const oversized = JSON.stringify({ key: siteKey, pageUrl: `${page}?${'x'.repeat(5000)}` });

async function accepted(
  body: Record<string, unknown>,
  overrides: Parameters<typeof request>[1] = {},
): Promise<QueuedView> {
  const { deps, queued } = fakeDeps();
  await ingestVisit(request({ key: siteKey, pageUrl: page, ...body }, overrides), deps);
  expect(queued).toHaveLength(1);
  // Whatever ingest queues is what the consumer accepts.
  expect(queuedViewSchema.safeParse(queued[0]).success).toBe(true);
  return queued[0]!;
}

describe('ingestVisit refuses', () => {
  describe.each([
    [
      'a body over 4096 bytes',
      request(oversized),
      413,
      `The body is ${oversized.length} bytes; POST /visits accepts at most 4096 bytes.`,
    ],
    [
      'an XML content type',
      request({ key: siteKey, pageUrl: page }, { headers: { 'content-type': 'application/xml' } }),
      415,
      'Content-Type application/xml is not accepted; send JSON as application/json or text/plain.',
    ],
    [
      'an empty body',
      request(''),
      400,
      'The body is empty; send a JSON object such as {"key": "pvs_...", "pageUrl": "https://example.com/"}.',
    ],
    [
      'a body that is not JSON',
      request('{"key": '),
      400,
      'The body is not valid JSON; send a JSON object such as {"key": "pvs_...", "pageUrl": "https://example.com/"}.',
    ],
    ['a JSON array', request([1, 2]), 400, 'the body must be a JSON object'],
    ['a missing pageUrl', request({ key: siteKey }), 400, 'pageUrl must be an absolute http(s) URL'],
    [
      'a relative pageUrl',
      request({ key: siteKey, pageUrl: '/pricing' }),
      400,
      'pageUrl must be an absolute http(s) URL',
    ],
    [
      'a javascript: pageUrl',
      request({ key: siteKey, pageUrl: 'javascript:alert(1)' }),
      400,
      'pageUrl must be an absolute http(s) URL',
    ],
    [
      'a pageUrl of the wrong type',
      request({ key: siteKey, pageUrl: 42 }),
      400,
      'pageUrl must be an absolute http(s) URL',
    ],
    [
      'a short eventId',
      request({ key: siteKey, pageUrl: page, eventId: 'x' }),
      400,
      'eventId must be 8 to 64 letters, digits, "-" or "_" (a UUID fits)',
    ],
    [
      'a visitedAt that is not ISO-8601',
      request({ key: siteKey, pageUrl: page, visitedAt: 'yesterday' }),
      400,
      'visitedAt must be an ISO-8601 date-time such as 2024-05-01T12:30:00Z',
    ],
    [
      'an empty identifier',
      request({ key: siteKey, pageUrl: page, identifier: '' }),
      400,
      'identifier must not be empty when given',
    ],
    [
      'a long identifier',
      request({ key: siteKey, pageUrl: page, identifier: 'i'.repeat(129) }),
      400,
      'identifier must be at most 128 characters',
    ],
    [
      'a long key',
      request({ key: 'k'.repeat(201), pageUrl: page }),
      400,
      'key must be at most 200 characters',
    ],
    [
      'a referrer of the wrong type',
      request({ key: siteKey, pageUrl: page, referrer: 7 }),
      400,
      'referrer has the wrong type',
    ],
    [
      'no key',
      request({ pageUrl: page }),
      401,
      'A site key is required: send it as the body field "key" or the x-api-key header.',
    ],
    [
      'a read key',
      request({ key: 'pvr_secret', pageUrl: page }),
      403,
      "This is a read key; POST /visits takes the org's site key (it starts with pvs_).",
    ],
    [
      'a share key',
      request({ key: 'pvh_shared', pageUrl: page }),
      403,
      "This is a share key, which only reads a shared dashboard; POST /visits takes the org's site key (it starts with pvs_).",
    ],
    [
      'an unknown key',
      request({ key: 'pvs_nope', pageUrl: page }),
      401,
      'Unknown site key: check the data-key attribute of the tracker script tag.',
    ],
    [
      'a key that resolves to a read key',
      request({ key: 'legacy_read', pageUrl: page }),
      401,
      'Unknown site key: check the data-key attribute of the tracker script tag.',
    ],
    [
      'a revoked key',
      request({ key: 'pvs_revoked', pageUrl: page }),
      403,
      'This site key has been revoked; create a new one with `npm run org -- add-key`.',
    ],
    [
      'a page on another domain',
      request({ key: siteKey, pageUrl: 'https://evil.net/' }),
      403,
      'Pages on evil.net are not counted for this site key; it accepts example.com.',
    ],
    [
      'a page on a look-alike domain',
      request({ key: siteKey, pageUrl: 'https://badexample.com/' }),
      403,
      'Pages on badexample.com are not counted for this site key; it accepts example.com.',
    ],
    [
      'a request from another origin',
      request({ key: siteKey, pageUrl: page }, { headers: { origin: 'https://evil.net' } }),
      403,
      'Requests from evil.net are not accepted for this site key; it accepts example.com.',
    ],
    [
      'a visitedAt over 5 minutes ahead',
      request({ key: siteKey, pageUrl: page, visitedAt: '2026-03-10T12:05:01Z' }),
      400,
      "visitedAt must be an ISO-8601 time no more than 5 minutes in the future; omit it to use the server's clock.",
    ],
    [
      'a visitedAt over 24 hours old',
      request({ key: siteKey, pageUrl: page, visitedAt: '2026-03-09T11:59:59Z' }),
      400,
      'visitedAt must be within the last 24 hours; older visits are not accepted.',
    ],
    [
      'a pageUrl over 2048 characters without its query',
      request({ key: siteKey, pageUrl: `https://example.com/${'p'.repeat(2040)}` }),
      400,
      'pageUrl without its query string must be at most 2048 characters; this one has 2060.',
    ],
  ])('%s', (_name, req, status, message) => {
    it(`with ${status} and says what is accepted, and queues nothing`, async () => {
      const { deps, queued } = fakeDeps();
      const error = await ingestVisit(req, deps).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ statusCode: status, message });
      expect(queued).toHaveLength(0);
    });
  });
});

describe('ingestVisit accepts', () => {
  it("a view and queues it with the server's time and a new eventId", async () => {
    const visit = await accepted({});
    expect(visit).toMatchObject({ orgId: 'org-1', pageUrl: page, visitedAt: '2026-03-10T12:00:00.000Z' });
    expect(visit.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns and queues the eventId the client sent', async () => {
    const { deps, queued } = fakeDeps();
    const answer = await ingestVisit(
      request({ key: siteKey, pageUrl: page, eventId: 'client-event-1' }),
      deps,
    );
    expect(answer).toEqual({ eventId: 'client-event-1' });
    expect(queued[0]!.eventId).toBe('client-event-1');
  });

  it('the key from the x-api-key header', async () => {
    const { deps, queued } = fakeDeps();
    await ingestVisit(request({ pageUrl: page }, { headers: { 'x-api-key': siteKey } }), deps);
    expect(queued[0]!.orgId).toBe('org-1');
  });

  it('a JSON content type with a charset, and none at all', async () => {
    for (const contentType of ['application/json; charset=utf-8', '']) {
      const { deps, queued } = fakeDeps();
      await ingestVisit(
        request({ key: siteKey, pageUrl: page }, { headers: { 'content-type': contentType } }),
        deps,
      );
      expect(queued).toHaveLength(1);
    }
  });

  it('a late view within 24 hours at its own time', async () => {
    const visit = await accepted({ visitedAt: '2026-03-09T13:30:00+01:00' });
    expect(visit.visitedAt).toBe('2026-03-09T12:30:00.000Z');
  });

  describe.each([
    ['a subdomain page', { pageUrl: 'https://shop.example.com/' }, {}],
    ['a page of an org with no domains', { key: 'pvs_anywhere', pageUrl: 'https://anything.dev/' }, {}],
    ['an opaque origin (sandboxed frame)', {}, { origin: 'null' }],
    ['a subdomain origin', {}, { origin: 'https://www.example.com' }],
  ])('%s', (_name, body, headers) => {
    it('and queues it', async () => {
      const { deps, queued } = fakeDeps();
      await ingestVisit(request({ key: siteKey, pageUrl: page, ...body }, { headers }), deps);
      expect(queued).toHaveLength(1);
    });
  });

  describe.each([
    ['https://example.com/pricing?plan=pro&utm_source=x', 'https://example.com/pricing'],
    ['https://example.com/docs#install', 'https://example.com/docs'],
    ['https://example.com/app/#/settings?tab=2', 'https://example.com/app/#/settings?tab=2'],
    ['https://example.com/app#!/inbox', 'https://example.com/app#!/inbox'],
    ['https://EXAMPLE.com:443/a b', 'https://example.com/a%20b'],
  ])('the page %s', (pageUrl, counted) => {
    it(`counted as ${counted}`, async () => {
      expect((await accepted({ pageUrl })).pageUrl).toBe(counted);
    });
  });
});

describe('the visitor id', () => {
  it("is the salted hash of the day's salt, org, IP and User-Agent", async () => {
    const { deps, queued, saltDays } = fakeDeps();
    await ingestVisit(request({ key: siteKey, pageUrl: page, visitedAt: '2026-03-09T23:00:00Z' }), deps);
    // The salt of the day the view happened, not of the day it arrived.
    expect(saltDays).toEqual(['2026-03-09']);
    expect(queued[0]!.visitorId).toBe(
      visitorIdFrom({
        salt: 'salt-2026-03-09',
        orgId: 'org-1',
        ip: '203.0.113.7',
        userAgent: browsers.chromeWindows,
      }),
    );
    expect(queued[0]!.siteZone).toBeUndefined();
  });

  it("uses the salt of the site's local day, and names the site's zone for the consumer", async () => {
    const { deps, queued, saltDays } = fakeDeps();
    // 23:00 UTC on 9 March is 04:30 on 10 March in Kolkata.
    await ingestVisit(
      request({ key: 'pvs_kolkata', pageUrl: page, visitedAt: '2026-03-09T23:00:00Z' }),
      deps,
    );
    expect(saltDays).toEqual(['2026-03-10']);
    expect(queued[0]!.siteZone).toBe('Asia/Kolkata');
    expect(queuedViewSchema.safeParse(queued[0]).success).toBe(true);
    expect(queuedViewSchema.safeParse({ ...queued[0], siteZone: 'Mars/Olympus' }).success).toBe(false);
  });

  it('differs for another IP or browser, and is the same for the same ones', async () => {
    const ids = [];
    for (const overrides of [{}, {}, { sourceIp: '203.0.113.8' }, { userAgent: browsers.firefoxLinux }]) {
      ids.push((await accepted({}, overrides)).visitorId);
    }
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(3);
  });

  it("comes from the site's identifier when given, without a salt, whatever the IP", async () => {
    const { deps, queued, saltDays } = fakeDeps();
    await ingestVisit(request({ key: siteKey, pageUrl: page, identifier: 'user-42' }), deps);
    await ingestVisit(
      request({ key: siteKey, pageUrl: page, identifier: 'user-42' }, { sourceIp: '198.51.100.1' }),
      deps,
    );
    expect(saltDays).toEqual([]);
    expect(queued.map((v) => v.visitorId)).toEqual([
      visitorIdFromIdentifier('org-1', 'user-42'),
      visitorIdFromIdentifier('org-1', 'user-42'),
    ]);
    expect(queued[0]!.visitorId).not.toBe(visitorIdFromIdentifier('org-2', 'user-42'));
  });
});

describe('what ingest derives for the consumer', () => {
  const base = { orgId: 'org-1', pageUrl: page, visitedAt: '2026-03-10T12:00:00.000Z' };

  describe.each([
    [
      'Chrome on Windows from Google, in Berlin',
      { referrer: 'https://www.google.com/', tz: 'Europe/Berlin' },
      { userAgent: browsers.chromeWindows },
      {
        browser: 'Chrome',
        os: 'Windows',
        device: 'desktop',
        country: 'DE',
        source: 'Google',
        referrer: 'google.com',
        channel: 'Organic Search',
      },
    ],
    [
      'Safari on an iPhone from a newsletter link, in India',
      {
        pageUrl: `${page}?utm_source=newsletter&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content=top`,
        tz: 'Asia/Calcutta',
      },
      { userAgent: browsers.safariIphone },
      {
        browser: 'Safari',
        os: 'iOS',
        device: 'mobile',
        country: 'IN',
        source: 'newsletter',
        channel: 'Email',
        utm_source: 'newsletter',
        utm_medium: 'email',
        utm_campaign: 'spring',
        utm_term: 'shoes',
        utm_content: 'top',
      },
    ],
    [
      "Firefox on Linux from Hacker News, with CloudFront's country",
      { referrer: 'https://news.ycombinator.com/item?id=1', tz: 'Europe/Berlin' },
      { userAgent: browsers.firefoxLinux, headers: { 'cloudfront-viewer-country': 'FR' } },
      {
        browser: 'Firefox',
        os: 'Linux',
        device: 'desktop',
        country: 'FR',
        source: 'Hacker News',
        referrer: 'news.ycombinator.com/item',
        channel: 'Organic Social',
      },
    ],
    [
      'Edge from an unknown blog, with a ref tag',
      { pageUrl: `${page}?ref=friends`, referrer: 'https://www.someblog.net/post/?id=3' },
      { userAgent: browsers.edgeWindows },
      {
        browser: 'Edge',
        os: 'Windows',
        device: 'desktop',
        source: 'friends',
        referrer: 'someblog.net/post',
        channel: 'Referral',
      },
    ],
    [
      'Safari on an iPad following a link on the site itself',
      { referrer: 'https://www.example.com/blog' },
      { userAgent: browsers.safariIpad },
      { browser: 'Safari', os: 'iOS', device: 'tablet' },
    ],
    [
      'Chrome on Android with an unknown time zone',
      { tz: 'Mars/Olympus_Mons' },
      { userAgent: browsers.chromeAndroid },
      { browser: 'Chrome', os: 'Android', device: 'mobile' },
    ],
  ])('for %s', (_name, body, overrides, expected) => {
    it('queues exactly the known fields', async () => {
      const visit = await accepted(body, overrides);
      const { eventId: _eventId, visitorId: _visitorId, ...rest } = visit;
      expect(rest).toEqual({ ...base, ...expected });
    });
  });

  describe.each(Object.entries(bots))('for the bot %s', (_name, userAgent) => {
    it('queues the view flagged as a bot, with nothing else derived', async () => {
      const visit = await accepted(
        { pageUrl: `${page}?utm_source=x`, referrer: 'https://www.google.com/', tz: 'Europe/Berlin' },
        { userAgent },
      );
      const { eventId: _eventId, visitorId: _visitorId, ...rest } = visit;
      expect(rest).toEqual({ ...base, bot: true });
    });
  });

  describe.each([
    ['a number', 5],
    ['null', null],
    ['an object', { zone: 'Europe/Berlin' }],
    ['a long string', 'Europe/'.repeat(20)],
  ])('with a tz that is %s', (_name, tz) => {
    it('ignores it and still counts the view', async () => {
      const visit = await accepted({ tz });
      expect(visit.country).toBeUndefined();
    });
  });

  it('never puts the User-Agent, the time zone or the raw URLs on the queue', async () => {
    const visit = await accepted(
      {
        pageUrl: `${page}?email=me%40mail.test&utm_campaign=c`,
        referrer: 'https://blog.example.org/p?token=secret',
        tz: 'Europe/Berlin',
      },
      { userAgent: browsers.firefoxLinux },
    );
    const message = toQueueMessage(visit);
    for (const leak of ['Mozilla', 'Gecko', 'Europe/Berlin', 'email', 'token', 'secret'])
      expect(message).not.toContain(leak);
  });
});

describe('control characters in what is counted', () => {
  const event = (name: string) => request({ key: siteKey, pageUrl: page, name }, { path: '/events' });

  it('trims an event name, so "Signup\\n" is the "Signup" row', async () => {
    const { deps, queued } = fakeDeps();
    await ingestVisit(event(' Signup\n'), deps);
    expect(queued[0]?.name).toBe('Signup');
  });

  it.each(['Sign\u0000up', 'Sign\nup', 'Sign\u0085up'])(
    'refuses an event name with a control character inside (%j) with a 400 that says why',
    async (name) => {
      const { deps, queued } = fakeDeps();
      const error = await ingestVisit(event(name), deps).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        statusCode: 400,
        message: expect.stringMatching(/name must not contain control characters.*such as "Signup"/),
      });
      expect(queued).toHaveLength(0);
    },
  );

  it('cleans campaign tags of a visitor link instead of refusing the page view', async () => {
    const visit = await accepted({ pageUrl: `${page}?utm_source=news%00letter%0A&utm_campaign=%07spring` });
    expect(visit).toMatchObject({ source: 'newsletter', utm_source: 'newsletter', utm_campaign: 'spring' });
  });
});

describe('the abuse limits', () => {
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e as { statusCode: number; message: string; retryAfterSeconds?: number },
    );

  it("refuses a view past the org's daily limit with 429, the limit and the time to local midnight, and queues nothing", async () => {
    const { deps, queued, refused } = fakeDeps();
    const asked: unknown[] = [];
    deps.tryAcceptDaily = async (...args) => {
      asked.push(args);
      return false;
    };
    const error = await refusal(ingestVisit(request({ key: 'pvs_kolkata', pageUrl: page }), deps));
    expect(error).toMatchObject({ statusCode: 429 });
    expect(error!.message).toMatch(
      /^This site has reached its daily limit of 1000 accepted views \(days in Asia\/Kolkata\); views are accepted again from midnight\. .*--daily-limit/,
    );
    // 12:00 UTC is 17:30 in Kolkata: 6 h 30 min to its midnight.
    expect(error!.retryAfterSeconds).toBe(6.5 * 3600);
    expect(asked).toEqual([['org-3', '2026-03-10', 1000]]);
    expect(queued).toHaveLength(0);
    expect(refused).toEqual(['dailyLimit']);
  });

  it('spends no daily allowance on a request it refuses for another reason', async () => {
    const { deps } = fakeDeps();
    let asked = 0;
    deps.tryAcceptDaily = async () => {
      asked++;
      return true;
    };
    await refusal(ingestVisit(request({ key: siteKey, pageUrl: 'https://elsewhere.test/' }), deps));
    await refusal(ingestVisit(request({ key: 'pvs_unknown', pageUrl: page }), deps));
    expect(asked).toBe(0);
    await ingestVisit(request({ key: siteKey, pageUrl: page }), deps);
    expect(asked).toBe(1);
  });

  it('refuses a client over its limit before reading anything, with 429 and Retry-After 1', async () => {
    const { deps, queued, refused } = fakeDeps();
    const clients: unknown[] = [];
    deps.admitClient = (client) => {
      clients.push(client);
      return false;
    };
    deps.resolveKey = async () => {
      throw new Error('must not be looked up');
    };
    const error = await refusal(ingestVisit(request({ key: siteKey, pageUrl: page }), deps));
    expect(error).toMatchObject({ statusCode: 429, retryAfterSeconds: 1 });
    expect(error!.message).toMatch(/^Too many requests from this client/);
    expect(clients).toEqual([{ ip: '203.0.113.7', userAgent: browsers.chromeWindows }]);
    expect(queued).toHaveLength(0);
    expect(refused).toEqual(['clientLimit']);
  });
});

describe('POST /events props', () => {
  const event = (props: unknown, extra: Record<string, unknown> = {}) =>
    request({ key: siteKey, pageUrl: page, name: 'Purchase', props, ...extra }, { path: '/events' });
  const refusal = async (req: ApiRequest) => {
    const { deps, queued } = fakeDeps();
    const error = await ingestVisit(req, deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(queued).toHaveLength(0);
    return error;
  };
  const thirtyOne = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']));

  it.each([
    [
      'not an object',
      ['pro'],
      'props must be an object of property names to values, such as {"plan": "pro"}',
    ],
    ['31 entries', thirtyOne, 'props has 31 entries; at most 30 are accepted'],
    [
      'a key with a space',
      { 'the plan': 'pro' },
      'props key "the plan" must be 1 to 64 letters, digits, "_" or "-"',
    ],
    ['an empty key', { '': 'pro' }, 'props key "" must be 1 to 64 letters, digits, "_" or "-"'],
    [
      'a key of 65 characters',
      { ['k'.repeat(65)]: 'pro' },
      `props key "${'k'.repeat(65)}" must be 1 to 64 letters, digits, "_" or "-"`,
    ],
    ['an object value', { plan: { id: 1 } }, 'props.plan must be a string, a number or a boolean'],
    ['a null value', { plan: null }, 'props.plan must be a string, a number or a boolean'],
    ['an empty value', { plan: '' }, 'props.plan must be 1 to 2000 characters; it has 0'],
    [
      'a value of 2,001 characters',
      { plan: 'p'.repeat(2001) },
      'props.plan must be 1 to 2000 characters; it has 2001',
    ],
  ])('refuses %s with a 400 that names the key and the rule', async (_case, props, message) => {
    expect(await refusal(event(props))).toMatchObject({ statusCode: 400, message });
  });

  it('queues 30 properties of 2,000 characters, numbers and booleans as strings', async () => {
    const props = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`key_${i}`, 'v'.repeat(2000)]));
    const { deps, queued } = fakeDeps();
    await ingestVisit(event({ ...props, key_0: 42, key_1: true }), deps);
    expect(queued[0]!.props).toEqual({ ...props, key_0: '42', key_1: 'true' });
    expect(queuedViewSchema.safeParse(JSON.parse(toQueueMessage(queued[0]!))).success).toBe(true);
  });

  it('leaves out an empty props object and ignores props on a page view', async () => {
    expect((await accepted({ name: 'Purchase', props: {} }, { path: '/events' })).props).toBeUndefined();
    expect((await accepted({ props: { plan: 'pro' } })).props).toBeUndefined();
  });

  it('takes event bodies up to 64 KB and refuses larger ones with 413', async () => {
    const error = await refusal(event({ plan: 'p'.repeat(2000) }, { padding: 'x'.repeat(66_000) }));
    expect(error).toMatchObject({ statusCode: 413 });
    expect((error as Error).message).toMatch(/POST \/events accepts at most 65536 bytes/);
  });
});
