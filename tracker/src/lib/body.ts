/**
 * The wire format of `POST /visits`: the ingest Lambda's own body type (a type-only import, so
 * the tracker carries no byte of the schema and cannot drift from it). No `visitedAt`: the
 * server's clock decides when a visit happened, so a wrong client clock cannot skew the counts.
 * `eventId` is a client-made UUID, so the server can drop a duplicate delivery of the same view;
 * `tz` is the browser's IANA time zone, from which the server derives the visitor's country.
 * api.ts builds the body (`post`); here are its types, from the ingest's own.
 */
import type {
  EngagementBody as IngestEngagementBody,
  EventBody as IngestEventBody,
  IngestBody,
} from '../../../lambdas/core/domain/queued-view.js';

export type VisitBody = Pick<IngestBody, 'pageUrl' | 'referrer' | 'eventId' | 'identifier' | 'tz'> & {
  key: string;
};

/** `POST /events`: a page view's body plus the event's name and properties (the same builder, so they cannot drift). */
export type EventBody = VisitBody & Partial<Pick<IngestEventBody, 'name' | 'props'>>;

/** `POST /engagement` (tracker.full.js): a page view's body plus the engagement of the view `viewId`. */
export type EngagementBody = VisitBody &
  Partial<Pick<IngestEngagementBody, 'viewId' | 'engagedMs' | 'scrollDepth'>>;

/** Left out where Intl is missing or broken: the view counts without a country. */
export function timeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    // No country then.
  }
}
