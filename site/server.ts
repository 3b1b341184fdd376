/**
 * Serves the demo site for the local stack: the rendered pages, their stylesheet, and
 * `/tracker.js` itself, so the tag can load it from the site's own origin.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentTypeOf, send } from '../local/static-files.js';
import { pageForPath, renderSitePage, siteAssets, sitePublicDir } from './render.js';
import { debugLine, hangUpLine, isClientHangUp } from '../local/aborted.js';

export interface SiteServerConfig {
  siteKey: string;
  apiUrl: string;
  /** The built tracker (`buildTracker().code`), served at /tracker.js. */
  trackerCode: string;
  /**
   * tracker.full.js (`buildTracker({ full: true }).code`): when given, served too, and the pages
   * load it with outbound links and file downloads on, for the demo's tagged buttons and links.
   */
  fullTrackerCode?: string;
}

/** The options the demo site's tag turns on when it loads tracker.full.js. */
export const demoTrackerOptions = ['data-outbound-links', 'data-file-downloads'] as const;

export function createSiteHandler(
  cfg: SiteServerConfig,
): (req: IncomingMessage, res: ServerResponse) => void {
  const render = cfg.fullTrackerCode
    ? {
        siteKey: cfg.siteKey,
        apiUrl: cfg.apiUrl,
        trackerSrc: '/tracker.full.js',
        trackerOptions: demoTrackerOptions,
      }
    : { siteKey: cfg.siteKey, apiUrl: cfg.apiUrl, trackerSrc: '/tracker.js' };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'Only GET and HEAD are served here', 'text/plain; charset=utf-8');
    }
    const { pathname } = new URL(req.url ?? '/', 'http://site.invalid');
    if (pathname === '/tracker.js') return send(res, 200, cfg.trackerCode, contentTypeOf(pathname));
    if (pathname === '/tracker.full.js' && cfg.fullTrackerCode)
      return send(res, 200, cfg.fullTrackerCode, contentTypeOf(pathname));
    const asset = siteAssets.find((name) => pathname === `/${name}`);
    if (asset) return send(res, 200, await readFile(sitePublicDir + asset), contentTypeOf(asset));
    const page = pageForPath(pathname);
    if (!page) return send(res, 404, `No page at ${pathname}`, 'text/plain; charset=utf-8');
    // Read on every request, so an edited page shows on reload while `npm start` runs.
    const html = await readFile(sitePublicDir + page, 'utf8');
    send(res, 200, renderSitePage(html, render), contentTypeOf(page));
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (isClientHangUp(error, req)) return debugLine(hangUpLine('site', req, error));
      console.error('site: could not serve', req.url, error);
      if (res.headersSent) res.destroy();
      else send(res, 500, 'The site could not serve this page', 'text/plain; charset=utf-8');
    });
  };
}
