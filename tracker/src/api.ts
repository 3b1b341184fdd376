import { visitBody } from './lib/body.js';
import type { TrackerConfig } from './lib/config.js';
import { onNavigation } from './lib/history.js';
import { send } from './lib/send.js';

export interface PageViewOptions {
  /** The site's own id for a signed-in visitor; overrides `data-identifier` for this view. */
  identifier?: string;
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
   * Counts a custom event (a goal) on the current page: `window.pv.event('Signup')`. The name
   * is 1-120 characters; `pageview` is reserved. It is sent by the visitor of the last view
   * (same identifier), so conversion rates compare like with like. It never throws.
   */
  event(name: string): void;
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
export function startTracking(config: TrackerConfig): void {
  let lastUrl: string | undefined;
  // The identifier of the last view: an event must be counted for the same visitor.
  let lastIdentifier: string | undefined;

  const countedUrl = (href: string) => (config.hash ? href : href.split('#')[0]!);

  // An empty identifier means none (the API rejects an empty one), so the tag's applies.
  const view = (href: string, identifier?: string) => {
    lastUrl = countedUrl(href);
    lastIdentifier = identifier || config.identifier;
    post('/visits');
  };

  // A view or, with a name, an event: both from the page and visitor of the last view.
  const post = (path: string, name?: string) =>
    send(config.api + path, visitBody(config.key, lastUrl!, lastIdentifier, name));

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
  pv.event = (name) => {
    try {
      post('/events', name);
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
  ((window.pvq || []) as string[]).forEach(pv.event);
  window.pvq = { push: pv.event };
}
