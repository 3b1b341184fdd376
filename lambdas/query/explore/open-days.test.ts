import { describe, expect, it } from 'vitest';
import type { View, VisitorDay } from '../../core/domain/visitor-day.js';
import type { BreakdownProperty } from '../answers.js';
import { parseFilter } from '../filters.js';
import { openDayBreakdown, openDayGoals, openDayProps, openDayStats } from './open-days.js';

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
  ...filters: string[]
) {
  const breakdown = openDayBreakdown(property, filters.map(parseFilter));
  for (const visitorDay of visitorDays) breakdown.add(visitorDay);
  return breakdown.result();
}
function filteredGoalRows(visitorDays: VisitorDay[], ...filters: string[]) {
  const goals = openDayGoals(filters.map(parseFilter));
  for (const visitorDay of visitorDays) goals.add(visitorDay);
  return goals.result();
}

describe('breakdowns with a filter, from visitor-days', () => {
  it('keeps the visits in which the event happened: filter=event:<name>', () => {
    expect(filteredBreakdownRows(days, 'entry_page', 'event:Signup')).toEqual([
      { value: '/', visitors: 1, visits: 1, pageviews: 2 },
    ]);
    expect(filteredBreakdownRows(days, 'source', 'event:Download')).toEqual([
      { value: 'Direct / None', visitors: 1, visits: 1, pageviews: 1 },
    ]);
  });

  it('counts a page within the kept visits only, and each visitor-day once per value', () => {
    const rows = filteredBreakdownRows(days, 'page', 'source:Google');
    expect(rows).toEqual([
      { value: '/', visitors: 1, visits: 1, pageviews: 1 },
      { value: '/pricing', visitors: 1, visits: 1, pageviews: 1 },
      { value: '/blog', visitors: 1, visits: 1, pageviews: 1 },
    ]);
    expect(filteredBreakdownRows(days, 'exit_page', 'page~:/docs')).toEqual([
      { value: '/docs', visitors: 1, visits: 1, pageviews: 1 },
    ]);
  });

  it('rates goals against the visitor-days with a kept visit', () => {
    expect(filteredGoalRows(days, 'source:Google')).toEqual({
      rows: [{ value: 'Signup', visitors: 1, events: 1 }],
      visitors: 2,
    });
    expect(filteredGoalRows(days, 'source:Bing')).toEqual({ rows: [], visitors: 0 });
  });
});

describe('filters that combine', () => {
  it('keeps the visits every filter holds for: is, is not, contains, any of', () => {
    expect(
      filteredBreakdownRows(days, 'entry_page', 'source:Google|Bing', 'page!:https://x.test/never'),
    ).toEqual([
      { value: '/', visitors: 1, visits: 1, pageviews: 2 },
      { value: '/blog', visitors: 1, visits: 1, pageviews: 1 },
    ]);
    // "is not" keeps a visit without the value: the direct visit has no source of Google.
    expect(filteredBreakdownRows(days, 'entry_page', 'source!:Google')).toEqual([
      { value: '/docs', visitors: 1, visits: 1, pageviews: 1 },
    ]);
    expect(filteredBreakdownRows(days, 'source', 'event~:SIGN', 'entry_page~:/')).toEqual([
      { value: 'Google', visitors: 1, visits: 1, pageviews: 2 },
    ]);
    expect(filteredBreakdownRows(days, 'source', 'event!:Signup|Download')).toEqual([
      { value: 'Google', visitors: 1, visits: 1, pageviews: 1 },
    ]);
  });

  it('counts stats per day and per hour of the kept visits, each visitor-day once per bucket', () => {
    const stats = openDayStats([parseFilter('page~:/')]);
    for (const visitorDay of days) stats.add(visitorDay);
    const rows = stats.result();
    expect(rows.find((r) => r.hour === null)).toEqual({
      day: '2026-11-20',
      hour: null,
      visitors: 2,
      visits: 3,
      pageviews: 4,
      // b's one view bounced; a's /docs visit sent Download, an interaction, so it did not.
      bounces: 1,
      duration: 120,
    });
    expect(rows.filter((r) => r.hour !== null).map((r) => [r.hour, r.visitors, r.visits])).toEqual([
      [t0, 2, 3],
    ]);
  });
});

describe('event properties, from visitor-days', () => {
  // Visitor c: a Purchase (plan pro) and a Download (plan free) in one visit from Google, then a
  // second visit 40 minutes later with another pro Purchase; an event with no page view in no visit.
  const purchase = (minute: number, props: Record<string, string>, name = 'Purchase') =>
    view(minute, '/pricing', { kind: 'event', name, props });
  const withProps = [
    day('c', [
      view(0, '/pricing', { dims: { source: 'Google' } }),
      purchase(1, { plan: 'pro', seats: '5' }),
      purchase(2, { plan: 'free', 'file-type': 'pdf' }, 'Download'),
      view(45, '/pricing'),
      purchase(46, { plan: 'pro' }),
    ]),
    day('d', [purchase(3, { plan: 'team' })]),
  ];
  const props = (key: string | undefined, ...filters: string[]) => {
    const count = openDayProps(key, filters.map(parseFilter));
    for (const visitorDay of withProps) count.add(visitorDay);
    return count.result();
  };

  it('counts the visitors, visits and events with each value; an event in no visit is not counted', () => {
    expect(props('plan')).toEqual([
      { value: 'pro', visitors: 1, visits: 2, events: 2 },
      { value: 'free', visitors: 1, visits: 1, events: 1 },
    ]);
    expect(props(undefined)).toEqual([
      { value: 'plan', visitors: 1, visits: 2, events: 3 },
      { value: 'seats', visitors: 1, visits: 1, events: 1 },
      { value: 'file-type', visitors: 1, visits: 1, events: 1 },
    ]);
  });

  it("looks at one goal's events with filter=event:<name>, and filters visits by a property", () => {
    expect(props('plan', 'event:Download')).toEqual([{ value: 'free', visitors: 1, visits: 1, events: 1 }]);
    // A property filter keeps the visits with such an event, and is a condition on each counted event too.
    expect(props('seats', 'props.plan:free|pro')).toEqual([
      { value: '5', visitors: 1, visits: 1, events: 1 },
    ]);
    expect(props('plan', 'props.plan!:free')).toEqual([{ value: 'pro', visitors: 1, visits: 1, events: 1 }]);
    expect(props('plan', 'source:Google', 'props.file-type~:PD')).toEqual([
      { value: 'free', visitors: 1, visits: 1, events: 1 },
    ]);
  });
});
