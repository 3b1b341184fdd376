/**
 * Build and serve the dashboard. The local stack and the CDK app import these, so the built
 * files and the way config.json reaches them are the same everywhere.
 *
 *   tsx dashboard/server.ts build   # builds (always) and prints the gzipped JS size
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { send, serveStatic } from '../local/static-files.js';
import { debugLine, hangUpLine, isClientHangUp } from '../local/aborted.js';

const dashboardDir = path.dirname(fileURLToPath(import.meta.url));
const defaultOutDir = path.join(dashboardDir, 'dist');
const configFile = path.join(dashboardDir, 'vite.config.ts');
/** Everything the bundle is built from: a change to any of them makes dist stale. */
const buildInputs = [
  path.join(dashboardDir, 'src'),
  path.join(dashboardDir, 'index.html'),
  configFile,
  // Shared with the server, not copied: the query limits and the bucket arithmetic.
  path.join(dashboardDir, '..', 'lambdas', 'core', 'settings.ts'),
  path.join(dashboardDir, '..', 'lambdas', 'core', 'domain', 'buckets.ts'),
];

async function newestMtime(paths: string[]): Promise<number> {
  let newest = 0;
  for (const entry of paths) {
    const info = await stat(entry);
    if (info.isDirectory()) {
      const children = await readdir(entry);
      newest = Math.max(newest, await newestMtime(children.map((c) => path.join(entry, c))));
    } else {
      newest = Math.max(newest, info.mtimeMs);
    }
  }
  return newest;
}

/** The build is current when its index.html is newer than every source file and the config. */
async function isBuildCurrent(outDir: string): Promise<boolean> {
  const built = await stat(path.join(outDir, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (!built) return false;
  return built > (await newestMtime(buildInputs));
}

/** Sum of the gzipped sizes of every .js file the build produced: what a first visit downloads. */
async function jsGzipBytesIn(outDir: string): Promise<number> {
  const files = (await readdir(outDir, { recursive: true })).filter((f) => f.endsWith('.js'));
  let total = 0;
  for (const file of files) total += gzipSync(await readFile(path.join(outDir, file)), { level: 9 }).length;
  return total;
}

async function replaceDir(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await rm(to, { recursive: true, force: true });
    try {
      return await rename(from, to);
    } catch (error) {
      // Another process swapped its build in between our rm and rename: replace that one.
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 3 || (code !== 'ENOTEMPTY' && code !== 'EEXIST')) throw error;
    }
  }
}

/**
 * Runs the production build (skipped while dashboard/dist is newer than its sources, unless
 * `force`) and prints the gzipped JS size. `outDir` lets a test build somewhere else, so it
 * never swaps files under a running local stack.
 */
export async function buildDashboard(
  options: { force?: boolean; outDir?: string } = {},
): Promise<{ outDir: string; jsGzipBytes: number }> {
  const outDir = path.resolve(options.outDir ?? defaultOutDir);
  let built = false;
  if (options.force || !(await isBuildCurrent(outDir))) {
    // Imported here so that serving a finished build never loads vite.
    const { build } = await import('vite');
    // Built beside the target and swapped in whole, so a server (or a test in another worker)
    // reading dist never sees a half-written build.
    const staging = `${outDir}.building-${process.pid}-${randomBytes(4).toString('hex')}`;
    // Vite and the React plugin choose production code by NODE_ENV, which test runners set to
    // "test": the JSX would then call React's development runtime, missing from a production
    // bundle, and the page would stay blank. So the build runs with NODE_ENV=production.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile,
        mode: 'production',
        logLevel: 'warn',
        build: { outDir: staging, emptyOutDir: true },
      });
      await replaceDir(staging, outDir);
      built = true;
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
      await rm(staging, { recursive: true, force: true });
    }
  }
  const jsGzipBytes = await jsGzipBytesIn(outDir);
  // Only when it built: `npm start` reuses a current build, and its size is news only when it changes.
  if (built) console.log(`dashboard js gzip ${(jsGzipBytes / 1024).toFixed(1)} KB`);
  return { outDir, jsGzipBytes };
}

/**
 * Serves a built dashboard, with client-side routes falling back to index.html and
 * `/config.json` generated from `cfg`: the one file that differs between environments.
 */
export function createDashboardHandler(
  cfg: { apiUrl: string },
  options: { outDir?: string } = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const root = path.resolve(options.outDir ?? defaultOutDir);
  const configJson = JSON.stringify({ apiUrl: cfg.apiUrl });
  return (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/config.json') return send(res, 200, configJson, 'application/json; charset=utf-8');
    serveStatic(root, req, res, { fallback: 'index.html' }).catch((error: unknown) => {
      if (isClientHangUp(error, req)) return debugLine(hangUpLine('dashboard', req, error));
      if (!res.headersSent)
        send(res, 500, `Could not serve the dashboard: ${String(error)}`, 'text/plain; charset=utf-8');
    });
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command !== 'build') {
    console.error('usage: tsx dashboard/server.ts build');
    process.exit(2);
  }
  await buildDashboard({ force: true });
}
