/**
 * A small static file server for the local stack's site and dashboard. Enough for development:
 * content types, no directory escapes, and an optional fallback page for single-page apps.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export function send(res: ServerResponse, status: number, body: string | Buffer, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * Serves `root/<path>`; `/` serves index.html. When the file does not exist and `fallback` is
 * given, serves that file instead (a single-page app's client-side routes). Answers 404 otherwise.
 */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  options: { fallback?: string } = {},
): Promise<void> {
  const encoded = new URL(req.url ?? '/', 'http://localhost').pathname;
  // A path such as /%ff is no UTF-8: the client's mistake, answered as such.
  const pathname = safeDecode(encoded);
  if (pathname === undefined)
    return send(
      res,
      400,
      'Bad request: the path is not valid percent-encoded UTF-8',
      'text/plain; charset=utf-8',
    );
  const relative = normalize(pathname.endsWith('/') ? `${pathname}index.html` : pathname);
  const file = join(root, relative);
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep))
    return send(res, 403, 'Forbidden', 'text/plain');
  const found = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  const chosen = found ? file : options.fallback ? join(root, options.fallback) : undefined;
  if (!chosen) return send(res, 404, 'Not found', 'text/plain; charset=utf-8');
  send(res, 200, await readFile(chosen), contentTypeOf(chosen));
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
