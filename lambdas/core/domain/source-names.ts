/**
 * Sources by name: a referrer host, an app's package name or a campaign tag, looked up in the
 * table generated from the referrer databases (known-sources.ts), so every host of one source
 * gives one name and the source's kind (search engine, social network, webmail, ...) says its
 * channel (channels.ts).
 */
import { knownSources, shortForms } from './known-sources.js';
import { countryCodes } from './zone-countries.js';

export type SourceKind = 'search' | 'social' | 'video' | 'email' | 'ai' | 'shopping' | 'ads' | 'named';

export interface KnownSource {
  name: string;
  kind: SourceKind;
}

const kindOfLetter: Record<string, SourceKind> = {
  s: 'search',
  o: 'social',
  v: 'video',
  e: 'email',
  a: 'ai',
  p: 'shopping',
  d: 'ads',
  n: 'named',
};

interface Tables {
  byHost: Map<string, KnownSource>;
  /** Lower-case names, short forms: the source a campaign tag names. */
  byTag: Map<string, KnownSource>;
  paidTags: Set<string>;
}

let parsed: Tables | undefined;

/**
 * The table, parsed on first use rather than at import: a bundle that imports this module
 * without looking a source up (the consumer and query functions, through queued-view.ts) drops the
 * table altogether, and the ingest function's cold start does not pay for it.
 */
function tables(): Tables {
  if (parsed) return parsed;
  const byHost = new Map<string, KnownSource>();
  const byTag = new Map<string, KnownSource>();
  for (const line of knownSources.split('\n')) {
    const tab = line.indexOf('\t');
    const source: KnownSource = { name: line.slice(2, tab), kind: kindOfLetter[line[0]!]! };
    byTag.set(source.name.toLowerCase(), source);
    for (const host of line.slice(tab + 1).split(' ')) byHost.set(host, source);
  }
  const paidTags = new Set<string>();
  for (const line of shortForms.split('\n')) {
    const [form, name] = line.split('\t') as [string, string];
    byTag.set(form, byTag.get(name.toLowerCase())!);
    // As Plausible: a tag like `fb_ads` or `adwords` says the visit was paid for.
    if (/ads?$/.test(form) || form === 'adwords') paidTags.add(form);
  }
  parsed = { byHost, byTag, paidTags };
  return parsed;
}

/** Country codes as they appear in host names (`uk`, not GB's `gb` only). */
let countryLabelSet: Set<string> | undefined;
const countryLabels = () => {
  countryLabelSet ??= new Set([...countryCodes.toLowerCase().split(' '), 'uk']);
  return countryLabelSet;
};
/** Second-level labels under a country code that Matomo's `{}` also covers (google.co.uk, google.com.br). */
const secondLevels = new Set(['com', 'co', 'org', 'net', 'edu', 'gov', 'ac', 'it', 'ne', 'or', 'gob']);

/** The host and its `{}` patterns: a country code label replaced (google.{}, {}.search.yahoo.com). */
function patternsOf(host: string): string[] {
  const labels = host.split('.');
  const patterns = [host];
  const n = labels.length;
  if (n >= 3 && countryLabels().has(labels[n - 1]!) && secondLevels.has(labels[n - 2]!))
    patterns.push([...labels.slice(0, n - 2), '{}'].join('.'));
  labels.forEach((label, i) => {
    if (countryLabels().has(label)) patterns.push(labels.map((l, j) => (j === i ? '{}' : l)).join('.'));
  });
  return patterns;
}

function exactly(host: string): KnownSource | undefined {
  for (const pattern of patternsOf(host)) {
    const source = tables().byHost.get(pattern);
    if (source) return source;
  }
  return undefined;
}

/**
 * The known source of a host (without `www.`, lower case) or an app's package name. A host
 * matches a listed host or, except for search engines, one of its subdomains (l.instagram.com,
 * en.m.wikipedia.org). A search engine is named only on the hosts the database lists, so
 * docs.google.com is not Google Search and a host that merely contains "google" is nothing.
 */
export function knownSourceOfHost(host: string): KnownSource | undefined {
  const bare = host.toLowerCase().replace(/^www\./, '');
  const exact = exactly(bare);
  if (exact) return exact;
  for (let dot = bare.indexOf('.'); dot >= 0; dot = bare.indexOf('.', dot + 1)) {
    const parent = bare.slice(dot + 1);
    if (!parent.includes('.')) break;
    const source = exactly(parent);
    if (source) return source.kind === 'search' ? undefined : source;
  }
  return undefined;
}

/**
 * The known source a campaign tag names, case-insensitively: its name (`google`), a short form
 * (`fb`, `ig`, `yt`), or one of its hosts (`facebook.com`).
 */
export function knownSourceOfTag(tag: string): KnownSource | undefined {
  const lower = tag.trim().toLowerCase();
  return (
    tables().byTag.get(lower) ??
    (/^[a-z0-9.-]+\.[a-z]{2,}$/.test(lower) ? knownSourceOfHost(lower) : undefined)
  );
}

/** A tag that says the visit was paid for whatever its medium says (`adwords`, `fb_ads`). */
export function isPaidTag(tag: string): boolean {
  return tables().paidTags.has(tag.trim().toLowerCase());
}
