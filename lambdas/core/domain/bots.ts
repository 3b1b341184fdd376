/**
 * Crawlers and scripts: their views are counted as bot views, not page views. isbot keeps the
 * list of known crawlers; it lets an empty User-Agent through (no browser sends none) and names
 * Lighthouse only as `Chrome-Lighthouse`, so both are added here.
 */
import { isbot } from 'isbot';

export function isBotUserAgent(userAgent: string | undefined): boolean {
  if (!userAgent?.trim()) return true;
  return isbot(userAgent) || /lighthouse/i.test(userAgent);
}
