import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, createDashboardHandler } from './server.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dashboard-server-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A stand-in build: enough files to serve, with a known script. */
async function fakeBuild(outDir: string, script = 'console.log("dashboard");'.repeat(20)) {
  await mkdir(path.join(outDir, 'assets'), { recursive: true });
  await writeFile(path.join(outDir, 'index.html'), '<div id="root"></div>');
  await writeFile(path.join(outDir, 'assets', 'app.js'), script);
  return gzipSync(script, { level: 9 }).length;
}

describe('createDashboardHandler', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const outDir = path.join(root, 'served');
    await fakeBuild(outDir);
    server = createServer(createDashboardHandler({ apiUrl: 'http://api.example:8080' }, { outDir }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers /config.json with the API URL it was given', async () => {
    const response = await fetch(`${base}/config.json`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ apiUrl: 'http://api.example:8080' });
  });

  it('serves the built files with their content type', async () => {
    const response = await fetch(`${base}/assets/app.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('answers a path that is not percent-encoded UTF-8 (/%ff) with 400, not 500', async () => {
    const response = await fetch(`${base}/%ff`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/not valid percent-encoded UTF-8/);
  });

  it('falls back to index.html for any other path, so a shared link always opens the app', async () => {
    const response = await fetch(`${base}/some/view?range=7d`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<div id="root"></div>');
  });
});

describe('buildDashboard', () => {
  it('skips the build while the output is newer than the sources, and still reports the size', async () => {
    const outDir = path.join(root, 'fresh');
    const expectedGzip = await fakeBuild(outDir);
    const future = new Date(Date.now() + 3_600_000);
    await utimes(path.join(outDir, 'index.html'), future, future);

    const result = await buildDashboard({ outDir });

    expect(result).toEqual({ outDir, jsGzipBytes: expectedGzip });
    expect(await readFile(path.join(outDir, 'index.html'), 'utf8')).toBe('<div id="root"></div>'); // untouched
  });

  it('rebuilds output that is older than the sources', async () => {
    const outDir = path.join(root, 'stale');
    await fakeBuild(outDir);
    await utimes(path.join(outDir, 'index.html'), new Date(0), new Date(0));

    const result = await buildDashboard({ outDir });

    expect(await readFile(path.join(outDir, 'index.html'), 'utf8')).toContain('<script type="module"');
    expect(result.jsGzipBytes).toBeGreaterThan(10 * 1024);
  });
});
