import { describe, expect, it } from 'vitest';
import { buildTracker, sizeReport, trackerFiles } from './build.js';

// Size is a feature: the smallest peer today is about 750 bytes gzipped.
const maxGzipBytes = 800;
/** tracker.full.js (clicks without code, time on page, scroll depth): issue 22's budget. */
const maxFullGzipBytes = 1400;

describe('tracker.js size', () => {
  it(`stays at or under ${maxGzipBytes} bytes gzipped`, async () => {
    const tracker = await buildTracker();
    console.log(sizeReport(tracker));
    expect(tracker.gzip).toBeLessThanOrEqual(maxGzipBytes);
  });

  it(`tracker.full.js stays at or under ${maxFullGzipBytes} bytes gzipped`, async () => {
    const tracker = await buildTracker({ full: true });
    console.log(sizeReport(tracker, trackerFiles.full));
    expect(tracker.gzip).toBeLessThanOrEqual(maxFullGzipBytes);
  });

  it('leaves the options out of tracker.js', async () => {
    const { code } = await buildTracker();
    for (const option of ['data-outbound-links', 'data-file-downloads', 'data-pv-event', '/engagement'])
      expect(code).not.toContain(option);
  });

  it('ships no source map or source map comment', async () => {
    for (const full of [false, true]) {
      const { code } = await buildTracker({ full });
      expect(code).not.toContain('sourceMappingURL');
    }
  });
});
