import { describe, expect, it } from 'vitest';
import { readFilters } from './filter.js';
import { parseSegmentsAnswer, segmentOf } from './segments.js';

const segment = (name: string, filters: string[]) => ({
  name,
  filters,
  updatedAt: '2026-11-26T00:00:00.000Z',
});

describe('segments', () => {
  const segments = [
    segment('Google, not DE', ['source:Google', 'country!:DE']),
    segment('Blog', ['page~:/blog']),
  ];

  it('finds the segment the view is, whatever the order of its filters, and none for a subset or nothing', () => {
    expect(segmentOf(segments, readFilters(['country!:DE', 'source:Google']))?.name).toBe('Google, not DE');
    expect(segmentOf(segments, readFilters(['source:Google']))).toBeUndefined();
    expect(segmentOf(segments, [])).toBeUndefined();
  });

  it('keeps the well-formed segments of an answer and refuses an answer without a list', () => {
    expect(parseSegmentsAnswer({ segments: [...segments, { name: 3 }, segment('x', [1 as never])] })).toEqual(
      {
        segments,
      },
    );
    expect(() => parseSegmentsAnswer({ error: 'x' })).toThrow('The API answer has no "segments" list.');
  });
});
