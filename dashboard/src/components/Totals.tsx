import { displayHost, displayPath, formatBucket, formatCount } from '../lib/format.js';
import type { Aggregation } from '../lib/time.js';
import type { Totals as TotalsData } from '../lib/visits.js';

export function Totals({ totals, aggregation }: { totals: TotalsData; aggregation: Aggregation }) {
  return (
    <dl className="totals" aria-label="Totals for the range">
      <div className="card stat">
        <dt>Visits</dt>
        <dd data-testid="total-visits">{formatCount(totals.visits)}</dd>
      </div>
      <div className="card stat">
        <dt>Pages</dt>
        <dd data-testid="total-pages">{formatCount(totals.pages)}</dd>
      </div>
      <div className="card stat">
        <dt>Busiest {aggregation}</dt>
        <dd>
          {totals.peak ? formatCount(totals.peak.visits) : '–'}
          {totals.peak && <small>{formatBucket(totals.peak.start, aggregation)} UTC</small>}
        </dd>
      </div>
      <div className="card stat">
        <dt>Top page</dt>
        <dd className="stat-page" title={totals.topPage?.page}>
          {/* The path first: on a phone the host would take all the room. */}
          <span className="stat-page-name">{totals.topPage ? displayPath(totals.topPage.page) : '–'}</span>
          {totals.topPage && (
            <small>
              {formatCount(totals.topPage.visits)} visits{URL.canParse(totals.topPage.page) && ` on ${displayHost(new URL(totals.topPage.page).host)}`}
            </small>
          )}
        </dd>
      </div>
    </dl>
  );
}
