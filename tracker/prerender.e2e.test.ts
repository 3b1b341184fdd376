/**
 * A page Chrome only prerenders (speculation rules) must not be counted until the visitor opens
 * it. Playwright cannot show this: Chromium refuses to prerender while a DevTools client that
 * attaches to pages directly is connected (Preload.prerenderStatusUpdated reports
 * PrerenderingDisabledByDevTools). So this test runs the same Chromium with no DevTools at all,
 * pointed at a start page, and reads what happened from the order of requests at the server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTracker } from './build.js';
import { chromiumArgs, chromiumPath } from '../test/chromium.js';

interface Arrival {
  method: string;
  path: string;
  /** `prefetch;prerender` for requests a prerendered page makes before it is shown. */
  purpose: string;
  body: string;
}

const arrivals: Arrival[] = [];
let server: Server;
let origin: string;
let chromium: ChildProcess | undefined;
let profileDir: string;

/** The start page prerenders /next, then, 1.5 s after it loaded, says so and opens it. */
const startPage = `<!doctype html><title>start</title>
<script defer src="/tracker.js" data-key="k"></script>
<script type="speculationrules">{"prerender": [{"source": "list", "urls": ["/next"]}]}</script>
<script>
  addEventListener('load', () => setTimeout(() => {
    fetch('/log', { method: 'POST', body: 'opening /next' }).finally(() => { location.href = '/next'; });
  }, 1500));
</script>`;

const nextPage = `<!doctype html><title>next</title>
<script>
  fetch('/log', { method: 'POST', body: 'next runs, prerendering=' + document.prerendering });
  document.addEventListener('prerenderingchange', () => fetch('/log', { method: 'POST', body: 'next shown' }));
</script>
<script defer src="/tracker.js" data-key="k"></script>`;

beforeAll(async () => {
  const { code } = await buildTracker();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      arrivals.push({
        method: req.method ?? '',
        path,
        purpose: String(req.headers['sec-purpose'] ?? ''),
        body: Buffer.concat(chunks).toString(),
      });
      const html = { '/start': startPage, '/next': nextPage }[path];
      if (html) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      else if (path === '/tracker.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profileDir = await mkdtemp(join(tmpdir(), 'tracker-prerender-'));
  // Its own process group, so stopping it also stops its renderers.
  chromium = spawn(chromiumPath, [...chromiumArgs, `--user-data-dir=${profileDir}`, `${origin}/start`], {
    stdio: 'ignore',
    detached: true,
  });
});

afterAll(async () => {
  if (chromium?.pid && chromium.exitCode === null) {
    const exited = new Promise((resolve) => chromium!.once('exit', resolve));
    process.kill(-chromium.pid, 'SIGTERM');
    await exited;
  }
  await new Promise((resolve) => server?.close(resolve));
  await rm(profileDir, { recursive: true, force: true });
});

const indexOf = (predicate: (arrival: Arrival) => boolean) => arrivals.findIndex(predicate);
const visitTo = (path: string) => (arrival: Arrival) =>
  arrival.path === '/visits' && arrival.body.includes(`"pageUrl":"${origin}${path}"`);
const logged = (text: string) => (arrival: Arrival) => arrival.path === '/log' && arrival.body === text;

it('does not count a prerendered page until it is shown, then counts it once', async () => {
  await expect.poll(() => indexOf(logged('next shown')), { timeout: 30_000 }).toBeGreaterThanOrEqual(0);
  await expect.poll(() => indexOf(visitTo('/next'))).toBeGreaterThanOrEqual(0);
  await new Promise((resolve) => setTimeout(resolve, 300));

  expect(
    indexOf((arrival) => arrival.path === '/next' && arrival.purpose.includes('prerender')),
    'Chrome prerendered /next',
  ).toBeGreaterThanOrEqual(0);
  expect(
    indexOf(logged('next runs, prerendering=true')),
    '/next ran while prerendered',
  ).toBeGreaterThanOrEqual(0);
  expect(indexOf(visitTo('/next')), 'counted only after the start page opened it').toBeGreaterThan(
    indexOf(logged('opening /next')),
  );
  expect(arrivals.filter(visitTo('/next'))).toHaveLength(1);
  expect(arrivals.filter(visitTo('/start'))).toHaveLength(1);
});
