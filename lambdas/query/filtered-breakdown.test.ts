import { describe, expect, it } from 'vitest';
import type { View, VisitorDay } from '../core/domain/visitor-day.js';
import type { BreakdownProperty } from './answers.js';
import { FilteredBreakdown, sampledShards, scaledUp } from './filtered-breakdown.js';
import { FilteredGoals } from './goals.js';
import type { Filter } from './params.js';

const t0 = Date.parse('2026-11-20T08:00:00Z');
const MINUTE = 60_000;
const view = (minute: number, page: string, extra: Partial<View> = {}): View => ({
  time: t0 + minute * MINUTE,
  page,
  hash: `h${minute}${page}`,
  kind: 'pageview',
  ...extra,
});
const day = (visitorId: string, views: View[]): VisitorDay => ({
  orgId: 'org',
  day: '2026-11-20',
  zone: 'UTC',
  visitorId,
  views,
});

// Visitor a: a visit from Google (/, /pricing, Signup), then 40 minutes later a direct visit (/docs, Download).
// Visitor b: one visit from Google (/blog), no event.
const days = [
  day('a', [
    view(0, '/', { dims: { source: 'Google' } }),
    view(2, '/pricing'),
    view(3, '/pricing', { kind: 'event', name: 'Signup' }),
    view(45, '/docs'),
    view(46, '/docs', { kind: 'event', name: 'Download' }),
  ]),
  day('b', [view(5, '/blog', { dims: { source: 'Google' } })]),
];

/** Fed one visitor-day at a time, as GET /breakdown reads them. */
function filteredBreakdownRows(
  visitorDays: VisitorDay[],
  property: Exclude<BreakdownProperty, 'event'>,
  filter: Filter,
) {
  const breakdown = new FilteredBreakdown(property, filter);
  for (const visitorDay of visitorDays) breakdown.add(visitorDay);
  return breakdown.rows();
}
function filteredGoalRows(visitorDays: VisitorDay[], filter: Filter) {
  const goals = new FilteredGoals(filter);
  for (const visitorDay of visitorDays) goals.add(visitorDay);
  return goals.rows();
}

describe('breakdowns with a filter, from visitor-days', () => {
  it('keeps the visits in which the event happened: filter=event:<name>', () => {
    expect(filteredBreakdownRows(days, 'entry_page', { property: 'event', value: 'Signup' })).toEqual([
      { value: '/', visitors: 1, visits: 1, pageviews: 2 },
    ]);
    expect(filteredBreakdownRows(days, 'source', { property: 'event', value: 'Download' })).toEqual([
      { value: 'Direct / None', visitors: 1, visits: 1, pageviews: 1 },
    ]);
  });

  it('counts a page within the kept visits only, and each visitor-day once per value', () => {
    const rows = filteredBreakdownRows(days, 'page', { property: 'source', value: 'Google' });
    expect(rows).toEqual([
      { value: '/', visitors: 1, visits: 1, pageviews: 1 },
      { value: '/pricing', visitors: 1, visits: 1, pageviews: 1 },
      { value: '/blog', visitors: 1, visits: 1, pageviews: 1 },
    ]);
    expect(filteredBreakdownRows(days, 'exit_page', { property: 'page', value: '/docs' })).toEqual([
      { value: '/docs', visitors: 1, visits: 1, pageviews: 1 },
    ]);
  });

  it('rates goals against the visitor-days with a kept visit', () => {
    expect(filteredGoalRows(days, { property: 'source', value: 'Google' })).toEqual([
      { value: 'Signup', visitors: 1, events: 1, conversion_rate: 50 },
    ]);
    expect(filteredGoalRows(days, { property: 'source', value: 'Bing' })).toEqual([]);
  });
});

describe('sampling a range with more visitor-days than one request reads', () => {
  it('reads every partition within the budget, as many as fit over it, and at least one', () => {
    expect(sampledShards(100, 100, 8)).toBe(8);
    expect(sampledShards(101, 100, 8)).toBe(7);
    expect(sampledShards(400, 100, 8)).toBe(2);
    expect(sampledShards(10_000_000, 100, 8)).toBe(1);
  });

  it('scales counts up by the share sampled, leaving rates as they are', () => {
    expect(scaledUp([{ value: 'US', visitors: 3, visits: 4, pageviews: 9 }], 0.25)).toEqual([
      { value: 'US', visitors: 12, visits: 16, pageviews: 36 },
    ]);
    expect(scaledUp([{ value: 'Signup', visitors: 3, events: 5, conversion_rate: 12.5 }], 0.375)).toEqual([
      { value: 'Signup', visitors: 8, events: 13, conversion_rate: 12.5 },
    ]);
    const all = [{ value: 'US', visitors: 3, visits: 4, pageviews: 9 }];
    expect(scaledUp(all, 1)).toBe(all);
  });
});
