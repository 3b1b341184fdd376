import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildDashboard } from './server.js';

/** Issue 5: the production build's JavaScript, gzipped, stays under 150 KB. */
const budgetBytes = 150 * 1024;

// Built into a temporary folder, so a local stack serving dashboard/dist is never disturbed.
const outDir = await mkdtemp(path.join(tmpdir(), 'dashboard-size-'));
afterAll(() => rm(outDir, { recursive: true, force: true }));

it('keeps the production JavaScript under 150 KB gzipped', async () => {
  const result = await buildDashboard({ force: true, outDir });

  expect(result.outDir).toBe(outDir);
  expect(result.jsGzipBytes).toBeGreaterThan(10 * 1024); // React and uPlot are in there: a real build
  expect(result.jsGzipBytes).toBeLessThanOrEqual(budgetBytes);
  // Relative asset URLs, so one build works under any path the hosting gives it.
  expect(await readFile(path.join(outDir, 'index.html'), 'utf8')).toMatch(/src="\.\/assets\/[^"]+\.js"/);
});
