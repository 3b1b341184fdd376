import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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

it("ships React's production code even when built from a test run (NODE_ENV=test)", async () => {
  expect(process.env.NODE_ENV).toBe('test');
  const assets = path.join(outDir, 'assets');
  const js = await Promise.all(
    (await readdir(assets))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFile(path.join(assets, f), 'utf8')),
  );
  // The development JSX runtime is not in a production bundle: calling it leaves a blank page.
  expect(js.join('\n')).not.toContain('jsxDEV');
  expect(process.env.NODE_ENV).toBe('test'); // and the build put it back
});
