import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
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
  fromUtcInputValue,
  shortPageLabel,
  timeTickIncrements,
  toUtcInputValue,
} from './format.js';

const t = (iso: string) => Date.parse(iso);

// The browser's own zone must not leak into what is shown: every label is UTC.
let savedTz: string | undefined;
beforeEach(() => {
  savedTz = process.env.TZ;
  process.env.TZ = 'Pacific/Auckland';
});
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('times are shown in UTC whatever the local zone', () => {
  it.each([
    ['minute', '25 Nov 23:05'],
    ['hour', '25 Nov 23:05'],
    ['day', '25 Nov 2026'],
    ['month', 'Nov 2026'],
  ] as const)('formats a %s bucket', (aggregation, expected) => {
    expect(formatBucket(t('2026-11-25T23:05:00Z'), aggregation)).toBe(expected);
  });

  it('labels full moments and clock times with UTC', () => {
    expect(formatMoment(t('2026-01-02T03:04:05Z'))).toBe('2 Jan 2026 03:04 UTC');
    expect(formatClock(t('2026-01-02T03:04:05Z'))).toBe('03:04:05 UTC');
  });

  it('puts the month or date on a tick where a UTC month or day starts, and the time elsewhere', () => {
    expect(formatTimeTick(t('2026-11-26T00:00:00Z'))).toBe('26 Nov');
    expect(formatTimeTick(t('2026-11-26T13:00:00Z'))).toBe('13:00');
    expect(formatTimeTick(t('2026-12-01T00:00:00Z'))).toBe('Dec 2026');
  });

  it('reads and writes datetime-local inputs as UTC', () => {
    expect(toUtcInputValue(t('2026-11-25T23:05:00Z'))).toBe('2026-11-25T23:05');
    expect(fromUtcInputValue('2026-11-25T23:05')).toBe(t('2026-11-25T23:05:00Z'));
    expect(fromUtcInputValue('')).toBeNaN();
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
    const labels = ['https://shop.test/', 'https://shop.test/#/route', 'https://shop.test/#!/route'].map((p) => shortPageLabel(p, 'shop.test'));
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
    expect(formatDays(t(from), t(to))).toBe(text);
  });
});
