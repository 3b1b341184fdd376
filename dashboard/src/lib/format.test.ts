import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  botsNote,
  commonHost,
  displayHost,
  displayPath,
  formatBucket,
  formatClock,
  formatDays,
  formatDuration,
  formatMoment,
  formatPercent,
  formatRatio,
  formatTimeTick,
  shortPageLabel,
  timeTickIncrements,
} from './format.js';

const t = (iso: string) => Date.parse(iso);

// The browser's own zone must not leak into what is shown: every label is in the site's zone.
let savedTz: string | undefined;
beforeEach(() => {
  savedTz = process.env.TZ;
  process.env.TZ = 'Pacific/Auckland';
});
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe("times are shown in the site's zone whatever the browser's zone", () => {
  it.each([
    ['minute', 'UTC', '25 Nov 23:05'],
    ['hour', 'UTC', '25 Nov 23:05'],
    ['day', 'UTC', '25 Nov 2026'],
    ['month', 'UTC', 'Nov 2026'],
    ['minute', 'Asia/Kolkata', '26 Nov 04:35'],
    ['hour', 'America/New_York', '25 Nov 18:05'],
  ] as const)('formats a %s bucket in %s', (aggregation, zone, expected) => {
    expect(formatBucket(t('2026-11-25T23:05:00Z'), aggregation, zone)).toBe(expected);
  });

  it("names a site's day by its own date, where it starts at local midnight", () => {
    expect(formatBucket(t('2026-11-20T18:30:00Z'), 'day', 'Asia/Kolkata')).toBe('21 Nov 2026');
    expect(formatBucket(t('2026-02-28T23:00:00Z'), 'month', 'Europe/Berlin')).toBe('Mar 2026');
  });

  it('names the zone of a full moment; a clock time is the zone named beside the range', () => {
    expect(formatMoment(t('2026-01-02T03:04:05Z'), 'UTC')).toBe('2 Jan 2026 03:04 UTC');
    expect(formatMoment(t('2026-01-02T03:04:05Z'), 'Europe/Berlin')).toBe('2 Jan 2026 04:04 Europe/Berlin');
    expect(formatClock(t('2026-01-02T03:04:05Z'), 'UTC')).toBe('03:04:05');
    expect(formatClock(t('2026-07-02T03:04:05Z'), 'Europe/Berlin')).toBe('05:04:05');
  });

  it('puts the month or date on a tick where a month or day of the zone starts, and the time elsewhere', () => {
    expect(formatTimeTick(t('2026-11-26T00:00:00Z'), 'UTC')).toBe('26 Nov');
    expect(formatTimeTick(t('2026-11-26T13:00:00Z'), 'UTC')).toBe('13:00');
    expect(formatTimeTick(t('2026-12-01T00:00:00Z'), 'UTC')).toBe('Dec 2026');
    expect(formatTimeTick(t('2026-11-20T18:30:00Z'), 'Asia/Kolkata')).toBe('21 Nov');
    expect(formatTimeTick(t('2026-11-26T00:00:00Z'), 'Asia/Kolkata')).toBe('05:30');
    expect(formatTimeTick(t('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe('03:00');
  });
});

describe('shortPageLabel', () => {
  it('drops the scheme and keeps host, path and query', () => {
    expect(shortPageLabel('https://example.com/pricing?plan=pro')).toBe('example.com/pricing?plan=pro');
    expect(shortPageLabel('http://localhost:3001/')).toBe('localhost:3001/');
  });
  it('leaves something that is not a URL as it is', () => {
    expect(shortPageLabel('not a url')).toBe('not a url');
  });
});

describe('page names as people write them', () => {
  it('tells /, #/route and #!/route apart, as the API counts them', () => {
    const labels = ['https://shop.test/', 'https://shop.test/#/route', 'https://shop.test/#!/route'].map(
      (p) => shortPageLabel(p, 'shop.test'),
    );
    expect(labels).toEqual(['/', '/#/route', '/#!/route']);
  });

  it.each([
    ['https://shop.test/caf%C3%A9', '/café'],
    ['https://shop.test/%F0%9F%8E%89', '/🎉'],
    ['https://shop.test/%D9%85%D8%B1%D8%AD%D8%A8%D8%A7', '/مرحبا'],
    ['https://shop.test/a%2Fb?q=%3F', '/a%2Fb?q=%3F'], // escapes that carry meaning stay
    ['https://shop.test/bad%E0%A4%A', '/bad%E0%A4%A'], // a malformed escape is shown as sent
  ])('decodes the path of %s', (url, expected) => {
    expect(displayPath(url)).toBe(expected);
  });

  it('decodes international domain names from punycode', () => {
    expect(displayHost('xn--mnchen-3ya.de')).toBe('münchen.de');
    expect(displayHost('www.xn--fsqu00a.xn--0zwm56d')).toBe('www.例子.测试');
    expect(displayHost('localhost:3001')).toBe('localhost:3001');
    expect(shortPageLabel('https://xn--mnchen-3ya.de/stra%C3%9Fe')).toBe('münchen.de/straße');
  });

  it('names the host once when every page is on it, and keeps hosts where they differ', () => {
    expect(commonHost(['http://localhost:3001/', 'http://localhost:3001/about'])).toBe('localhost:3001');
    expect(commonHost(['https://a.test/', 'https://b.test/'])).toBeUndefined();
    expect(shortPageLabel('http://localhost:3001/about', 'localhost:3001')).toBe('/about');
    expect(shortPageLabel('https://b.test/x', 'a.test')).toBe('b.test/x');
  });
});

describe('time axis ticks', () => {
  it('never ticks finer than the aggregation: no hours on a day chart', () => {
    expect(Math.min(...timeTickIncrements('day'))).toBe(86_400);
    expect(Math.min(...timeTickIncrements('hour'))).toBe(3_600);
    expect(Math.min(...timeTickIncrements('minute'))).toBe(60);
  });
});

describe('numbers in the top row', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [59.6, '1m 00s'],
    [65, '1m 05s'],
    [600, '10m 00s'],
    [3725, '1h 02m 05s'],
  ])('writes a visit duration of %s seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([
    [formatPercent, 44, '44%'],
    [formatPercent, 100, '100%'],
    [formatRatio, 2, '2'],
    [formatRatio, 1.5, '1.5'],
    [formatRatio, 2.33, '2.33'],
    [formatRatio, 1234.5, '1,234.5'],
  ])('%o writes %s as %s', (format, n, text) => {
    expect(format(n)).toBe(text);
  });
});

