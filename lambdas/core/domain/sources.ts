/**
 * Where a page view came from: its campaign tags (UTM) and its source, read from the page URL
 * before the query string is dropped, and the referrer. Referrers from the org's own site are
 * navigation, not sources.
 */

import { type Channel, channelOf } from './channels.js';
import { type SourceKind, isPaidTag, knownSourceOfHost, knownSourceOfTag } from './source-names.js';

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

/** A view's source as counted, with what the referrer databases know of it. */
export interface NamedSource {
  name: string;
  kind?: SourceKind;
  /** Named by a tag that says the visit was paid for (`adwords`, `fb_ads`). */
  paidTag?: boolean;
}

/**
 * The source of a view: a `utm_source`, `ref` or `source` tag in the page URL, named the way the
 * referrer databases name it when they know it (case-insensitively, short forms such as `fb` or
 * `ig` included), else as given; else the referrer's site or app when it is not the org's own,
 * named when known, else its host without `www.` or the app's package name; else undefined,
 * which the dashboard shows as "Direct / None".
 */
export function namedSourceOf({
  pageUrl,
  referrer,
  ownDomains,
}: {
  pageUrl: string;
  referrer?: string;
  ownDomains: readonly string[];
}): NamedSource | undefined {
  const params = searchParamsOf(pageUrl);
  const tagged =
    params && (tagValue(params, 'utm_source') ?? tagValue(params, 'ref') ?? tagValue(params, 'source'));
  if (tagged) {
    const known = knownSourceOfTag(tagged);
    if (!known) return { name: tagged };
    return isPaidTag(tagged) ? { ...known, paidTag: true } : { ...known };
  }
  const host = externalReferrerUrl(pageUrl, referrer, ownDomains)?.hostname;
  if (!host) return undefined;
  const known = knownSourceOfHost(host);
  return known ? { ...known } : { name: withoutWww(host.toLowerCase()) };
}

/** The source's name alone (see namedSourceOf). */
export function sourceOf(view: { pageUrl: string; referrer?: string; ownDomains: readonly string[] }) {
  return namedSourceOf(view)?.name;
}

/** Where a view came from, as queued: its source, external referrer, channel and campaign tags. */
export interface Acquisition extends Utm {
  source?: string;
  referrer?: string;
  /** Undefined for Direct, what a visit without one is counted as (channels.ts). */
  channel?: Exclude<Channel, 'Direct'>;
}

/**
 * A view's source, referrer, channel and UTM tags, read once from its page URL and referrer. The
 * channel (channels.ts) follows from the named source, the tags and an ad click id in the URL;
 * Direct is left out, so the queue message and the visitor-day stay a few bytes smaller for the
 * most common value.
 */
export function acquisitionOf(view: {
  pageUrl: string;
  referrer?: string;
  ownDomains: readonly string[];
}): Acquisition {
  const source = namedSourceOf(view);
  const utm = utmOf(view.pageUrl);
  const params = searchParamsOf(view.pageUrl);
  const clickId = params?.has('gclid') ? 'gclid' : params?.has('msclkid') ? 'msclkid' : undefined;
  const channel = channelOf({
    ...utm,
    ...(source ? { source: source.name, kind: source.kind, paidTag: source.paidTag } : {}),
    ...(clickId ? { clickId } : {}),
  });
  const acquisition: Acquisition = { ...utm };
  if (source) acquisition.source = source.name;
  const referrer = externalReferrerOf(view);
  if (referrer) acquisition.referrer = referrer;
  if (channel !== 'Direct') acquisition.channel = channel;
  return acquisition;
}

/**
 * The referrer as counted in the referrer breakdown: host (without `www.`) and path, no query
 * string or fragment (they carry personal data and split one referrer into many), no trailing
 * slash; `android-app://<package>` for an app; undefined for the org's own pages and for anything
 * else that is not an http(s) URL.
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
  if (url.protocol === androidApp) return `android-app://${url.hostname}`;
  return `${withoutWww(url.hostname)}${url.pathname.replace(/\/+$/, '')}`.slice(0, maxReferrerLength);
}

/** An app's link (Gmail, Slack, Telegram on Android): `android-app://<package name>/...`. */
const androidApp = 'android-app:';

function externalReferrerUrl(
  pageUrl: string,
  referrer: string | undefined,
  ownDomains: readonly string[],
): URL | undefined {
  if (!referrer || !URL.canParse(referrer)) return undefined;
  const url = new URL(referrer);
  if (url.protocol === androidApp) return url.hostname ? url : undefined;
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
