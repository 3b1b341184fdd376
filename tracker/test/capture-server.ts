/**
 * A tiny HTTP server for tracker tests: serves tracker.js and whatever test page is set, and
 * records every `POST /visits` and `POST /events` it receives, the way the real API would see them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedVisit {
  body: string;
  contentType: string | undefined;
}

export interface CaptureServer {
  origin: string;
  /** The HTML served for every GET other than /tracker.js. */
  page: string;
  visits: CapturedVisit[];
  /** The `POST /events` bodies (custom events), kept apart: an event is not a page view. */
  events: CapturedVisit[];
  /** The `POST /engagement` bodies (tracker.full.js: time on page and scroll depth). */
  engagements: CapturedVisit[];
  close(): Promise<void>;
}

export async function startCaptureServer(trackerCode: string): Promise<CaptureServer> {
  const state = {
    page: '<!doctype html><title>empty</title>',
    visits: [] as CapturedVisit[],
    events: [] as CapturedVisit[],
    engagements: [] as CapturedVisit[],
  };
  const server: Server = createServer((req, res) => {
    const captures: Record<string, CapturedVisit[]> = {
      '/visits': state.visits,
      '/events': state.events,
      '/engagement': state.engagements,
    };
    if (req.method === 'POST' && req.url && Object.hasOwn(captures, req.url)) {
      const captured = captures[req.url]!;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        captured.push({
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: req.headers['content-type'],
        });
        res.writeHead(202, { 'access-control-allow-origin': '*' }).end();
      });
      return;
    }
    if (req.url === '/tracker.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(trackerCode);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(state.page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get page() {
      return state.page;
    },
    set page(html: string) {
      state.page = html;
    },
    get visits() {
      return state.visits;
    },
    get events() {
      return state.events;
    },
    get engagements() {
      return state.engagements;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