describe('formatDays', () => {
  it.each([
    ['one day', '2026-11-25T00:00:00Z', '2026-11-26T00:00:00Z', '25 Nov 2026'],
    ['a week', '2026-11-19T00:00:00Z', '2026-11-26T00:00:00Z', '19 Nov 2026 – 25 Nov 2026'],
    ['across a year', '2025-12-01T00:00:00Z', '2026-12-01T00:00:00Z', '1 Dec 2025 – 30 Nov 2026'],
  ])('names %s by its first and last day, in UTC', (_what, from, to, text) => {
    expect(formatDays(t(from), t(to), 'UTC')).toBe(text);
  });

  it.each([
    ['the day of 25 hours', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', '25 Oct 2026'],
    ['the day of 23 hours', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', '29 Mar 2026'],
    ['a week across the change', '2026-10-20T22:00:00Z', '2026-10-27T23:00:00Z', '21 Oct 2026 – 27 Oct 2026'],
  ])('names %s in Berlin by its own dates', (_what, from, to, text) => {
    expect(formatDays(t(from), t(to), 'Europe/Berlin')).toBe(text);
  });
});

it('counts bot views in words', () => {
  expect(botsNote(0)).toBe('0 bot views filtered out');
  expect(botsNote(1)).toBe('1 bot view filtered out');
  expect(botsNote(1234)).toBe('1,234 bot views filtered out');
});
