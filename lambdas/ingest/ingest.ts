/**
 * POST /visits and POST /events: check a page view (or a custom event) and put it on the queue.
 * Everything that can be wrong with a request is found here, before the queue, so the consumer
 * only ever sees well-formed views.
 */
import { randomUUID } from 'node:crypto';
import {
  BadRequestError,
  ForbiddenError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
} from '../core/http/errors.js';
import type { ApiRequest } from '../core/http/request.js';
import { kindOfKey } from '../core/domain/keys.js';
import type { ResolvedKey } from '../core/store/key-resolver.js';
import { ingestLimits, writeRoutes } from '../core/settings.js';
import {
  type EngagementBody,
  type EventBody,
  type IngestBody,
  type QueuedView,
  canonicalPageUrl,
  describeIssues,
  engagementBodySchema,
  eventBodySchema,
  ingestBodySchema,
} from '../core/domain/queued-view.js';
import { visitorIdFrom, visitorIdFromIdentifier } from '../core/domain/visitor.js';
import { isBotUserAgent } from '../core/domain/bots.js';
import { countryOf } from '../core/domain/country.js';
import { acquisitionOf, hostAllowed } from '../core/domain/sources.js';
import { deviceOf } from '../core/domain/user-agent.js';
import { addDays, localDayOf, startOfLocalDay, utc } from '../core/domain/zones.js';

export interface IngestDeps {
  resolveKey(key: string): Promise<ResolvedKey | undefined>;
  /** The salt of a day (YYYY-MM-DD, a day of the site's zone). */
  saltFor(day: string): Promise<string>;
  enqueue(visit: QueuedView): Promise<void>;
  now(): number;
  /** The per-client limit (source IP + User-Agent): false when this client is over it. Absent: no such limit. */
  admitClient?(client: { ip: string; userAgent: string }): boolean;
  /** Counts one more accepted view in the org's day if its daily limit allows it (store/daily-usage.ts). */
  tryAcceptDaily(orgId: string, day: string, limit: number): Promise<boolean>;
  /** Counts a refused request in a metric, by the limit that refused it. */
  countRefused(limit: RefusedBy): void;
}

export type RefusedBy = 'dailyLimit' | 'clientLimit';

// sendBeacon sends text/plain, which needs no CORS preflight; JSON clients send application/json.
const acceptedContentTypes = ['application/json', 'text/plain'];

export async function ingestVisit(request: ApiRequest, deps: IngestDeps): Promise<{ eventId: string }> {
  // First, before any work: a client over its limit costs nothing more than this check.
  if (deps.admitClient && !deps.admitClient({ ip: request.sourceIp, userAgent: request.userAgent })) {
    deps.countRefused('clientLimit');
    throw new TooManyRequestsError(
      'Too many requests from this client (address and browser): slow down and retry in a second.',
      1,
    );
  }
  // The path tells a custom event (it needs a name) or an engagement from a page view.
  const isEvent = request.path.endsWith(writeRoutes.events.path);
  const isEngagement = request.path.endsWith(writeRoutes.engagement.path);
  const body = isEvent
    ? parseBody(request, writeRoutes.events.path, ingestLimits.maxEventBodyBytes)
    : parseBody(
        request,
        isEngagement ? writeRoutes.engagement.path : writeRoutes.pageviews.path,
        ingestLimits.maxBodyBytes,
      );
  const parsed = (
    isEvent ? eventBodySchema : isEngagement ? engagementBodySchema : ingestBodySchema
  ).safeParse(body);
  if (!parsed.success) throw new BadRequestError(describeIssues(parsed.error));
  const input = parsed.data;
  const { name, props } = isEvent ? (input as EventBody) : {};

  const key = input.key ?? request.headers['x-api-key'];
  if (!key)
    throw new UnauthorizedError(
      'A site key is required: send it as the body field "key" or the x-api-key header.',
    );
  if (kindOfKey(key) === 'read')
    throw new ForbiddenError(
      "This is a read key; POST /visits takes the org's site key (it starts with pvs_).",
    );
  if (kindOfKey(key) === 'share')
    throw new ForbiddenError(
      "This is a share key, which only reads a shared dashboard; POST /visits takes the org's site key (it starts with pvs_).",
    );
  const resolved = await deps.resolveKey(key);
  if (resolved?.kind !== 'site')
    throw new UnauthorizedError('Unknown site key: check the data-key attribute of the tracker script tag.');
  if (resolved.revoked)
    throw new ForbiddenError(
      'This site key has been revoked; create a new one with `npm run org -- add-key`.',
    );

  checkDomain(input.pageUrl, request.headers.origin, resolved.domains);

  const now = deps.now();
  const visitedAt = input.visitedAt ? checkVisitedAt(input.visitedAt, now) : now;
  // A visitor is one id on one day of the site's zone: the id is made with that day's salt.
  const visitorId = input.identifier
    ? visitorIdFromIdentifier(resolved.orgId, input.identifier)
    : visitorIdFrom({
        salt: await deps.saltFor(localDayOf(visitedAt, resolved.timezone)),
        orgId: resolved.orgId,
        ip: request.sourceIp,
        userAgent: request.userAgent,
      });

  const pageUrl = canonicalPageUrl(input.pageUrl);
  if (pageUrl.length > ingestLimits.maxUrlLength) {
    throw new BadRequestError(
      `pageUrl without its query string must be at most ${ingestLimits.maxUrlLength} characters; this one has ${pageUrl.length}.`,
    );
  }
  await acceptWithinDailyLimit(resolved, now, deps);
  // What every message of this request carries: whose view, of which page, when.
  const visit = {
    orgId: resolved.orgId,
    pageUrl,
    visitedAt: new Date(visitedAt).toISOString(),
    visitorId,
    ...(resolved.timezone !== utc ? { siteZone: resolved.timezone } : {}),
  };
  const eventId = input.eventId ?? randomUUID();
  const view = describeView(request, input, resolved.domains);
  if (isEngagement) {
    // A bot's engagement is not counted anywhere: accepted, not queued. A page view's visit
    // properties come from the view itself, so only its engagement travels.
    if (!view.bot) await deps.enqueue(engagementOf(input as EngagementBody, { ...visit, eventId }));
    return { eventId };
  }
  await deps.enqueue({
    ...visit,
    eventId,
    ...view,
    ...(name !== undefined ? { name } : {}),
    ...(props && Object.keys(props).length > 0 ? { props } : {}),
  });
  return { eventId };
}

