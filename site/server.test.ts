import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from './build.js';
import { siteAssets, sitePages } from './render.js';
import { createSiteHandler } from './server.js';

const cfg = { siteKey: 'sk_local', apiUrl: 'http://127.0.0.1:8080', trackerCode: '(()=>{/* tracker */})();' };
const expectedTag =
  '<script defer src="/tracker.js" data-key="sk_local" data-api="http://127.0.0.1:8080"></script>';

describe('createSiteHandler', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer(createSiteHandler(cfg));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['/', 'Notes that stay quiet'],
    ['/pricing', 'Simple pricing'],
    ['/pricing.html', 'Simple pricing'],
    ['/support.html', 'How can we help?'],
    ['/app', 'Lumen app'],
    ['/app/settings', 'Lumen app'],
  ])('serves %s as a page with the tracker tag', async (path, text) => {
    const response = await fetch(origin + path);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain(text);
    expect(html).toContain(expectedTag);
    expect(html).not.toContain('<!--tracker-->');
  });

  it('serves the tracker code as JavaScript at /tracker.js', async () => {
    const response = await fetch(`${origin}/tracker.js`);

    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await response.text()).toBe(cfg.trackerCode);
  });

  it.each(siteAssets)('serves the asset %s', async (asset) => {
    const response = await fetch(`${origin}/${asset}`);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe(await readFile(new URL(`./public/${asset}`, import.meta.url), 'utf8'));
  });

  it('answers 404 for a path that is no page', async () => {
    const response = await fetch(`${origin}/admin`);

    expect(response.status).toBe(404);
  });

  it('answers 405 to anything but GET and HEAD', async () => {
    const response = await fetch(`${origin}/`, { method: 'POST', body: 'x' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('buildSite', () => {
  it('writes every page with the tracker tag and every asset, CDK tokens unchanged', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'site-build-'));
    try {
      const tokens = {
        siteKey: '${Token[TOKEN.12]}',
        apiUrl: '${Token[TOKEN.34]}',
        trackerSrc: '/tracker.js',
      };

      const written = await buildSite(outDir, tokens);

      expect(written.map((file) => basename(file)).sort()).toEqual([...sitePages, ...siteAssets].sort());
      for (const page of sitePages) {
        expect(await readFile(join(outDir, page), 'utf8')).toContain(
          '<script defer src="/tracker.js" data-key="${Token[TOKEN.12]}" data-api="${Token[TOKEN.34]}"></script>',
        );
      }
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
