import { describe, expect, it } from 'vitest';
import { describeApiError, fetchVisits, isKeyRejected, VisitsApiError, visitsUrl } from './api.js';
import { loadConfig } from './config.js';

const query = { aggregation: 'hour' as const, from: Date.parse('2026-11-25T10:00:00Z'), to: Date.parse('2026-11-25T14:00:00Z') };

function answering(status: number, body: unknown): { fetchImpl: typeof fetch; requests: { url: string; init?: RequestInit }[] } {
  const requests: { url: string; init?: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    requests.push({ url, ...(init ? { init } : {}) });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
  return { fetchImpl, requests };
}

async function failureOf(promise: Promise<unknown>): Promise<VisitsApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof VisitsApiError)) throw new Error(`expected a VisitsApiError, got ${String(error)}`);
  return error;
}

describe('fetchVisits', () => {
  it('sends the range as ISO dates and the key only in the authorization header', async () => {
    const { fetchImpl, requests } = answering(200, { data: {} });
    await fetchVisits('http://api.test/', 'secret-key', query, { fetchImpl });
    expect(requests[0]?.url).toBe(
      'http://api.test/visits?aggregation=hour&dateFrom=2026-11-25T10%3A00%3A00.000Z&dateTo=2026-11-25T14%3A00%3A00.000Z',
    );
    expect(requests[0]?.url).not.toContain('secret-key');
    expect(requests[0]?.init?.headers).toEqual({ authorization: 'Bearer secret-key' });
  });

  it('returns the data of a 200 answer', async () => {
    const body = { data: { '/a': [{ timeframe: '2026-11-25T10:00:00.000Z', visit_count: 3 }] } };
    await expect(fetchVisits('http://api.test', 'k', query, answering(200, body))).resolves.toEqual(body);
  });

  it.each([
    [400, 'bad-request'],
    [401, 'unknown-key'],
    [403, 'forbidden-key'],
    [429, 'throttled'],
    [500, 'server'],
  ] as const)('turns status %i into a %s error carrying the API message', async (status, kind) => {
    const error = await failureOf(fetchVisits('http://api.test', 'k', query, answering(status, { error: 'what went wrong' })));
    expect(error.kind).toBe(kind);
    expect(error.message).toBe('what went wrong');
    expect(error.status).toBe(status);
  });

  it('says the API is unreachable when no answer comes', async () => {
    const fetchImpl = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const error = await failureOf(fetchVisits('http://api.test', 'k', query, { fetchImpl }));
    expect(error.kind).toBe('unreachable');
    expect(describeApiError(error).title).toMatch(/not answering/);
  });

  it('treats a 200 that is not the documented shape as a server problem', async () => {
    const error = await failureOf(fetchVisits('http://api.test', 'k', query, answering(200, '<html>proxy</html>')));
    expect(error.kind).toBe('server');
  });
});

describe('describeApiError', () => {
  it('tells a person with a rejected key to sign in again', () => {
    for (const kind of ['unknown-key', 'forbidden-key'] as const) {
      const error = new VisitsApiError(kind, 'Key revoked.');
      expect(isKeyRejected(error)).toBe(true);
      expect(describeApiError(error).action).toMatch(/[Ss]ign in/);
    }
    expect(isKeyRejected(new VisitsApiError('unreachable', 'x'))).toBe(false);
  });

  it("passes on the API's own words about a range that is too large", () => {
    const error = new VisitsApiError('bad-request', 'A minute query can span at most 24 hours.');
    expect(describeApiError(error).action).toContain('at most 24 hours');
  });
});

it('builds the URL without a doubled slash', () => {
  expect(visitsUrl('http://api.test///', query)).toMatch(/^http:\/\/api\.test\/visits\?/);
});

describe('loadConfig', () => {
  it('reads apiUrl and drops a trailing slash', async () => {
    await expect(loadConfig(answering(200, { apiUrl: 'http://localhost:8080/' }).fetchImpl)).resolves.toEqual({ apiUrl: 'http://localhost:8080' });
  });
  it('accepts a path on the same origin, as served behind CloudFront', async () => {
    await expect(loadConfig(answering(200, { apiUrl: '/api' }).fetchImpl)).resolves.toEqual({ apiUrl: '/api' });
  });
  it.each([
    [404, 'Not found'],
    [200, { api: 'x' }],
    [200, { apiUrl: 'localhost:8080' }],
  ])('explains a config that cannot be used (%i %j)', async (status, body) => {
    await expect(loadConfig(answering(status, body).fetchImpl)).rejects.toThrow(/config\.json/);
  });
});
