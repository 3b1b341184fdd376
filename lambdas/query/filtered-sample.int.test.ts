/**
 * A filtered breakdown of a range with more visitor-days than one request reads: counted from a
 * uniform sample of the visitors (whole partitions of visitor-days), scaled up, and said so.
 * Against DynamoDB Local, with visitor-days and counters written by the real consumer; the read
 * budget is lowered so that a few hundred visitors are "too many".
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { startTestStack } from '../../test/helpers.js';
import { consumeBatch } from '../consume/consume.js';
import { visitorIdFromIdentifier } from '../core/domain/visitor.js';
import { utc } from '../core/domain/zones.js';
import type { BreakdownAnswer } from './answers.js';
import { type BreakdownQuery, queryBreakdown } from './breakdown.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const DAY = 86_400_000;
// A fixed org in this file's own tables: the same visitor ids, so the same sample, every run.
const orgId = 'org-sampled';
const visitors = 800;
const countries = ['US', 'DE', 'IN'] as const;
// Yesterday: visitor-days are kept 30 days, and DynamoDB Local deletes expired items.
const day = Math.floor(Date.now() / DAY) * DAY - DAY;

/** Visitor i: one view, from country i % 3, from Google when i is even. */
const countryOf = (i: number) => countries[i % countries.length]!;
const fromGoogle = (i: number) => i % 2 === 0;

/** The exact answer, counted from how the visitors were made. */
function expectedCountries(): Map<string, number> {
  const rows = new Map<string, number>();
  for (let i = 0; i < visitors; i++)
    if (fromGoogle(i)) rows.set(countryOf(i), (rows.get(countryOf(i)) ?? 0) + 1);
  return rows;
}

const query: BreakdownQuery = {
  property: 'country',
  filter: { property: 'source', value: 'Google' },
  limit: 100,
  aggregation: 'day',
  from: day,
  to: day + DAY,
  zone: utc,
};
const deps = () => ({
  doc: stack.doc,
  countersTable: stack.resources.countersTable,
  visitsTable: stack.resources.visitsTable,
});

describe('a filtered breakdown of more visitors than one request reads', () => {
  beforeAll(async () => {
    const records = Array.from({ length: visitors }, (_, i) => ({
      messageId: randomUUID(),
      body: JSON.stringify({
        orgId,
        eventId: randomUUID(),
        visitorId: visitorIdFromIdentifier(orgId, `visitor-${i}`),
        pageUrl: 'https://sampled.example/',
        visitedAt: new Date(day + 60_000 * i).toISOString(),
        country: countryOf(i),
        ...(fromGoogle(i) ? { source: 'Google', referrer: 'google.com' } : {}),
      }),
    }));
    for (let i = 0; i < records.length; i += 400) {
      const outcome = await consumeBatch(records.slice(i, i + 400), deps());
      expect(outcome.failedMessageIds).toEqual([]);
    }
  }, 120_000);

  it('is exact, and not marked sampled, while the range is within the budget', async () => {
    const answer = (await queryBreakdown(orgId, query, deps())) as BreakdownAnswer & { itemsRead: number };
    expect(new Map(answer.data.map((row) => [row.value, row.visitors]))).toEqual(expectedCountries());
    expect(answer.sample_percent).toBeUndefined();
    expect(answer.itemsRead).toBeGreaterThanOrEqual(visitors);
  });

  it('reads a quarter of the visitor-days for a budget of a quarter, and scales the rows up to estimates', async () => {
    const answer = (await queryBreakdown(orgId, query, deps(), {
      maxVisitorDays: visitors / 4,
    })) as BreakdownAnswer & { itemsRead: number };
    expect(answer.sample_percent).toBe(25);
    // Two of the eight partitions: about 200 visitor-days, and the few counter items that sized the sample.
    expect(answer.itemsRead).toBeGreaterThan(visitors / 8);
    expect(answer.itemsRead).toBeLessThan(visitors / 2.5);
    const exact = expectedCountries();
    expect(answer.data.map((row) => row.value).sort()).toEqual([...exact.keys()].sort());
    for (const row of answer.data) {
      const truth = exact.get(row.value)!;
      // An estimate from ~35 sampled visitors per row (binomial spread about 15%), scaled by 4.
      expect(Math.abs(row.visitors - truth) / truth).toBeLessThan(0.5);
      expect(row.visitors % 4).toBe(0);
      expect(row.visits).toBe(row.visitors);
      expect(row.pageviews).toBe(row.visitors);
    }
  });

  it('reads one partition, an eighth of the visitors, however far over the budget the range is', async () => {
    const answer = await queryBreakdown(orgId, query, deps(), { maxVisitorDays: 1 });
    expect(answer.sample_percent).toBe(12.5);
    expect(answer.itemsRead).toBeLessThan(visitors / 4);
  });
});