/**
 * The org's daily limit of accepted views (page views, events and bot views alike: each costs
 * the same to count), in days of the site's zone, checked last so that only a request that would
 * be accepted uses it up.
 */
async function acceptWithinDailyLimit(
  site: Pick<ResolvedKey, 'orgId' | 'timezone' | 'dailyLimit'>,
  now: number,
  deps: IngestDeps,
): Promise<void> {
  const day = localDayOf(now, site.timezone);
  if (await deps.tryAcceptDaily(site.orgId, day, site.dailyLimit)) return;
  deps.countRefused('dailyLimit');
  const untilMidnight = Math.ceil((startOfLocalDay(addDays(day, 1), site.timezone) - now) / 1000);
  throw new TooManyRequestsError(
    `This site has reached its daily limit of ${site.dailyLimit} accepted views (days in ${site.timezone}); views are accepted again from midnight. Its owner can raise the limit with npm run org -- set --org <org id> --daily-limit <views>.`,
    untilMidnight,
  );
}

/** The queued engagement of one page view: whole seconds, a whole percentage. */
function engagementOf(input: EngagementBody, visit: QueuedView): QueuedView {
  return {
    ...visit,
    engagement: {
      viewId: input.viewId,
      seconds: Math.round(input.engagedMs / 1000),
      scrollDepth: Math.round(input.scrollDepth),
    },
  };
}

type ViewFields = Pick<
  QueuedView,
  | 'bot'
  | 'country'
  | 'browser'
  | 'os'
  | 'device'
  | 'source'
  | 'referrer'
  | 'channel'
  | 'utm_source'
  | 'utm_medium'
  | 'utm_campaign'
  | 'utm_term'
  | 'utm_content'
>;

/**
 * What the consumer counts about a view besides its page, derived here so that the User-Agent
 * and the raw page URL and referrer never reach the queue. UTM tags are read from the page URL
 * as sent, before its query string is dropped. A bot's view carries only `bot`: it is counted as
 * a bot view and nothing else. Unknown fields are left out.
 */
function describeView(
  request: ApiRequest,
  input: Pick<IngestBody, 'pageUrl' | 'referrer' | 'tz'>,
  ownDomains: string[],
): ViewFields {
  if (isBotUserAgent(request.userAgent)) return { bot: true };
  const view = { pageUrl: input.pageUrl, referrer: input.referrer, ownDomains };
  const fields: ViewFields = {
    country: countryOf({ viewerCountryHeader: request.headers['cloudfront-viewer-country'], tz: input.tz }),
    ...deviceOf(request.userAgent),
    ...acquisitionOf(view),
  };
  for (const name of Object.keys(fields) as (keyof ViewFields)[])
    if (fields[name] === undefined) delete fields[name];
  return fields;
}

function parseBody(request: ApiRequest, route: string, maxBytes: number): unknown {
  const bytes = Buffer.byteLength(request.body, 'utf8');
  if (bytes > maxBytes) {
    throw new PayloadTooLargeError(
      `The body is ${bytes} bytes; POST ${route} accepts at most ${maxBytes} bytes.`,
    );
  }
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType && !acceptedContentTypes.includes(contentType)) {
    throw new UnsupportedMediaTypeError(
      `Content-Type ${contentType} is not accepted; send JSON as application/json or text/plain.`,
    );
  }
  if (!request.body)
    throw new BadRequestError(
      'The body is empty; send a JSON object such as {"key": "pvs_...", "pageUrl": "https://example.com/"}.',
    );
  try {
    return JSON.parse(request.body);
  } catch {
    throw new BadRequestError(
      'The body is not valid JSON; send a JSON object such as {"key": "pvs_...", "pageUrl": "https://example.com/"}.',
    );
  }
}

function checkDomain(pageUrl: string, origin: string | undefined, domains: string[]): void {
  if (domains.length === 0) return;
  const pageHost = new URL(pageUrl).hostname;
  if (!hostAllowed(pageHost, domains)) {
    throw new ForbiddenError(
      `Pages on ${pageHost} are not counted for this site key; it accepts ${domains.join(', ')}.`,
    );
  }
  // A browser always sends Origin on a cross-site beacon; a page on another site cannot borrow the key.
  if (origin && origin !== 'null') {
    const originHost = URL.canParse(origin) ? new URL(origin).hostname : origin;
    if (!hostAllowed(originHost, domains)) {
      throw new ForbiddenError(
        `Requests from ${originHost} are not accepted for this site key; it accepts ${domains.join(', ')}.`,
      );
    }
  }
}

function checkVisitedAt(visitedAt: string, now: number): number {
  const time = Date.parse(visitedAt);
  if (time > now + ingestLimits.maxFutureMs) {
    throw new BadRequestError(
      "visitedAt must be an ISO-8601 time no more than 5 minutes in the future; omit it to use the server's clock.",
    );
  }
  if (time < now - ingestLimits.maxPastMs) {
    throw new BadRequestError('visitedAt must be within the last 24 hours; older visits are not accepted.');
  }
  return time;
}
