/** Saved segments and funnels against DynamoDB Local: per org, per kind, by name, capped. */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../../local/resources.js';
import { BadRequestError, ConflictError } from '../http/errors.js';
import { deleteSaved, listSaved, putSaved, savedLimits } from './saved.js';

const orgsTable = `t${randomUUID().slice(0, 8)}-orgs`;
const client = new DynamoDBClient({
  endpoint: inject('dynamoEndpoint'),
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const clock = { now: Date.parse('2026-03-10T12:00:00Z') };
const deps = { doc: DynamoDBDocumentClient.from(client), orgsTable, now: () => clock.now };

beforeAll(() => ensureTable(client, orgsTable));

describe('saved items', () => {
  it('creates, lists by name, replaces by name and deletes', async () => {
    const orgId = randomUUID();
    await putSaved(deps, orgId, 'segment', { name: 'Google DE', items: ['source:Google', 'country:DE'] });
    await putSaved(deps, orgId, 'segment', { name: '  Blog  ', items: ['page~:/blog'] });
    clock.now += 60_000;
    await putSaved(deps, orgId, 'segment', { name: 'Google DE', items: ['source:Google', 'country!:DE'] });

    expect(await listSaved(deps, orgId, 'segment')).toEqual([
      { name: 'Blog', items: ['page~:/blog'], updatedAt: '2026-03-10T12:00:00.000Z' },
      { name: 'Google DE', items: ['source:Google', 'country!:DE'], updatedAt: '2026-03-10T12:01:00.000Z' },
    ]);

    expect(await deleteSaved(deps, orgId, 'segment', 'Blog')).toBe(true);
    expect(await deleteSaved(deps, orgId, 'segment', 'Blog')).toBe(false);
    expect((await listSaved(deps, orgId, 'segment')).map((s) => s.name)).toEqual(['Google DE']);
  });

  it('keeps kinds and orgs apart', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const steps = [{ page: '/pricing' }, { event: 'Signup' }];
    await putSaved(deps, a, 'segment', { name: 'x', items: ['device:Mobile'] });
    await putSaved(deps, a, 'funnel', { name: 'x', items: steps });
    await putSaved(deps, b, 'segment', { name: 'y', items: ['os:iOS'] });

    expect((await listSaved(deps, a, 'funnel')).map((f) => f.items)).toEqual([steps]);
    expect((await listSaved(deps, a, 'segment')).map((s) => s.items)).toEqual([['device:Mobile']]);
    expect((await listSaved(deps, b, 'segment')).map((s) => s.name)).toEqual(['y']);
    expect(await listSaved(deps, b, 'funnel')).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'n'.repeat(savedLimits.nameLength + 1)],
    ['a control character', 'a\u0007b'],
    ['not text', 42],
  ])('refuses a name that is %s, saying what a name may be', async (_, name) => {
    const put = putSaved(deps, randomUUID(), 'segment', { name: name as string, items: [] });
    await expect(put).rejects.toBeInstanceOf(BadRequestError);
    await expect(put).rejects.toThrow(/name must be text of 1 to 64 characters/);
  });

  it('takes a name of exactly 64 characters, counting an emoji as one', async () => {
    const orgId = randomUUID();
    const name = `${'n'.repeat(savedLimits.nameLength - 1)}🎯`;
    await putSaved(deps, orgId, 'segment', { name, items: [] });
    expect((await listSaved(deps, orgId, 'segment')).map((s) => s.name)).toEqual([name]);
  });

  it('refuses a new name past the cap with a 409, still replaces one, and takes one after a delete', async () => {
    const orgId = randomUUID();
    for (let i = 0; i < savedLimits.perOrg; i++) {
      await putSaved(deps, orgId, 'segment', { name: `s${i}`, items: [`page:/p${i}`] });
    }
    const over = putSaved(deps, orgId, 'segment', { name: 'one more', items: [] });
    await expect(over).rejects.toBeInstanceOf(ConflictError);
    await expect(over).rejects.toThrow(/at most 100 segments/);
    // The other kind has its own cap.
    await putSaved(deps, orgId, 'funnel', { name: 'one more', items: [] });

    await putSaved(deps, orgId, 'segment', { name: 's7', items: ['page:/seven'] });
    await deleteSaved(deps, orgId, 'segment', 's0');
    await putSaved(deps, orgId, 'segment', { name: 'one more', items: [] });
    const names = (await listSaved(deps, orgId, 'segment')).map((s) => s.name);
    expect(names).toHaveLength(savedLimits.perOrg);
    expect(names).toContain('one more');
    expect(names).not.toContain('s0');
  });
});
