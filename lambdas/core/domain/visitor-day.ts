/**
 * The visitor model. A visitor is one visitor id on one day of the site's zone (ids are made
 * from the salt of that day, as in Plausible). All of a visitor's views of that day are kept
 * together, and every visitor metric (visitors, visits, bounces, durations, entry and exit
 * pages) is a function of them: so the same views give the same numbers whatever order they
 * arrived in and however often they were delivered.
 */
import type { EventProps } from './event-props.js';
import type { VisitDims } from './visit-properties.js';

/** A visit ends after this long without a page view (Plausible and Umami use 30 minutes too). */
export const visitGapMs = 30 * 60_000;

/**
 * `extra`: a page view beyond the views kept per visitor-day (settings.visitorModel): counted as
 * a page view, in no visit. `bot`: a crawler's or script's view, counted apart, never a page view.
 * `event`: a custom event (POST /events), never a page view; `extra-event` one past the cap.
 * `engagement`: time on page and scroll depth of a page view (POST /engagement), never a view.
 */
export type ViewKind = 'pageview' | 'bot' | 'extra' | 'event' | 'extra-event' | 'engagement';

/** Whether a view counts as a page view. */
export const isPageview = (view: View) => view.kind === 'pageview' || view.kind === 'extra';
export const isEvent = (view: View) => view.kind === 'event' || view.kind === 'extra-event';

export interface View {
  /** Epoch milliseconds. */
  time: number;
  page: string;
  /** Short hash of the event id: the exactly-once ledger within the visitor-day. */
  hash: string;
  kind: ViewKind;
  /** Source, campaign, country and device of the view, when known. */
  dims?: VisitDims;
  /** A custom event's name. */
  name?: string;
  /** A custom event's properties, when it has any. */
  props?: EventProps;
  /** An engagement's seconds of the page seen and deepest point reached (percent). */
  engagement?: Engagement;
}

export interface Engagement {
  seconds: number;
  scrollDepth: number;
}

export interface VisitorDay {
  orgId: string;
  /** YYYY-MM-DD, a day of `zone`. */
  day: string;
  /** The site's IANA time zone when the visitor-day began: its day and month counters are cut in it. */
  zone: string;
  visitorId: string;
  views: View[];
}

/** A run of one visitor's page views with gaps under 30 minutes, within one day. */
export interface Visit {
  start: number;
  end: number;
  entryPage: string;
  exitPage: string;
  pageviews: number;
  /** Distinct pages viewed in the visit. */
  pages: Set<string>;
  /** Whole seconds from the first page view to the last. */
  durationSeconds: number;
  /** Custom events kept in the visitor-day that belong to the visit (see visitOf). */
  events: number;
  /** Those of its first view: a visit's source, country and device are where it began. */
  dims: VisitDims;
}

/** Views in the order they happened; ties (same millisecond) broken by hash so any arrival order agrees. */
function chronological(views: readonly View[]): View[] {
  return [...views].sort((a, b) => a.time - b.time || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
}

/** Splits a visitor-day's page views into visits. Bot views are never part of a visit. */
export function visitsOf(views: readonly View[]): Visit[] {
  const visits: Visit[] = [];
  let current: Visit | undefined;
  for (const view of chronological(views.filter((v) => v.kind === 'pageview'))) {
    if (current && view.time - current.end < visitGapMs) {
      current.end = view.time;
      current.exitPage = view.page;
      current.pageviews++;
      current.pages.add(view.page);
    } else {
      current = {
        start: view.time,
        end: view.time,
        entryPage: view.page,
        exitPage: view.page,
        pageviews: 1,
        pages: new Set([view.page]),
        durationSeconds: 0,
        events: 0,
        dims: view.dims ?? {},
      };
      visits.push(current);
    }
  }
  for (const visit of visits) visit.durationSeconds = Math.round((visit.end - visit.start) / 1000);
  for (const view of views) {
    const visit = view.kind === 'event' ? visitOf(visits, view.time) : undefined;
    if (visit) visit.events++;
  }
  return visits;
}

/**
 * A visit with one page view and no custom event. An event is an interaction, as in Plausible:
 * a visit that viewed one page and sent an event did not bounce.
 */
export const isBounce = (visit: Visit) => visit.pageviews === 1 && visit.events === 0;

/**
 * The visitor's latest kept page view: where they are now (GET /realtime). Views past the cap are
 * planned apart from the visitor-day, without its state, so they cannot move the visitor: a
 * visitor past the cap stays, once, in the minute and on the page of their last kept view.
 */
export function latestPageview(views: readonly View[]): View | undefined {
  return chronological(views.filter((view) => view.kind === 'pageview')).at(-1);
}

/** The visit an event happened in: the last one that began at or before it, else the first. */
export function visitOf(visits: readonly Visit[], time: number): Visit | undefined {
  let found: Visit | undefined;
  for (const visit of visits) if (visit.start <= time) found = visit;
  return found ?? visits[0];
}
