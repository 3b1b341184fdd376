import { describe, expect, it } from 'vitest';
import { csvCell, csvFileName, toCsv } from './csv.js';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', `"'\r=1"`],
  ])('prefixes a cell starting with a formula character: %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it.each([
    ['https://shop.test/', 'https://shop.test/'],
    ['https://shop.test/a,b', '"https://shop.test/a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['https://shop.test/=x', 'https://shop.test/=x'],
  ])('quotes per RFC 4180 only when needed: %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('writes numbers as they are, negative ones unguarded', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
  });
});

describe('toCsv', () => {
  it('writes a header line and one CRLF-ended line per row, in the columns given', () => {
    const rows = [
      { value: '@home', visitors: 2, visits: 3, pageviews: 4 },
      { value: 'a,"b"', visitors: 1, visits: 1, pageviews: 1 },
    ];
    expect(toCsv(['value', 'visitors', 'visits', 'pageviews'], rows)).toBe(
      'value,visitors,visits,pageviews\r\n' + "'@home,2,3,4\r\n" + '"a,""b""",1,1,1\r\n',
    );
  });

  it('writes only the header for no rows', () => {
    expect(toCsv(['timeframe', 'visit_count'], [])).toBe('timeframe,visit_count\r\n');
  });
});

describe('csvFileName', () => {
  it("names the route and the range in the site's zone, without characters a file system refuses", () => {
    expect(
      csvFileName('/stats', Date.parse('2026-11-01T00:00:00Z'), Date.parse('2026-11-08T00:00:00Z'), 'UTC'),
    ).toBe('pageviews-stats-2026-11-01--2026-11-08.csv');
    expect(
      csvFileName(
        '/stats',
        Date.parse('2026-10-31T23:00:00Z'),
        Date.parse('2026-11-07T23:00:00Z'),
        'Europe/Paris',
      ),
    ).toBe('pageviews-stats-2026-11-01--2026-11-08.csv');
    expect(csvFileName('/breakdown', 0, 60_000, 'UTC', 'entry_page')).toBe(
      'pageviews-breakdown-entry_page-1970-01-01--1970-01-01T00-01.csv',
    );
  });
});
