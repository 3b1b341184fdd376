import { describe, expect, it } from 'vitest';
import {
  ApiError,
  apiUrlOf,
  describeApiError,
  fetchBreakdown,
  fetchRealtime,
  fetchSite,
  fetchStats,
  isKeyRejected,
} from './api.js';
import { loadConfig } from './config.js';

const query = {
  aggregation: 'hour' as const,
  from: Date.parse('2026-11-25T00:00:00Z'),
  to: Date.parse('2026-11-26T00:00:00Z'),
};
const stats = {
  totals: {
    visitors: 2,
    visits: 3,
    pageviews: 5,
    bounces: 1,
    bounce_rate: 33,
    visit_duration: 65,
    views_per_visit: 1.67,
  },
  series: [
    {
      timeframe: '2026-11-25T10:00:00.000Z',
      visitors: 2,
      visits: 3,
      pageviews: 5,
      bounces: 1,
      visit_duration: 65,
    },
  ],
};
const breakdown = { data: [{ value: 'http://a.test/', visitors: 2, visits: 3, pageviews: 4 }] };

function answering(
  status: number,
  body: unknown,
): { fetchImpl: typeof fetch; requests: { url: string; init?: RequestInit }[] } {
  const requests: { url: string; init?: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    requests.push({ url, ...(init ? { init } : {}) });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
  return { fetchImpl, requests };
}

async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('fetchSite', () => {
  it("asks GET /site with the key in a header, for the site's zone", async () => {
    const { fetchImpl, requests } = answering(200, {
      timezone: 'Europe/Berlin',
      name: 'My blog',
      domains: ['myblog.test'],
    });
    await expect(fetchSite('http://api.test/', 'secret-key', { fetchImpl })).resolves.toEqual({
      timezone: 'Europe/Berlin',
      name: 'My blog',
      domains: ['myblog.test'],
    });
    expect(requests[0]?.url).toBe('http://api.test/site');
    expect(requests[0]?.init?.headers).toEqual({ authorization: 'Bearer secret-key' });
  });

  it.each([
    ['no zone', {}, /no "timezone"/],
    ['an empty zone', { timezone: '' }, /no "timezone"/],
    [
      'a zone the browser does not know',
      { timezone: 'Mars/Olympus_Mons' },
      /does not know the site's time zone, Mars\/Olympus_Mons/,
    ],
  ])('refuses an answer with %s, as a server problem', async (_what, body, message) => {
    const error = await failureOf(fetchSite('http://api.test', 'k', answering(200, body)));
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(message);
  });

  it('passes on a refused key, so the person is sent back to sign in', async () => {
    expect(
      isKeyRejected(
        await failureOf(
          fetchSite('http://api.test', 'k', answering(403, { error: 'This key has been revoked.' })),
        ),
      ),
    ).toBe(true);
  });
});

describe('fetchStats and fetchBreakdown', () => {
  it('send the range as ISO dates and the key only in the authorization header', async () => {
    const { fetchImpl, requests } = answering(200, stats);
    await fetchStats('http://api.test/', 'secret-key', query, { fetchImpl });
    expect(requests[0]?.url).toBe(
      'http://api.test/stats?aggregation=hour&dateFrom=2026-11-25T00%3A00%3A00.000Z&dateTo=2026-11-26T00%3A00%3A00.000Z',
    );
    expect(requests[0]?.url).not.toContain('secret-key');
    expect(requests[0]?.init?.headers).toEqual({ authorization: 'Bearer secret-key' });
  });

  it('send each filter to GET /stats as one filter parameter, and none when there is none', async () => {
    const { fetchImpl, requests } = answering(200, stats);
    await fetchStats(
      'http://api.test',
      'k',
      {
        ...query,
        filters: [
          { property: 'source', operator: 'is', values: ['Direct / None'] },
          { property: 'country', operator: 'is_not', values: ['DE', 'AT'] },
          { property: 'page', operator: 'contains', values: ['/blog'] },
        ],
      },
      { fetchImpl },
    );
    await fetchStats('http://api.test', 'k', { ...query, filters: undefined }, { fetchImpl });
    expect(new URL(requests[0]!.url).searchParams.getAll('filter')).toEqual([
      'source:Direct / None',
      'country!:DE|AT',
      'page~:/blog',
    ]);
    expect(new URL(requests[1]!.url).searchParams.has('filter')).toBe(false);
  });

  it('ask for one breakdown property with a limit', async () => {
    const { fetchImpl, requests } = answering(200, breakdown);
    await expect(
      fetchBreakdown(
        'http://api.test',
        'k',
        { property: 'exit_page', from: query.from, to: query.to, limit: 100 },
        { fetchImpl },
      ),
    ).resolves.toEqual(breakdown);
    expect(requests[0]?.url).toBe(
      'http://api.test/breakdown?property=exit_page&dateFrom=2026-11-25T00%3A00%3A00.000Z&dateTo=2026-11-26T00%3A00%3A00.000Z&limit=100',
    );
  });

  it('returns the body of a 200 answer', async () => {
    await expect(fetchStats('http://api.test', 'k', query, answering(200, stats))).resolves.toEqual(stats);
  });

  it.each([
    [400, 'bad-request'],
    [401, 'unknown-key'],
    [403, 'forbidden-key'],
    [429, 'throttled'],
    [500, 'server'],
  ] as const)('turns status %i into a %s error carrying the API message', async (status, kind) => {
    const error = await failureOf(
      fetchStats('http://api.test', 'k', query, answering(status, { error: 'what went wrong' })),
    );
    expect(error.kind).toBe(kind);
    expect(error.message).toBe('what went wrong');
    expect(error.status).toBe(status);
  });

  it('says the API is unreachable when no answer comes', async () => {
    const fetchImpl = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const error = await failureOf(
      fetchBreakdown('http://api.test', 'k', { property: 'page', from: 0, to: 1, limit: 1 }, { fetchImpl }),
    );
    expect(error.kind).toBe('unreachable');
    expect(describeApiError(error).title).toMatch(/not answering/);
  });

  it.each([
    ['stats', () => fetchStats('http://api.test', 'k', query, answering(200, '<html>proxy</html>'))],
    [
      'breakdown',
      () =>
        fetchBreakdown(
          'http://api.test',
          'k',
          { property: 'page', from: 0, to: 1, limit: 1 },
          answering(200, { data: {} }),
        ),
    ],
  ])('treats a 200 %s answer that is not the documented shape as a server problem', async (_what, call) => {
    expect((await failureOf(call())).kind).toBe('server');
  });
});

describe('describeApiError', () => {
  it('tells a person with a rejected key to sign in again', () => {
    for (const kind of ['unknown-key', 'forbidden-key'] as const) {
      const error = new ApiError(kind, 'Key revoked.');
      expect(isKeyRejected(error)).toBe(true);
      expect(describeApiError(error).action).toMatch(/[Ss]ign in/);
    }
    expect(isKeyRejected(new ApiError('unreachable', 'x'))).toBe(false);
  });

  it("passes on the API's own words about a range that is too large", () => {
    const error = new ApiError('bad-request', 'A minute query can span at most 24 hours.');
    expect(describeApiError(error).action).toContain('at most 24 hours');
  });

  it("says a too-long range's advice once, in the dashboard's words rather than the API's parameters", () => {
    const error = new ApiError(
      'bad-request',
      'The range spans 13,188 months; month aggregation spans at most 36 months. Narrow dateFrom and dateTo, or choose a coarser aggregation.',
    );
    expect(describeApiError(error).action).toBe(
      'The range spans 13,188 months; month aggregation covers at most 36 months. Pick a shorter range or a coarser aggregation.',
    );
    expect(
      describeApiError(
        new ApiError('bad-request', 'dateTo must be a date from 2000-01-01 to 2999-12-31; got "0999-02-01".'),
      ).action,
    ).toBe('The last day must be a date from 2000-01-01 to 2999-12-31; got "0999-02-01".');
  });
});

it('builds the URL without a doubled slash, and without a "?" when there are no parameters', () => {
  expect(apiUrlOf('http://api.test///', '/stats', {})).toBe('http://api.test/stats');
  expect(apiUrlOf('http://api.test/', '/stats', { a: 'b' })).toBe('http://api.test/stats?a=b');
});

describe('fetchRealtime', () => {
  it('asks GET /realtime with the key only in the authorization header', async () => {
    const answer = { visitors: 2, pageviews: 3, pages: [{ value: 'http://a.test/', visitors: 2 }] };
    const { fetchImpl, requests } = answering(200, answer);
    await expect(fetchRealtime('http://api.test/', 'secret-key', { fetchImpl })).resolves.toEqual(answer);
    expect(requests[0]?.url).toBe('http://api.test/realtime');
    expect(requests[0]?.init?.headers).toEqual({ authorization: 'Bearer secret-key' });
  });

  it('turns a revoked key and a malformed answer into ApiErrors', async () => {
    expect(
      (
        await failureOf(
          fetchRealtime('http://api.test', 'k', {
            fetchImpl: answering(403, { error: 'This key has been revoked.' }).fetchImpl,
          }),
        )
      ).kind,
    ).toBe('forbidden-key');
    expect(
      (
        await failureOf(
          fetchRealtime('http://api.test', 'k', { fetchImpl: answering(200, '<html>').fetchImpl }),
        )
      ).kind,
    ).toBe('server');
  });
});

describe('loadConfig', () => {
  it('reads apiUrl and drops a trailing slash', async () => {
    await expect(loadConfig(answering(200, { apiUrl: 'http://localhost:8080/' }).fetchImpl)).resolves.toEqual(
      { apiUrl: 'http://localhost:8080' },
    );
  });
  it('accepts a path on the same origin, as served behind CloudFront', async () => {
    await expect(loadConfig(answering(200, { apiUrl: '/api' }).fetchImpl)).resolves.toEqual({
      apiUrl: '/api',
    });
  });
  it.each([
    [404, 'Not found'],
    [200, { api: 'x' }],
    [200, { apiUrl: 'localhost:8080' }],
  ])('explains a config that cannot be used (%i %j)', async (status, body) => {
    await expect(loadConfig(answering(status, body).fetchImpl)).rejects.toThrow(/config\.json/);
  });
});
