import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The built front ends the Hosting construct deploys. app.ts builds them before it constructs
 * the stack (the stack itself is synchronous); assertion tests pass small placeholder folders.
 */
export interface WebAssets {
  /** The demo site, built with `sitePlaceholders` in place of the values only the stack knows. */
  readonly siteDir: string;
  /** The dashboard's production build (index.html + assets). config.json is added at deploy. */
  readonly dashboardDir: string;
  /** The minified tracker.js. */
  readonly trackerCode: string;
}

/**
 * Markers the site is built with, replaced by deploy-time values (the demo org's site key, the
 * API URL): on AWS by the Content construct through BucketDeployment's `Source.data`, which
 * resolves CloudFormation references at deploy time; on LocalStack by the post-deploy step
 * (infra/localstack/post-deploy.ts). Plain words survive the site build's HTML escaping unchanged.
 */
export const sitePlaceholders = {
  siteKey: '__PAGEVIEWS_SITE_KEY__',
  apiUrl: '__PAGEVIEWS_API_URL__',
} as const;

/** Where the site's pages load the tracker from: the site's own origin. */
export const trackerPath = '/tracker.js';

/** Runs the real builds: tracker (esbuild), site, dashboard (vite). Used by app.ts for synth. */
export async function buildWebAssets(): Promise<WebAssets> {
  // Imported lazily so the assertion tests never load vite.
  const [{ buildTracker }, { buildSite }, { buildDashboard }] = await Promise.all([
    import('../tracker/build.js'),
    import('../site/build.js'),
    import('../dashboard/server.js'),
  ]);
  const tracker = await buildTracker();
  const siteDir = mkdtempSync(path.join(tmpdir(), 'pageviews-site-'));
  await buildSite(siteDir, { ...sitePlaceholders, trackerSrc: trackerPath });
  const dashboard = await buildDashboard();
  return { siteDir, dashboardDir: dashboard.outDir, trackerCode: tracker.code };
}

/**
 * Inputs for the assertion tests: the real site build (fast: it copies pages and fills in the
 * tracker tag) with the placeholders, a stand-in dashboard with one inline script (so the CSP
 * hashing is exercised) and a stand-in tracker, without running vite. Remove `root` afterwards.
 */
export async function testWebAssets(): Promise<WebAssets & { root: string }> {
  const root = mkdtempSync(path.join(tmpdir(), 'pageviews-web-'));
  const siteDir = path.join(root, 'site');
  const dashboardDir = path.join(root, 'dashboard');
  const { buildSite } = await import('../site/build.js');
  await buildSite(siteDir, { ...sitePlaceholders, trackerSrc: trackerPath });
  mkdirSync(path.join(dashboardDir, 'assets'), { recursive: true });
  writeFileSync(
    path.join(dashboardDir, 'index.html'),
    '<div id="root"></div><script>window.dashboardTest = 1;</script><script type="module" src="./assets/index.js"></script>',
  );
  writeFileSync(path.join(dashboardDir, 'assets', 'index.js'), 'console.log(1);');
  return { root, siteDir, dashboardDir, trackerCode: '(()=>{})();' };
}
