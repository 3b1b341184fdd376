import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { View, VisitorDay } from '../domain/visitor-day.js';
import { type CounterChanges, counterChanges, mergeChanges } from './changes.js';

const day = '2026-11-20';
const base = Date.parse(`${day}T00:00:00Z`);
const visitorDay = (views: View[], zone = 'UTC'): VisitorDay => ({
  orgId: 'org',
  day,
  zone,
  visitorId: 'v',
  views,
});

/** Flattens changes to "pk|sk|metric|value" -> amount, leaving out zeros. */
function flat(changes: CounterChanges): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, change] of changes) {
    for (const [metric, byValue] of change.amounts)
      for (const [value, amount] of byValue) if (amount !== 0) out[`${id}|${metric}|${value}`] = amount;
  }
  return out;
}

/** Feeds views one arrival at a time, as separate batches would, and sums every change. */
function arriveOneByOne(views: View[]): Record<string, number> {
  const total: CounterChanges = new Map();
  let stored: VisitorDay | undefined;
  for (const v of views) {
    const next = visitorDay([...(stored?.views ?? []), v]);
    mergeChanges(total, counterChanges(stored, next));
    stored = next;
  }
  return flat(total);
}

describe('counterChanges', () => {
  it('counts a first view as a visitor, a visit, a bounce and an entry and exit page, and its channel in the same item', () => {
    const changes = flat(
      counterChanges(
        undefined,
        visitorDay([{ time: base + 3_600_000, page: 'https://a.example/', hash: 'h1', kind: 'pageview' }]),
      ),
    );
    const siteDay = Object.entries(changes).filter(([k]) => k.startsWith('org#site#day#'));
    expect(Object.fromEntries(siteDay.map(([k, v]) => [k.split('|').slice(2).join('|'), v]))).toEqual({
      'n|': 1,
      'u|': 1,
      's|': 1,
      'b|': 1,
      // The channel (Direct: the view has no source) is packed into the site's item (store/counters.ts).
      'n|channel\u0001Direct': 1,
      'u|channel\u0001Direct': 1,
      's|channel\u0001Direct': 1,
      'b|channel\u0001Direct': 1,
    });
    expect(Object.keys(changes).some((k) => k.startsWith('org#channel#'))).toBe(false);
  });

  it("counts a zoned site's day and month at local midnight and its hours at UTC hours", () => {
    // 20:00 UTC on 20 November is 01:30 on the 21st in Kolkata.
    const view = {
      time: Date.parse('2026-11-20T20:00:00Z'),
      page: 'https://a.example/',
      hash: 'h1',
      kind: 'pageview',
    } as const;
    const keys = Object.keys(
      flat(counterChanges(undefined, { ...visitorDay([view], 'Asia/Kolkata'), day: '2026-11-21' })),
    ).filter((k) => k.startsWith('org#site#') && k.endsWith('|n|'));
    expect(keys.sort()).toEqual([
      'org#site#day#2026|2026-11-20T18:30:00.000Z#0|n|',
      'org#site#hour#2026-11|2026-11-20T20:00:00.000Z#0|n|',
      'org#site#minute#2026-11-20|2026-11-20T20:00:00.000Z#0|n|',
    ]);
  });

  it('takes a bounce back and merges two visits when a late view joins them', () => {
    const a = { time: base, page: '/a', hash: 'ha', kind: 'pageview' } as const;
    const c = { time: base + 40 * 60_000, page: '/c', hash: 'hc', kind: 'pageview' } as const;
    const late = { time: base + 20 * 60_000, page: '/b', hash: 'hb', kind: 'pageview' } as const;
    const before = visitorDay([a, c]);
    const changes = flat(counterChanges(before, visitorDay([a, c, late])));
    const site = (metric: string) =>
      Object.entries(changes).find(
        ([k]) => k.startsWith('org#site#day#') && k.endsWith(`|${metric}|`),
      )?.[1] ?? 0;
    expect(site('s')).toBe(-1); // two visits became one
    expect(site('b')).toBe(-2); // neither is a bounce any more
    expect(site('n')).toBe(1);
    expect(site('d')).toBe(40 * 60); // one visit of 40 minutes instead of two of none
    expect(site('u')).toBe(0); // still one visitor
  });

  it('ends at the same counters whatever order and batching the views and events arrive in', () => {
    const viewArb = fc.record({
      minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
      page: fc.constantFrom('/a', '/b', '/c'),
      kind: fc.constantFrom('pageview', 'pageview', 'pageview', 'bot', 'event'),
      source: fc.constantFrom(undefined, 'Google', 'Hacker News'),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(viewArb, { minLength: 1, maxLength: 12, selector: (v) => v.minute }),
        fc.infiniteStream(fc.nat()),
        (raw, randoms) => {
          const views: View[] = raw.map((v, i) => ({
            time: base + v.minute * 60_000,
            page: v.page,
            hash: `h${i}`,
            kind: v.kind as View['kind'],
            ...(v.kind === 'event' ? { name: v.page === '/a' ? 'Signup' : 'Download' } : {}),
            ...(v.source ? { dims: { source: v.source } } : {}),
          }));
          const allAtOnce = flat(counterChanges(undefined, visitorDay(views)));
          const shuffled = [...views].sort(() => (randoms.next().value % 3) - 1);
          expect(arriveOneByOne(shuffled)).toEqual(allAtOnce);
        },
      ),
      { numRuns: 300 },
    );
  });
});
