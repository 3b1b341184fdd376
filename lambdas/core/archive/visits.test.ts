import { describe, expect, it } from 'vitest';
import type { ArchiveRow } from './row.js';
import { visitsOfDay } from './visits.js';

const t0 = Date.parse('2026-03-02T08:00:00Z');
const min = 60_000;
const row = (
  visitor: string,
  minutes: number,
  page: string,
  extra: Partial<ArchiveRow> = {},
): ArchiveRow => ({
  time: t0 + minutes * min,
  event_id: `${visitor}-${minutes}-${extra.type ?? 'pv'}`,
  visitor_id: visitor,
  type: 'pageview',
  page: `https://a.test/${page}`,
  ...extra,
});

describe('visitsOfDay: the visits of a day, computed once when it is written', () => {
  // a: an event before any page view (first visit), two visits (a 40-minute gap), /x in both.
  // b: one bounced visit. c: an event only (in no visit).
  const rows = [
    row('a', -5, 'x', { type: 'event', name: 'Early' }),
    row('a', 0, 'x', { source: 'Google', country: 'DE' }),
    row('a', 10, 'y'),
    row('a', 12, 'x'),
    row('a', 52, 'x', { country: 'FR' }),
    row('a', 53, 'z', { type: 'event', name: 'Signup' }),
    row('b', 1, 'y', { country: 'US' }),
    row('c', 2, 'x', { type: 'event', name: 'Lonely' }),
  ];
  const { visitOfRow, visitPages, visits } = visitsOfDay(rows);

  it("numbers each row's visit by visitOf: an early event is the first visit's, a visitor without page views has none", () => {
    expect(visitOfRow).toEqual([1, 1, 1, 1, 2, 2, 1, 0]);
  });

  it("writes one row per page of a visit with the visit's figures, its own row first", () => {
    expect(visits).toBe(3);
    const own = visitPages.slice(0, visits);
    expect(own.every((page) => page.first_page === 1)).toBe(true);
    expect(visitPages.slice(visits).every((page) => page.first_page === 0)).toBe(true);
    const a1 = own.find((page) => page.visitor_id === 'a' && page.visit === 1)!;
    expect(a1).toMatchObject({
      page: 'https://a.test/x',
      views: 2,
      pageviews: 3,
      events: 1,
      duration: 720,
      entry_page: 'https://a.test/x',
      exit_page: 'https://a.test/x',
      source: 'Google',
      country: 'DE',
      visitor_visits: 2,
      page_visits: 2,
    });
    const a2 = own.find((page) => page.visitor_id === 'a' && page.visit === 2)!;
    expect(a2).toMatchObject({ views: 1, pageviews: 1, events: 1, duration: 0, country: 'FR' });
    expect(a2.source).toBeUndefined();
    const y = visitPages.find((page) => page.visitor_id === 'a' && page.page === 'https://a.test/y')!;
    expect(y).toMatchObject({ visit: 1, views: 1, first_page: 0, page_visits: 1 });
    const b = own.find((page) => page.visitor_id === 'b')!;
    expect(b).toMatchObject({ pageviews: 1, events: 0, visitor_visits: 1, country: 'US' });
  });

  it("numbers each visitor-day within the day, the same for all of its visits' rows", () => {
    const numbers = new Map(visitPages.map((page) => [page.visitor_id, page.visitor_number]));
    expect(new Set(visitPages.filter((p) => p.visitor_id === 'a').map((p) => p.visitor_number)).size).toBe(1);
    expect(numbers.get('a')).not.toBe(numbers.get('b'));
  });
});
