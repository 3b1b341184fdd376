import { type EngagementBody, type EventBody, timeZone } from './lib/body.js';
import type { TrackerConfig } from './lib/config.js';
import { trackEngagement } from './lib/engagement.js';
import { trackClicks } from './lib/clicks.js';
import { onNavigation } from './lib/history.js';
import { send } from './lib/send.js';

export interface PageViewOptions {
  /** The site's own id for a signed-in visitor; overrides `data-identifier` for this view. */
  identifier?: string;
}

export interface EventOptions {
  /** The event's properties: at most 30, keys of 1-64 letters, digits, `_` and `-`, values of 1-2,000 characters. */
  props?: Record<string, string | number | boolean>;
}

/**
 * The one global the tracker adds, for page views the automatic tracking cannot see:
 *
 *   window.pv && window.pv();                                  // the current URL, again
 *   window.pv && window.pv('/virtual/step-2');                 // any URL, resolved against the page
 *   window.pv && window.pv(undefined, { identifier: 'u-42' }); // a signed-in visitor
 *
 * A manual call always counts, even for the URL counted last: the site asked for it.
 * It never throws.
 */
export type PageView = ((url?: string, options?: PageViewOptions) => void) & {
  /**
   * Counts a custom event (a goal) on the current page: `window.pv.event('Signup')`, or with
   * properties `window.pv.event('Purchase', { props: { plan: 'pro' } })`. The name is 1-120
   * characters; `pageview` is reserved. It is sent by the visitor of the last view (same
   * identifier), so conversion rates compare like with like. It never throws.
   */
  event(name: string, options?: EventOptions): void;
};

declare global {
  interface Window {
    pv: PageView;
    /** Events queued before the tracker ran, then `{ push: pv.event }` (see startTracking). */
    pvq?: { push(name: string): unknown } | string[];
  }
}

/**
 * Counts the current page, then every in-page navigation to a different URL, and installs
 * `window.pv`. Without `data-hash` the `#fragment` is not part of the counted URL, so jumping to
 * an anchor is not a new page view.
 */
export function startTracking(config: TrackerConfig, script: HTMLScriptElement): void {
  let lastUrl: string | undefined;
  // The identifier of the last view: an event must be counted for the same visitor.
  let lastIdentifier: string | undefined;

  const countedUrl = (href: string) => (config.hash ? href : href.split('#')[0]!);

  // An empty identifier means none (the API rejects an empty one), so the tag's applies.
  const view = (href: string, identifier?: string) => {
    if (FULL) follow!();
    lastUrl = countedUrl(href);
    lastIdentifier = identifier || config.identifier;
    if (FULL) follow!(post('/visits'));
    else post('/visits');
  };

  // A view, an event or an engagement: all from the page and visitor of the last view. In
  // tracker.full.js it answers the id it was sent with, which the engagement names.
  const post = (path: string, extra?: object, name?: string): string | undefined => {
    // The body (lib/body.ts has its type and rules) is built here: a builder function's call
    // and parameters cost more bytes than the object itself.
    const body: EventBody & EngagementBody = {
      key: config.key,
      pageUrl: lastUrl!,
      referrer: document.referrer || undefined,
      // randomUUID exists only in secure contexts (https, localhost); without it the field is
      // left out and the server makes the id itself.
      eventId: crypto.randomUUID && crypto.randomUUID(),
      identifier: lastIdentifier,
      tz: timeZone(),
      name,
    };
    // Object.assign, not a spread: for ES2017 esbuild would add a helper to every download.
    if (FULL) Object.assign(body, extra);
    send(config.api + path, JSON.stringify(body));
    if (FULL) return body.eventId;
  };
  // tracker.full.js: reports the engagement of the view before, once, then follows the new one.
  const follow = FULL ? trackEngagement(post) : undefined;

  // Once per distinct URL: an app that calls replaceState to store scroll state, or a popstate
  // for an anchor jump, must not count the same page twice in a row.
  const viewIfChanged = () => {
    try {
      if (countedUrl(location.href) !== lastUrl) view(location.href);
    } catch {
      // Never into the host page.
    }
  };

  const pv = ((url, options) => {
    try {
      view(new URL(url || location.href, location.href).href, options && options.identifier);
    } catch {
      // Never into the host page.
    }
  }) as PageView;
  pv.event = (name, options) => {
    try {
      // Properties in tracker.full.js: tracker.js keeps to its 800 bytes.
      if (FULL) post('/events', { props: options && options.props }, name);
      else post('/events', undefined, name);
    } catch {
      // Never into the host page.
    }
  };
  window.pv = pv;

  onNavigation(viewIfChanged, config.hash);
  viewIfChanged();
  // `(window.pvq = window.pvq || []).push('Signup')` works before and after load (Google
  // Analytics' _gaq pattern): events queued until now are sent after the first view, and from
  // now on push sends at once.
  ((window.pvq || []) as string[]).forEach(pv.event as (name: string) => void);
  window.pvq = { push: pv.event };
  if (FULL) trackClicks(script, pv.event);
}
