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
 * Markers the site is built with; Hosting replaces them with deploy-time values (the demo org's
 * site key, the API URL) through BucketDeployment's `Source.data`, which resolves CloudFormation
 * references at deploy time. Plain words survive the site build's HTML escaping unchanged.
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
 * Tiny stand-ins for tests: a site page carrying both placeholders, a page without any, and a
 * dashboard index. Returns the folders and a cleanup function.
 */
export function placeholderWebAssets(): WebAssets & { root: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'pageviews-web-'));
  const siteDir = path.join(root, 'site');
  const dashboardDir = path.join(root, 'dashboard');
  mkdirSync(path.join(siteDir, 'pricing'), { recursive: true });
  mkdirSync(dashboardDir, { recursive: true });
  writeFileSync(
    path.join(siteDir, 'index.html'),
    `<script defer src="${trackerPath}" data-key="${sitePlaceholders.siteKey}" data-api="${sitePlaceholders.apiUrl}"></script>`,
  );
  writeFileSync(path.join(siteDir, 'pricing', 'index.html'), '<h1>Pricing</h1>');
  writeFileSync(path.join(dashboardDir, 'index.html'), '<div id="root"></div>');
  return { root, siteDir, dashboardDir, trackerCode: '(()=>{})();' };
}
