import { useMemo } from 'react';
import type { ApiError } from '../lib/api.js';
import { formatClock, formatCount } from '../lib/format.js';
import {
  currentVisitorsText,
  type RealtimeAnswer,
  realtimePageRows,
  realtimeWindowMinutes,
} from '../lib/realtime.js';
import { ScrollRegion } from './ScrollRegion.js';
import { ErrorBanner, LoadingState } from './Status.js';

/**
 * "N current visitors" in the top bar. A polite live region: React writes to it only when the
 * text changes, so a screen reader hears the number when it moves, not every 5 s.
 */
export function CurrentVisitors({
  answer,
  failing,
}: {
  answer?: RealtimeAnswer | undefined;
  failing: boolean;
}) {
  return (
    <p
      className="current-visitors"
      aria-live="polite"
      aria-atomic="true"
      data-testid="current-visitors"
      data-value={answer?.visitors}
      // Stale numbers stay, without the dot: they are no longer live.
      title={
        failing
          ? 'Not updating: the last read of who is on the site failed.'
          : `Visitors in the last ${realtimeWindowMinutes} minutes, refreshed every 5 s`
      }
    >
      {answer && (
        <>
          {!failing && <span className="live-dot" aria-hidden="true" />}{' '}
          {currentVisitorsText(answer.visitors)}
        </>
      )}
    </p>
  );
}

interface ViewProps {
  answer?: RealtimeAnswer | undefined;
  updatedAt?: number | undefined;
  /** The site's zone, whose clock "Updated" reads. */
  zone: string;
  error?: ApiError | undefined;
  onRetry: () => void;
}

/** The Realtime range: who is on the site now and where, from GET /realtime. No chart (DECISIONS.md). */
export function RealtimeView({ answer, updatedAt, zone, error, onRetry }: ViewProps) {
  const pages = useMemo(() => answer && realtimePageRows(answer.pages), [answer]);
  return (
    <>
      <div className="range-summary">
        <h1>Realtime</h1>
        <p>Last {realtimeWindowMinutes} minutes</p>
        <p className="muted small">
          {!error && (
            <span className="live">
              <span className="live-dot" aria-hidden="true" /> Live, refreshing every 5 s.{' '}
            </span>
          )}
          {updatedAt ? `Updated ${formatClock(updatedAt, zone)}.` : 'Loading…'}
        </p>
      </div>
      {error && <ErrorBanner error={error} onRetry={onRetry} stale={Boolean(answer)} />}
      {!answer && !error && <LoadingState />}
      {answer && pages && (
        <>
          <section className="totals-section" aria-label={`The last ${realtimeWindowMinutes} minutes`}>
            <dl className="totals realtime-totals">
              <div className="card stat">
                <dt>Current visitors</dt>
                <dd data-testid="realtime-visitors" data-value={answer.visitors}>
                  {formatCount(answer.visitors)}
                </dd>
              </div>
              <div className="card stat">
                <dt>Pageviews, last {realtimeWindowMinutes} min</dt>
                <dd data-testid="realtime-pageviews" data-value={answer.pageviews}>
                  {formatCount(answer.pageviews)}
                </dd>
              </div>
            </dl>
          </section>
          <section className="card table-card" aria-labelledby="realtime-pages-heading">
            <div className="card-head">
              <h2 id="realtime-pages-heading">Pages right now</h2>
            </div>
            <p className="muted small">
              {pages.host && (
                <>
                  Pages on <strong className="pages-host">{pages.host}</strong>.{' '}
                </>
              )}
              Each visitor of the last {realtimeWindowMinutes} minutes on the page they viewed last.
            </p>
            {pages.rows.length === 0 ? (
              <p className="muted">No one has viewed a page in the last {realtimeWindowMinutes} minutes.</p>
            ) : (
              <ScrollRegion label="Pages right now table">
                <table className="pages realtime-pages">
                  <thead>
                    <tr>
                      <th scope="col" className="col-page">
                        Page
                      </th>
                      <th scope="col">Visitors</th>
                    </tr>
                  </thead>
                  <tbody>
                    {pages.rows.map((row) => (
                      <tr key={row.value} data-page={row.value}>
                        <th scope="row" className="col-page" title={row.value}>
                          {row.label}
                        </th>
                        <td data-column="visitors">{formatCount(row.visitors)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )}
          </section>
        </>
      )}
    </>
  );
}
