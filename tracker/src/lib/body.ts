/**
 * The wire format of `POST /visits`, fixed by the ingest Lambda's schema. No `visitedAt`: the
 * server's clock decides when a visit happened, so a wrong client clock cannot skew the counts.
 */
export interface VisitBody {
  key: string;
  pageUrl: string;
  referrer?: string;
  /** A client-made UUID, so the server can drop a duplicate delivery of the same view. */
  eventId?: string;
  identifier?: string;
  /** The browser's IANA time zone, from which the server derives the visitor's country. */
  tz?: string;
}

export function visitBody(key: string, pageUrl: string, identifier?: string): string {
  const body: VisitBody = {
    key,
    pageUrl,
    referrer: document.referrer || undefined,
    // randomUUID exists only in secure contexts (https, localhost); without it the field is
    // left out and the server makes the id itself.
    eventId: crypto.randomUUID && crypto.randomUUID(),
    identifier,
    tz: timeZone(),
  };
  // JSON.stringify leaves out the undefined fields.
  return JSON.stringify(body);
}

/** Left out where Intl is missing or broken: the view counts without a country. */
function timeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    // No country then.
  }
}
