import { type ApiError, describeApiError } from '../lib/api.js';

/** A panel's failed load, said in a line, with a way to ask again now rather than at the next refresh. */
export function PanelProblem({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  return (
    <p role="alert" className="small export-problem">
      {describeApiError(error).title}{' '}
      <button type="button" className="button-secondary button-small" onClick={onRetry}>
        Try again
      </button>
    </p>
  );
}
