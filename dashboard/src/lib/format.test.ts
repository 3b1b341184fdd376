import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatBucket, formatClock, formatMoment, formatTimeTick, fromUtcInputValue, shortPageLabel, toUtcInputValue } from './format.js';

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
