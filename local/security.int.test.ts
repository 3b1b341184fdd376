/** Org isolation, revoked keys, throttling and request limits, through the local API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKey, createOrg, listOrgs, revokeKey } from '../lambdas/core/store/orgs.js';
import { getVisits, postVisit, startTestStack, waitFor } from '../test/helpers.js';
import type { LocalStack } from './stack.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack({ throttle: { rateLimitPerSecond: 10, burstLimit: 40 } });
});
afterAll(() => stack?.stop());

const orgsDeps = () => ({ doc: stack.doc, orgsTable: stack.resources.orgsTable });

describe('org isolation', () => {
  it("answers every route with every other org's keys only for that other org", async () => {
    const orgs = await Promise.all(
      ['one', 'two', 'three'].map((name) => createOrg(orgsDeps(), { name, domains: [`${name}.example`] })),
    );
    for (const [i, org] of orgs.entries()) {
      expect(
        (
          await postVisit(stack.apiUrl, {
            key: org.siteKey,
            pageUrl: `https://${['one', 'two', 'three'][i]}.example/`,
          })
        ).status,
      ).toBe(202);
    }
    await stack.drain();

    for (const [i, reader] of orgs.entries()) {
      const { body } = await getVisits(stack.apiUrl, reader.readKey, { aggregation: 'day' });
      expect(Object.keys(body.data)).toEqual([`https://${['one', 'two', 'three'][i]}.example/`]);
      for (const [j, other] of orgs.entries()) {
        if (i === j) continue;
        // Another org's site key cannot post pages of this org's domain...
        const post = await postVisit(stack.apiUrl, {
          key: other.siteKey,
          pageUrl: `https://${['one', 'two', 'three'][i]}.example/`,
        });
        expect(post.status).toBe(403);
        // ...and its site key cannot read at all.
        expect((await getVisits(stack.apiUrl, other.siteKey, { aggregation: 'day' })).status).toBe(403);
      }
    }
  });

  it("refuses revoked keys on both routes and keeps the org's other keys working", async () => {
    const org = await createOrg(orgsDeps(), { name: 'revoke' });
    const spare = await addKey(orgsDeps(), org.orgId, 'read');
    const keyIds = (await listOrgs(orgsDeps())).find((o) => o.orgId === org.orgId)!.keys;
    expect(keyIds).toHaveLength(3);

    for (const key of keyIds.filter((k) => k.keyId !== spare.keyId))
      await revokeKey(orgsDeps(), org.orgId, key.keyId);

    // Warm functions cache a key for up to a minute; this stack is fresh, so the revocation shows at once.
    const post = await postVisit(stack.apiUrl, { key: org.siteKey, pageUrl: 'https://revoked.example/' });
    const read = await getVisits(stack.apiUrl, org.readKey, { aggregation: 'hour' });
    const spareRead = await getVisits(stack.apiUrl, spare.key, { aggregation: 'hour' });
    expect(post).toMatchObject({ status: 403, body: { error: expect.stringMatching(/revoked/) } });
    expect(read).toMatchObject({ status: 403, body: { error: expect.stringMatching(/revoked/) } });
    expect(spareRead.status).toBe(200);
  });
});

describe('request limits', () => {
  it('answers a URL over 8 KB with 414', async () => {
    const response = await fetch(`${stack.apiUrl}/visits?pageUrl=${'x'.repeat(9000)}`, {
      headers: { authorization: `Bearer ${stack.demo.readKey}` },
    });
    expect(response.status).toBe(414);
  });

  it('answers too many query parameters with 400', async () => {
    const params = Array.from({ length: 20 }, (_, i) => `aggregation=${i % 2 ? 'hour' : 'day'}`).join('&');
    const response = await fetch(`${stack.apiUrl}/visits?${params}`, {
      headers: { authorization: `Bearer ${stack.demo.readKey}` },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/Too many query parameters/);
  });

  it('answers unknown routes and methods with a JSON error naming the routes', async () => {
    const other = await fetch(`${stack.apiUrl}/admin`);
    const del = await fetch(`${stack.apiUrl}/visits`, { method: 'DELETE' });
    expect(other.status).toBe(404);
    expect((await other.json()).error).toMatch(
      /the API serves POST \/visits, \/events, \/engagement and GET \/visits, \/stats, \/breakdown, \/realtime, \/site/,
    );
    expect(del.status).toBe(405);
  });
});

describe('throttling', () => {
  it('answers 429 past the burst, as API Gateway does, then recovers', async () => {
    // Let the bucket refill after the tests above (40 tokens at 10 a second). Then send in rounds
    // of 40 at once until one is refused: a loaded machine sends slowly, and the bucket refills
    // meanwhile, so what may pass is the burst plus 10 a second of sending.
    await new Promise((resolve) => setTimeout(resolve, 4500));
    const started = Date.now();
    const statuses: number[] = [];
    const send = () =>
      postVisit(stack.apiUrl, { key: stack.demo.siteKey, pageUrl: 'https://burst.example/' }).then(
        (r) => r.status,
      );
    while (!statuses.includes(429) && statuses.length < 800)
      statuses.push(...(await Promise.all(Array.from({ length: 40 }, send))));
    const seconds = (Date.now() - started) / 1000;

    expect(statuses).toContain(429);
    const accepted = statuses.filter((s) => s === 202).length;
    expect(accepted).toBeGreaterThanOrEqual(40);
    expect(accepted).toBeLessThanOrEqual(40 + Math.ceil(10 * seconds) + 10);
    await waitFor(
      async () =>
        (await postVisit(stack.apiUrl, { key: stack.demo.siteKey, pageUrl: 'https://burst.example/' }))
          .status === 202,
      5_000,
    );
  });
});
