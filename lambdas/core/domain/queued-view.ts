/**
 * The queued view: one schema for the SQS message of one page view, custom event or bot view, from
 * which the ingest request body is derived, so the tracker, the ingest function and the consumer
 * agree by construction. (A visit, a run of a visitor's page views, is in visitor-day.ts.)
 * zod/mini keeps the same schemas ~10x smaller in the bundle than the full zod import.
 */
import * as z from 'zod/mini';
import { ingestLimits } from '../settings.js';
import { channels } from './channels.js';
import { type EventProps, readEventProps } from './event-props.js';
import { maxReferrerLength, maxUtmLength } from './sources.js';
import { hasControlCharacter } from './text.js';
import { type VisitDims, visitProperties } from './visit-properties.js';
import { isKnownTimeZone } from './zones.js';

const eventIdPattern = /^[A-Za-z0-9_-]{8,64}$/;
export const maxEventNameLength = 120;
/** A page view is not a custom event. */
export const reservedEventName = 'pageview';
/** `props` of an event: strings by key, within eventPropsLimits, or a 400 that names the key and the rule. */
const eventPropsSchema = z.pipe(
  z.unknown(),
  z.transform((input, ctx): EventProps => {
    const read = readEventProps(input);
    if ('props' in read) return read.props;
    ctx.issues.push({ code: 'custom', message: read.error, input });
    return {};
  }),
);

/** A page seen longer than a day is a tab left open: its engagement is refused. */
const maxEngagedMs = 86_400_000;

/** Longer than any IANA zone name (the longest is 32 characters). */
const maxTimeZoneLength = 64;

export const queuedViewSchema = z.object({
  orgId: z.string(),
  /** Client-made (or server-made) id of this page view; duplicates of it are counted once. */
  eventId: z
    .string()
    .check(
      z.regex(eventIdPattern, { error: 'eventId must be 8 to 64 letters, digits, "-" or "_" (a UUID fits)' }),
    ),
  pageUrl: z
    .url({
      protocol: /^https?$/,
      error: `pageUrl must be an absolute http(s) URL of at most ${ingestLimits.maxUrlLength} characters`,
    })
    .check(
      z.maxLength(ingestLimits.maxUrlLength, {
        error: `pageUrl must be at most ${ingestLimits.maxUrlLength} characters`,
      }),
    ),
  visitedAt: z.iso.datetime({
    offset: true,
    error: 'visitedAt must be an ISO-8601 date-time such as 2024-05-01T12:30:00Z',
  }),
  /** Cookieless visitor id: a salted hash, never the IP or user agent themselves. */
  visitorId: z.string(),
  /**
   * In the body: the page's `document.referrer`. Queued: the external referrer as counted (host
   * and path, no query, sources.ts), absent for the org's own pages and direct visits.
   */
  referrer: z.optional(
    z.string().check(
      z.maxLength(ingestLimits.maxUrlLength, {
        error: `referrer must be at most ${ingestLimits.maxUrlLength} characters`,
      }),
    ),
  ),

  // Derived by ingest from the request, each absent when unknown so the message stays small.
  /** A crawler or script (bots.ts): counted as a bot view, not a page view. It has no other derived field. */
  bot: z.optional(z.literal(true)),
  /** ISO 3166-1 alpha-2: CloudFront-Viewer-Country, else the browser's time zone (country.ts). */
  country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/))),
  /** From the User-Agent (user-agent.ts), which is never queued: Chrome, Safari, Edge, ... */
  browser: z.optional(z.string().check(z.maxLength(40))),
  /** Windows, macOS, iOS, Android, Linux, ChromeOS, ... */
  os: z.optional(z.string().check(z.maxLength(40))),
  device: z.optional(z.enum(['desktop', 'mobile', 'tablet'])),
  /** utm_source, ref or source tag, else the referrer's site or app, named when the referrer databases know it (sources.ts). */
  source: z.optional(z.string().check(z.maxLength(maxReferrerLength))),
  /** GA4's default channel grouping (channels.ts); absent for Direct. */
  channel: z.optional(z.enum(channels.filter((channel) => channel !== 'Direct'))),
  /** Campaign tags of the page URL, trimmed and cut to maxUtmLength. */
  utm_source: z.optional(z.string().check(z.maxLength(maxUtmLength))),
  utm_medium: z.optional(z.string().check(z.maxLength(maxUtmLength))),
  utm_campaign: z.optional(z.string().check(z.maxLength(maxUtmLength))),
  utm_term: z.optional(z.string().check(z.maxLength(maxUtmLength))),
  utm_content: z.optional(z.string().check(z.maxLength(maxUtmLength))),
  /** A custom event's name (POST /events): the view is that event, not a page view. */
  name: z.optional(
    z.string().check(
      z.minLength(1),
      z.maxLength(maxEventNameLength),
      z.refine((name) => !hasControlCharacter(name)),
    ),
  ),
  /** A custom event's properties (event-props.ts). */
  props: z.optional(eventPropsSchema),
  /**
   * POST /engagement: how long the page view `viewId` (its eventId) was seen, in whole seconds,
   * and the deepest point reached, in percent of the page. The message is that, not a view.
   */
  engagement: z.optional(
    z.object({
      viewId: z.string().check(z.regex(eventIdPattern)),
      seconds: z.number().check(z.int(), z.gte(0), z.lte(maxEngagedMs / 1000)),
      scrollDepth: z.number().check(z.int(), z.gte(0), z.lte(100)),
    }),
  ),
  /** The site's time zone when it is not UTC (store/orgs.ts): its local day is the view's visitor-day. */
  siteZone: z.optional(
    z.string().check(z.refine(isKnownTimeZone, { error: 'siteZone must be an IANA time zone name' })),
  ),
});
export type QueuedView = z.infer<typeof queuedViewSchema>;

