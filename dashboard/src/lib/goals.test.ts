import { describe, expect, it } from 'vitest';
import { goalRows, parseGoalsAnswer } from './goals.js';

const signup = { value: 'Signup', visitors: 40, events: 55, conversion_rate: 12.5 };
const download = { value: 'Download', visitors: 10, events: 1234, conversion_rate: 3.1 };

describe('parseGoalsAnswer', () => {
  it('takes the documented rows', () => {
    expect(parseGoalsAnswer({ data: [signup, download] })).toEqual({ data: [signup, download] });
    expect(parseGoalsAnswer({ data: [] })).toEqual({ data: [] });
  });

  it.each([
    ['no data', {}],
    ['an HTML page', '<html>'],
    ['a page-view row', { data: [{ value: 'Signup', visitors: 1, visits: 1, pageviews: 1 }] }],
    ['a rate that is not a number', { data: [{ ...signup, conversion_rate: '12.5' }] }],
    ['a null row', { data: [null] }],
  ])('refuses %s', (_name, body) => {
    expect(() => parseGoalsAnswer(body)).toThrow('The API answer has no "data" list of goals.');
  });
});

describe('goalRows', () => {
  it("keeps the API's order, with bars by visitors and figures as shown", () => {
    const { top, rest } = goalRows([signup, download], 10);
    expect(top.map((r) => [r.value, r.bar, r.visitorsText, r.eventsText, r.conversionText])).toEqual([
      ['Signup', 1, '40', '55', '12.5%'],
      ['Download', 0.25, '10', '1,234', '3.1%'],
    ]);
    expect(rest).toEqual([]);
  });

  it('puts the rows after the top ones behind Details, and draws no bar when nobody did anything', () => {
    const rows = Array.from({ length: 3 }, (_, i) => ({
      value: `g${i}`,
      visitors: 0,
      events: 0,
      conversion_rate: 0,
    }));
    const { top, rest } = goalRows(rows, 2);
    expect(top.map((r) => [r.value, r.bar])).toEqual([
      ['g0', 0],
      ['g1', 0],
    ]);
    expect(rest.map((r) => r.value)).toEqual(['g2']);
  });
});
