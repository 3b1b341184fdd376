import { describe, expect, it } from 'vitest';
import { type View, visitsOf } from './visitor-day.js';

const base = Date.parse('2026-11-20T08:00:00Z');
const view = (
  minute: number,
  page: string,
  hash = `h${minute}${page}`,
  kind: View['kind'] = 'pageview',
): View => ({ time: base + minute * 60_000, page, hash, kind });

describe('visitsOf', () => {
  it('splits a day into visits at gaps of 30 minutes or more', () => {
    const visits = visitsOf([view(0, '/a'), view(10, '/b'), view(39, '/c'), view(69, '/d'), view(100, '/e')]);
    // 39 -> 69 is exactly 30 minutes: a new visit; 69 -> 100 is 31 minutes.
    expect(visits.map((v) => [v.entryPage, v.exitPage, v.pageviews, v.durationSeconds])).toEqual([
      ['/a', '/c', 3, 39 * 60],
      ['/d', '/d', 1, 0],
      ['/e', '/e', 1, 0],
    ]);
  });

  it('gives the same visits whatever order the views come in', () => {
    const views = [view(0, '/a'), view(5, '/b'), view(5, '/c', 'zz'), view(50, '/d')];
    const expected = visitsOf(views);
    expect(visitsOf([...views].reverse())).toEqual(expected);
    expect(visitsOf([views[2]!, views[0]!, views[3]!, views[1]!])).toEqual(expected);
  });

  it('leaves bot views out of visits', () => {
    expect(visitsOf([view(0, '/a', 'b1', 'bot'), view(1, '/b')]).map((v) => v.entryPage)).toEqual(['/b']);
  });

  it('counts the distinct pages of a visit once each', () => {
    const [visit] = visitsOf([view(0, '/a'), view(1, '/b'), view(2, '/a')]);
    expect([...visit!.pages].sort()).toEqual(['/a', '/b']);
    expect(visit!.pageviews).toBe(3);
  });
});
