import { describe, expect, it } from 'vitest';
import { buildTracker, sizeReport } from './build.js';

// Size is a feature: the smallest peer today is about 750 bytes gzipped.
const maxGzipBytes = 800;

describe('tracker.js size', () => {
  it(`stays at or under ${maxGzipBytes} bytes gzipped`, async () => {
    const tracker = await buildTracker();
    console.log(sizeReport(tracker));
    expect(tracker.gzip).toBeLessThanOrEqual(maxGzipBytes);
  });

  it('ships no source map or source map comment', async () => {
    const { code } = await buildTracker();
    expect(code).not.toContain('sourceMappingURL');
  });
});
