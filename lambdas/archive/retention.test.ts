import { describe, expect, it } from 'vitest';
import { addMonths } from '../core/domain/zones.js';
import { firstKeptDay } from './retention.js';

describe('the oldest day a retention keeps', () => {
  it.each([
    ['2026-12-03', 2, '2026-10-03'],
    ['2026-03-31', 1, '2026-02-28'], // the shorter month's last day
    ['2028-03-31', 1, '2028-02-29'],
    ['2026-01-15', 13, '2024-12-15'],
    ['2026-05-31', 12, '2025-05-31'],
  ] as const)('%s, %i month(s) back: %s', (today, months, kept) => {
    expect(addMonths(today, -months)).toBe(kept);
    expect(firstKeptDay(Date.parse(`${today}T12:00:00Z`), 'UTC', months)).toBe(kept);
  });

  it("counts from the org's own day: already tomorrow in Tokyo, still yesterday in Los Angeles", () => {
    const now = Date.parse('2026-03-31T20:00:00Z');
    expect(firstKeptDay(now, 'Asia/Tokyo', 1)).toBe('2026-03-01'); // April 1st there
    expect(firstKeptDay(now, 'America/Los_Angeles', 1)).toBe('2026-02-28');
    expect(firstKeptDay(now, 'UTC', 1)).toBe('2026-02-28');
  });
});
