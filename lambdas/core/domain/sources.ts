/**
 * Where a page view came from: its campaign tags (UTM) and its source, read from the page URL
 * before the query string is dropped, and the referrer. Referrers from the org's own site are
 * navigation, not sources.
 */

/** A campaign value longer than this is cut: it is a label, and the queue message stays small. */
export const maxUtmLength = 100;
/** The external referrer, as counted: host and path, cut to this length. */
export const maxReferrerLength = 300;

const utmParameters = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export type Utm = Partial<Record<(typeof utmParameters)[number], string>>;

/** A host belongs to a domain when it is that domain or a subdomain of it. */
export function hostAllowed(host: string, domains: readonly string[]): boolean {
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** The UTM tags of a page URL, trimmed and cut; empty ones are left out. */
export function utmOf(pageUrl: string): Utm {
  const params = searchParamsOf(pageUrl);
  const utm: Utm = {};
  for (const name of utmParameters) {
    const value = params && tagValue(params, name);
    if (value) utm[name] = value;
  }
  return utm;
}

/**
 * The source of a view: a `utm_source`, `ref` or `source` tag in the page URL, as given; else the
 * referrer's host when it is not the org's own, named for well-known sites; else undefined,
 * which the dashboard shows as "Direct / None".
 */
export function sourceOf({
  pageUrl,
  referrer,
  ownDomains,
}: {
  pageUrl: string;
  referrer?: string;
  ownDomains: readonly string[];
}): string | undefined {
  const params = searchParamsOf(pageUrl);
  const tagged =
    params && (tagValue(params, 'utm_source') ?? tagValue(params, 'ref') ?? tagValue(params, 'source'));
  if (tagged) return tagged;
  const host = externalReferrerUrl(pageUrl, referrer, ownDomains)?.hostname;
  return host ? sourceName(host) : undefined;
}

/**
 * The referrer as counted in the referrer breakdown: host (without `www.`) and path, no query
 * string or fragment (they carry personal data and split one referrer into many), no trailing
 * slash; undefined for the org's own pages and for anything that is not an http(s) URL.
 */
export function externalReferrerOf({
  pageUrl,
  referrer,
  ownDomains,
}: {
  pageUrl: string;
  referrer?: string;
  ownDomains: readonly string[];
}): string | undefined {
  const url = externalReferrerUrl(pageUrl, referrer, ownDomains);
  if (!url) return undefined;
  return `${withoutWww(url.hostname)}${url.pathname.replace(/\/+$/, '')}`.slice(0, maxReferrerLength);
}

const knownSources: [RegExp, string][] = [
  [/(^|\.)google\.[a-z.]+$/, 'Google'],
  [/(^|\.)bing\.com$/, 'Bing'],
  [/(^|\.)duckduckgo\.com$/, 'DuckDuckGo'],
  [/(^|\.)yahoo\.[a-z.]+$/, 'Yahoo'],
  [/(^|\.)(facebook\.com|fb\.com|fb\.me)$/, 'Facebook'],
  [/(^|\.)(twitter\.com|x\.com)$|^t\.co$/, 'X'],
  [/(^|\.)(linkedin\.com|lnkd\.in)$/, 'LinkedIn'],
  [/(^|\.)reddit\.com$/, 'Reddit'],
  [/^news\.ycombinator\.com$/, 'Hacker News'],
  [/(^|\.)github\.com$/, 'GitHub'],
];

/** A referrer host as a source: a well-known site by its name, any other host without `www.`. */
export function sourceName(host: string): string {
  const lower = host.toLowerCase();
  for (const [pattern, name] of knownSources) if (pattern.test(lower)) return name;
  return withoutWww(lower);
}

function externalReferrerUrl(
  pageUrl: string,
  referrer: string | undefined,
  ownDomains: readonly string[],
): URL | undefined {
  if (!referrer || !URL.canParse(referrer)) return undefined;
  const url = new URL(referrer);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) return undefined;
  const host = url.hostname;
  // With no domains configured, the page's own site (with or without www.) is the org's.
  const own =
    ownDomains.length > 0 ? ownDomains : URL.canParse(pageUrl) ? [withoutWww(new URL(pageUrl).hostname)] : [];
  return hostAllowed(host, own) ? undefined : url;
}

function searchParamsOf(pageUrl: string): URLSearchParams | undefined {
  return URL.canParse(pageUrl) ? new URL(pageUrl).searchParams : undefined;
}

function tagValue(params: URLSearchParams, name: string): string | undefined {
  return params.get(name)?.trim().slice(0, maxUtmLength).trim() || undefined;
}

function withoutWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}
