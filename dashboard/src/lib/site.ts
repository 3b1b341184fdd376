/**
 * GET /site: what the dashboard must know of the site before it asks for a range, its time
 * zone. Every range is whole days of that zone and every time on screen is its wall time.
 */
import { isKnownTimeZone } from '../../../lambdas/core/domain/zones.js';
import type { SiteAnswer } from '../../../lambdas/query/answers.js';

/** Checks a GET /site body has the documented shape and a zone this browser can count in. */
export function parseSiteAnswer(body: unknown): SiteAnswer {
  const timezone = (body as { timezone?: unknown } | null)?.timezone;
  if (typeof timezone !== 'string' || !timezone) throw new TypeError('The API answer has no "timezone".');
  // Intl throws on a zone it does not know: say so once, here, instead of on every range.
  if (!isKnownTimeZone(timezone))
    throw new TypeError(`This browser does not know the site's time zone, ${timezone}.`);
  const { name, domains } = (body ?? {}) as { name?: unknown; domains?: unknown };
  return {
    timezone,
    // Which site this is; an API from before names were sent answers without them.
    name: typeof name === 'string' ? name : '',
    domains: Array.isArray(domains) ? domains.filter((d): d is string => typeof d === 'string') : [],
  };
}

/** How the dashboard names the site: its name, with its first domain when it has one. */
export function siteTitle(site: Pick<SiteAnswer, 'name' | 'domains'>): string {
  const domain = site.domains[0];
  return [site.name, domain && domain !== site.name ? domain : ''].filter(Boolean).join(' · ');
}

/** The line that names the zone on screen, e.g. "Times in Europe/Berlin". */
export function zoneNote(zone: string): string {
  return `Times in ${zone}`;
}
