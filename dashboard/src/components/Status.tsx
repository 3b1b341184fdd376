import { type ApiError, describeApiError } from '../lib/api.js';
import { formatClock, formatDays } from '../lib/format.js';
import type { ResolvedRange } from '../lib/range.js';

/** The range actually shown, as days of the site's zone, and whether it is live. */
interface RangeSummaryProps {
  title: string;
  range: ResolvedRange;
  updatedAt?: number | undefined;
  loading: boolean;
  /** Refreshing has stopped working: do not claim the view is live. */
  failing: boolean;
}

export function RangeSummary({ title, range, updatedAt, loading, failing }: RangeSummaryProps) {
  return (
    <div className="range-summary">
      <h1>{title}</h1>
      <p>
        <span data-testid="range-days">{formatDays(range.from, range.to, range.zone)}</span>
      </p>
      <p className="muted small">
        {range.live && !failing && (
          <span className="live">
            <span className="live-dot" aria-hidden="true" /> Live, refreshing every 5 s.{' '}
          </span>
        )}
        {loading ? 'Loading…' : updatedAt ? `Updated ${formatClock(updatedAt, range.zone)}.` : ''}
      </p>
    </div>
  );
}

export function ErrorBanner({
  error,
  onRetry,
  stale,
}: {
  error: ApiError;
  onRetry: () => void;
  stale: boolean;
}) {
  const { title, action } = describeApiError(error);
  return (
    <div className="alert alert-error" role="alert">
      <div>
        <strong>{title}</strong> {action}
        {stale && ' The numbers below are from the last successful update.'}
      </div>
      <button type="button" className="button-secondary" onClick={onRetry}>
        Try again now
      </button>
    </div>
  );
}

export function EmptyState() {
  return (
    <div className="card empty" role="status">
      <h2>No page views in this range</h2>
      <p className="muted">
        Try a longer range. If you have just added the tracking script to your site, open one of its pages:
        views show up here within a few seconds.
      </p>
    </div>
  );
}

export function LoadingState() {
  return (
    <div className="card loading" role="status">
      <span className="spinner" aria-hidden="true" /> Loading…
    </div>
  );
}
