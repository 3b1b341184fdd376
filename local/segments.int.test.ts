/**
 * Saved segments over HTTP, through the real query handler on both API flavours (HTTP API v2
 * events, and REST API v1 events as on LocalStack): the owner's read key lists, saves, replaces
 * and deletes; a share link only lists; bad bodies are 400s that say what is accepted.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, createOrg } from '../lambdas/core/store/orgs.js';
import type { SegmentsAnswer } from '../lambdas/query/answers.js';
import { startTestStack } from '../test/helpers.js';
import { createApiListener } from './api-server.js';
import { loadHandlers } from './lambda-runtime.js';
import type { LocalStack } from './stack.js';

const dashboardOrigin = 'http://dashboard.test';
let stack: LocalStack;
let restServer: Server;
let restUrl: string;

beforeAll(async () => {
  stack = await startTestStack();
  const handlers = await loadHandlers(stack.env);
  restServer = createServer(
    createApiListener({ ...handlers, queryOrigins: [dashboardOrigin], eventVersion: '1.0' }),
  );
  await new Promise<void>((resolve) => restServer.listen(0, '127.0.0.1', resolve));
  restUrl = `http://127.0.0.1:${(restServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => restServer?.close(resolve));
  await stack?.stop();
});

/** A fresh org per flavour, with its read, share and site keys. */
async function newOrg() {
  const deps = { doc: stack.doc, orgsTable: stack.resources.orgsTable };
  const org = await createOrg(deps, { name: 'Segments' });
  const share = await addKey(deps, org.orgId, 'share');
  return { ...org, shareKey: share.key };
}

describe.each([
  ['HTTP API (v2 events)', () => stack.apiUrl],
  ['REST API (v1 events)', () => restUrl],
])('segments on the %s', (_flavour, baseUrl) => {
  const call = (key: string, method: string, query = '', body?: unknown) =>
    fetch(`${baseUrl()}/segments${query}`, {
      method,
      headers: { authorization: `Bearer ${key}` },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const list = async (key: string) => ((await (await call(key, 'GET')).json()) as SegmentsAnswer).segments;
  const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;

  it('lists nothing, saves, replaces by name and deletes with the read key', async () => {
    const { readKey } = await newOrg();
    expect(await list(readKey)).toEqual([]);

    const saved = await call(readKey, 'PUT', '', {
      name: 'Google, not DE',
      filters: ['source:Google', 'country!:DE'],
    });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('cache-control')).toBe('no-store');
    expect(await saved.json()).toMatchObject({
      name: 'Google, not DE',
      filters: ['source:Google', 'country!:DE'],
    });
    await call(readKey, 'PUT', '', { name: 'Blog', filters: ['page~:/blog', 'device:Mobile|Tablet'] });
    await call(readKey, 'PUT', '', { name: 'Google, not DE', filters: ['source:Google', 'country!:DE|AT'] });

    expect((await list(readKey)).map(({ name, filters }) => ({ name, filters }))).toEqual([
      { name: 'Blog', filters: ['page~:/blog', 'device:Mobile|Tablet'] },
      { name: 'Google, not DE', filters: ['source:Google', 'country!:DE|AT'] },
    ]);

    const deleted = await call(readKey, 'DELETE', `?name=${encodeURIComponent('Google, not DE')}`);
    expect(deleted.status).toBe(204);
    const again = await call(readKey, 'DELETE', `?name=${encodeURIComponent('Google, not DE')}`);
    expect(again.status).toBe(404);
    expect(await errorOf(again)).toMatch(/No segment is named "Google, not DE"; GET \/segments lists them/);
    expect((await list(readKey)).map((s) => s.name)).toEqual(['Blog']);
  });

  it('lets a share link list the segments but not change them, and a site key do neither', async () => {
    const { readKey, shareKey, siteKey } = await newOrg();
    await call(readKey, 'PUT', '', { name: 'Mobile', filters: ['device:Mobile'] });

    expect((await list(shareKey)).map((s) => s.name)).toEqual(['Mobile']);
    const put = await call(shareKey, 'PUT', '', { name: 'Mine', filters: ['os:iOS'] });
    const del = await call(shareKey, 'DELETE', '?name=Mobile');
    for (const refused of [put, del]) {
      expect(refused.status).toBe(403);
      expect(await errorOf(refused)).toMatch(
        /A shared link can only read; (PUT|DELETE) \/segments needs the org's own read key/,
      );
    }
    expect((await call(siteKey, 'GET')).status).toBe(403);
    expect((await call(siteKey, 'PUT', '', { name: 'x', filters: ['os:iOS'] })).status).toBe(403);
    expect((await list(readKey)).map((s) => s.name)).toEqual(['Mobile']);
  });

  it.each([
    ['not JSON', 'name=x', /PUT \/segments takes a JSON body: \{"name"/],
    ['an unknown field', { name: 'x', filters: ['os:iOS'], colour: 'red' }, /unknown field "colour"/],
    ['no filters', { name: 'x', filters: [] }, /filters must be a list of 1 to 8 filter texts/],
    [
      'a filter that is not text',
      { name: 'x', filters: [3] },
      /filters must be a list of 1 to 8 filter texts/,
    ],
    [
      'an unknown property',
      { name: 'x', filters: ['colour:red'] },
      /filter must be <property>:<value> with a property among .*; got "colour:red"/,
    ],
    ['a page that is not a URL', { name: 'x', filters: ['page:/blog'] }, /takes absolute http\(s\) URLs/],
    ['no name', { filters: ['os:iOS'] }, /a segment's name must be text of 1 to 64 characters/],
    ['a name of 65 characters', { name: 'n'.repeat(65), filters: ['os:iOS'] }, /1 to 64 characters/],
  ])('refuses a body with %s with a 400 that says what is accepted', async (_, body, message) => {
    const { readKey } = await newOrg();
    const response = await call(readKey, 'PUT', '', body);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatch(message);
    expect(await list(readKey)).toEqual([]);
  });

  it('refuses DELETE without a name, or with another parameter', async () => {
    const { readKey } = await newOrg();
    expect(await errorOf(await call(readKey, 'DELETE'))).toMatch(/DELETE \/segments needs name=/);
    expect(await errorOf(await call(readKey, 'DELETE', '?segment=x'))).toMatch(
      /Unknown query parameter "segment"/,
    );
  });
});

describe('CORS for the dashboard on another origin (REST API, as on LocalStack)', () => {
  it('preflights PUT and DELETE for the dashboard, and not for another site', async () => {
    const preflight = (origin: string, method: string) =>
      fetch(`${restUrl}/segments`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': method },
      });
    for (const method of ['PUT', 'DELETE']) {
      const allowed = await preflight(dashboardOrigin, method);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(dashboardOrigin);
      expect(allowed.headers.get('access-control-allow-methods')).toContain(method);
      expect(
        (await preflight('https://elsewhere.example', method)).headers.get('access-control-allow-origin'),
      ).toBeNull();
    }
  });

  it('answers a method no route takes with 405 naming the ones it does', async () => {
    const response = await fetch(`${restUrl}/segments`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(((await response.json()) as { error: string }).error).toBe(
      'POST is not allowed on /segments; /segments takes GET or PUT or DELETE.',
    );
  });
});
