/**
 * The realtime figures (GET /realtime): who is on the site now. Pure functions, so what the
 * header and the Realtime view say can be checked against the answer it came from.
 */
import type { RealtimeAnswer } from '../../../lambdas/query/answers.js';
import { commonHost, formatCount, shortPageLabel } from './format.js';

/** The window GET /realtime counts: views in the last 5 minutes. */
export const realtimeWindowMinutes = 5;

export type { RealtimeAnswer };
export type RealtimePage = RealtimeAnswer['pages'][number];

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Checks a GET /realtime body has the documented shape, so a proxy's HTML page cannot crash the view. */
export function parseRealtimeAnswer(body: unknown): RealtimeAnswer {
  const { visitors, pageviews, pages } = (body ?? {}) as Partial<Record<keyof RealtimeAnswer, unknown>>;
  if (!isCount(visitors) || !isCount(pageviews))
    throw new TypeError('The API answer has no "visitors" and "pageviews" counts.');
  const validPages =
    Array.isArray(pages) &&
    pages.every(
      (p: { value?: unknown; visitors?: unknown } | null) =>
        typeof p?.value === 'string' && isCount(p.visitors),
    );
  if (!validPages) throw new TypeError('The API answer has a malformed "pages" list.');
  return { visitors, pageviews, pages: pages as RealtimePage[] };
}

/** "1 current visitor", "1,234 current visitors". */
export function currentVisitorsText(visitors: number): string {
  return `${formatCount(visitors)} current visitor${visitors === 1 ? '' : 's'}`;
}

export interface RealtimePageRow extends RealtimePage {
  /** As the pages table shows it: the path when every page is on `host`. */
  label: string;
}

/** The "Pages right now" rows, in the API's order, and the one host they share (named once above the table). */
export function realtimePageRows(pages: RealtimePage[]): {
  host: string | undefined;
  rows: RealtimePageRow[];
} {
  const host = commonHost(pages.map((page) => page.value));
  return { host, rows: pages.map((page) => ({ ...page, label: shortPageLabel(page.value, host) })) };
}
