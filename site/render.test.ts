import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  pageForPath,
  renderSitePage,
  siteAssets,
  sitePages,
  sitePublicDir,
  TrackerPlaceholderMissingError,
  trackerPlaceholder,
} from './render.js';

const cfg = { siteKey: 'sk_demo', apiUrl: 'http://127.0.0.1:8080', trackerSrc: '/tracker.js' };

describe('renderSitePage', () => {
  it('puts the tracker tag where the placeholder was', () => {
    const html = renderSitePage(`<head>${trackerPlaceholder}</head>`, cfg);

    expect(html).toBe(
      '<head><script defer src="/tracker.js" data-key="sk_demo" data-api="http://127.0.0.1:8080"></script></head>',
    );
  });

  it('escapes the values so none can end the attribute or open a tag', () => {
    const html = renderSitePage(trackerPlaceholder, {
      siteKey: 'a"><script>alert(1)</script>',
      apiUrl: 'https://api.example.com/?a=1&b=2',
      trackerSrc: '/tracker.js',
    });

    expect(html).toContain('data-key="a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('data-api="https://api.example.com/?a=1&amp;b=2"');
  });

  it('leaves CDK tokens and replacement patterns unchanged', () => {
    const html = renderSitePage(trackerPlaceholder, {
      siteKey: '${Token[TOKEN.123]}',
      apiUrl: '${Token[TOKEN.456]}',
      trackerSrc: "https://${Token[TOKEN.789]}/tracker.js?$&$'",
    });

    expect(html).toBe(
      '<script defer src="https://${Token[TOKEN.789]}/tracker.js?$&amp;$\'" data-key="${Token[TOKEN.123]}" data-api="${Token[TOKEN.456]}"></script>',
    );
  });

  it('leaves data-api out when no API URL is given, so the script origin is used', () => {
    expect(renderSitePage(trackerPlaceholder, { ...cfg, apiUrl: '' })).not.toContain('data-api');
  });

  it('refuses a page without the placeholder, which would go uncounted', () => {
    expect(() => renderSitePage('<head></head>', cfg)).toThrow(TrackerPlaceholderMissingError);
  });
});

describe('the source pages', () => {
  it.each(sitePages)('%s has the placeholder once and no key or API URL', async (page) => {
    const html = await readFile(join(sitePublicDir, page), 'utf8');

    expect(html.split(trackerPlaceholder)).toHaveLength(2);
    expect(html).not.toMatch(/data-key|data-api|tracker\.js/);
  });

  it.each([
    ['index.html', '/'],
    ['pricing.html', '/pricing.html'],
    ['support.html', '/support.html'],
    ['app.html', '/app'],
  ])('%s is served with the shared head and header, its own link marked current', async (page, current) => {
    const html = renderSitePage(await readFile(join(sitePublicDir, page), 'utf8'), cfg);

    expect(html).not.toContain('<!--site-');
    expect(html).toContain('  <meta charset="utf-8">\n  <meta name="viewport"');
    expect(html).toContain('<link rel="stylesheet" href="/styles.css">');
    expect(html).toContain('<footer>\n    <div class="wrap">Lumen is a fictional product');
    expect([...html.matchAll(/<a href="([^"]+)" aria-current="page">/g)].map((m) => m[1])).toEqual([current]);
    expect(html.match(/<nav>[\s\S]*<\/nav>/)?.[0].match(/<a /g)).toHaveLength(4);
  });

  it.each(siteAssets)('%s exists', async (asset) => {
    await expect(readFile(join(sitePublicDir, asset))).resolves.toBeTruthy();
  });
});

describe('pageForPath', () => {
  it.each([
    ['/', 'index.html'],
    ['/index.html', 'index.html'],
    ['/pricing', 'pricing.html'],
    ['/pricing.html', 'pricing.html'],
    ['/pricing/', 'pricing.html'],
    ['/support', 'support.html'],
    ['/support.html', 'support.html'],
    ['/app', 'app.html'],
    ['/app.html', 'app.html'],
    ['/app/', 'app.html'],
    ['/app/settings', 'app.html'],
    ['/app/a/b', 'app.html'],
    ['/apps', undefined],
    ['/nope', undefined],
    ['/styles.css', undefined],
    ['/docs/pricing.html', undefined],
    ['/../pricing.html', undefined],
  ])('%s serves %s', (path, page) => {
    expect(pageForPath(path)).toBe(page);
  });
});