/** The visit properties a view carries, or undefined when it carries none. */
export function dimsOf(view: QueuedView): VisitDims | undefined {
  const dims: VisitDims = {};
  for (const property of visitProperties) if (view[property] !== undefined) dims[property] = view[property];
  return Object.keys(dims).length > 0 ? dims : undefined;
}

/**
 * What a browser (or any client) posts to POST /visits. Unknown fields are ignored. The page URL
 * may be longer than a stored one: its query string is dropped before it is counted.
 */
export const ingestBodySchema = z.extend(z.pick(queuedViewSchema, { referrer: true }), {
  pageUrl: z.url({ protocol: /^https?$/, error: 'pageUrl must be an absolute http(s) URL' }),
  key: z.optional(z.string().check(z.maxLength(200, { error: 'key must be at most 200 characters' }))),
  eventId: z.optional(queuedViewSchema.shape.eventId),
  visitedAt: z.optional(queuedViewSchema.shape.visitedAt),
  /**
   * The browser's IANA time zone, for the country when no CloudFront header says it. Anything
   * that is not a short string is ignored, never refused: the view still counts.
   */
  tz: z.catch(z.optional(z.string().check(z.maxLength(maxTimeZoneLength))), undefined),
  identifier: z.optional(
    z.string().check(
      z.minLength(1, { error: 'identifier must not be empty when given' }),
      z.maxLength(ingestLimits.maxIdentifierLength, {
        error: `identifier must be at most ${ingestLimits.maxIdentifierLength} characters`,
      }),
    ),
  ),
});
export type IngestBody = z.infer<typeof ingestBodySchema>;

/** What POST /events takes: a page view's body plus the event's name and, optionally, its properties. */
export const eventBodySchema = z.extend(ingestBodySchema, {
  props: z.optional(eventPropsSchema),
  // Trimmed, so "Signup\n" is the "Signup" row; a control character inside is a client's bug, refused.
  name: z.string().check(
    z.trim(),
    z.minLength(1, { error: `name must be 1 to ${maxEventNameLength} characters, such as "Signup"` }),
    z.maxLength(maxEventNameLength, { error: `name must be at most ${maxEventNameLength} characters` }),
    z.refine((name) => name !== reservedEventName, {
      error: `name must not be "${reservedEventName}", which is what a page view is`,
    }),
    z.refine((name) => !hasControlCharacter(name), {
      error:
        'name must not contain control characters (U+0000-U+001F, U+007F-U+009F: line breaks, tabs, NUL); send printable text such as "Signup"',
    }),
  ),
});
export type EventBody = z.infer<typeof eventBodySchema>;

const viewIdRule = 'viewId must be the eventId of the page view: 8 to 64 letters, digits, "-" or "_"';

/** What POST /engagement takes: a page view's body plus the engagement of the view it names. */
export const engagementBodySchema = z.extend(ingestBodySchema, {
  viewId: z.string({ error: viewIdRule }).check(z.regex(eventIdPattern, { error: viewIdRule })),
  engagedMs: z
    .number({ error: 'engagedMs must be the milliseconds the page was visible, from 0 to 86400000' })
    .check(
      z.gte(0, { error: 'engagedMs must be from 0 to 86400000 (a day)' }),
      z.lte(maxEngagedMs, { error: 'engagedMs must be from 0 to 86400000 (a day)' }),
    ),
  scrollDepth: z
    .number({ error: 'scrollDepth must be the deepest point reached, in percent of the page, from 0 to 100' })
    .check(
      z.gte(0, { error: 'scrollDepth must be from 0 to 100 (percent of the page)' }),
      z.lte(100, { error: 'scrollDepth must be from 0 to 100 (percent of the page)' }),
    ),
});
export type EngagementBody = z.infer<typeof engagementBodySchema>;

/**
 * The queued view as an SQS message body. SQS refuses bodies with characters outside its allowed set
 * (U+FFFE and U+FFFF, for one; emulators are stricter still), so every non-ASCII character is
 * written as a JSON escape: any string a client sent can be queued and reads back unchanged.
 */
export function toQueueMessage(view: QueuedView): string {
  return JSON.stringify(view).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The page a visit is counted under: scheme, host and path. The query string is dropped (it
 * splits one page into many and often carries personal data); a fragment is kept only when it
 * is a client-side route (`#/pricing`, `#!/pricing`), as hash-routed apps use.
 */
export function canonicalPageUrl(pageUrl: string): string {
  const url = new URL(pageUrl);
  const route = url.hash.startsWith('#/') || url.hash.startsWith('#!/') ? url.hash : '';
  return `${url.protocol}//${url.host}${url.pathname}${route}`;
}

/** Turns zod issues into one sentence a person can act on. */
export function describeIssues(error: {
  issues: readonly { path: PropertyKey[]; message: string; code?: string }[];
}): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      if (issue.code === 'invalid_type' && issue.message === 'Invalid input')
        return field ? `${field} has the wrong type` : 'the body must be a JSON object';
      return issue.message;
    })
    .join('; ');
}
