import { describe, expect, it } from 'vitest';
import { someRealtime } from '../test-fixtures.js';
import { currentVisitorsText, parseRealtimeAnswer, realtimePageRows } from './realtime.js';

describe('parseRealtimeAnswer', () => {
  it('accepts the documented shape', () => {
    expect(parseRealtimeAnswer(someRealtime)).toEqual(someRealtime);
  });

  it('accepts no one on the site', () => {
    expect(parseRealtimeAnswer({ visitors: 0, pageviews: 0, pages: [] })).toEqual({
      visitors: 0,
      pageviews: 0,
      pages: [],
    });
  });

  it.each([
    ['an HTML page', '<html>'],
    ['null', null],
    ['counts as strings', { visitors: '3', pageviews: 7, pages: [] }],
    ['a fractional count', { visitors: 1.5, pageviews: 7, pages: [] }],
    ['no pages', { visitors: 3, pageviews: 7 }],
    ['a page without a url', { visitors: 3, pageviews: 7, pages: [{ visitors: 1 }] }],
    ['a null page', { visitors: 3, pageviews: 7, pages: [null] }],
    [
      'a page with a negative count',
      { visitors: 3, pageviews: 7, pages: [{ value: 'http://a.test/', visitors: -1 }] },
    ],
  ])('refuses %s', (_name, body) => {
    expect(() => parseRealtimeAnswer(body)).toThrow(TypeError);
  });
});

describe('currentVisitorsText', () => {
  it.each([
    [0, '0 current visitors'],
    [1, '1 current visitor'],
    [2, '2 current visitors'],
    [1234, '1,234 current visitors'],
  ])('%d -> %s', (n, text) => {
    expect(currentVisitorsText(n)).toBe(text);
  });
});

describe('realtimePageRows', () => {
  it('names a shared host once and shows paths, in the order the API sorted them', () => {
    const { host, rows } = realtimePageRows([
      { value: 'https://xn--mnchen-3ya.de/caf%C3%A9', visitors: 3 },
      { value: 'https://xn--mnchen-3ya.de/', visitors: 1 },
    ]);
    expect(host).toBe('münchen.de');
    expect(rows.map((r) => [r.label, r.visitors, r.value])).toEqual([
      ['/café', 3, 'https://xn--mnchen-3ya.de/caf%C3%A9'],
      ['/', 1, 'https://xn--mnchen-3ya.de/'],
    ]);
  });

  it('keeps the host on each label when pages are on several hosts', () => {
    const { host, rows } = realtimePageRows([
      { value: 'https://a.test/x', visitors: 2 },
      { value: 'https://b.test/', visitors: 2 },
    ]);
    expect(host).toBeUndefined();
    expect(rows.map((r) => r.label)).toEqual(['a.test/x', 'b.test/']);
  });

  it('has no host and no rows when no one is on the site', () => {
    expect(realtimePageRows([])).toEqual({ host: undefined, rows: [] });
  });
});
