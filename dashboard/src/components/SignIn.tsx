import { type FormEvent, useState } from 'react';
import { bucketStart } from '../../../lambdas/core/domain/buckets.js';
import { ApiError, describeApiError, fetchStats } from '../lib/api.js';

interface Props {
  apiUrl: string;
  /** Why the person is here again, e.g. their key was revoked while they were signed in. */
  notice?: string | undefined;
  onSignedIn: (readKey: string) => void;
}

/** Checks the key with one small query before accepting it, so a typo is caught here. */
export function SignIn({ apiUrl, notice, onSignedIn }: Props) {
  const [key, setKey] = useState('');
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<{ title: string; action: string }>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const readKey = key.trim();
    if (!readKey)
      return setProblem({
        title: 'Enter your read key.',
        action: 'It was shown once when your organisation was created.',
      });
    setChecking(true);
    setProblem(undefined);
    try {
      const from = bucketStart(Date.now(), 'hour');
      await fetchStats(apiUrl, readKey, { aggregation: 'hour', from, to: from + 3_600_000 });
      onSignedIn(readKey);
    } catch (error) {
      setProblem(describeApiError(error instanceof ApiError ? error : new ApiError('server', String(error))));
      setChecking(false);
    }
  }

  const message =
    problem ?? (notice ? { title: notice, action: 'Sign in again with a current read key.' } : undefined);
  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} noValidate>
        <h1>Pageviews</h1>
        <p className="muted">Sign in with your organisation's read key to see its visits.</p>
        {message && (
          <div className="alert alert-error" role="alert">
            <p>
              <strong>{message.title}</strong> {message.action}
            </p>
          </div>
        )}
        <label htmlFor="read-key">Read key</label>
        <input
          id="read-key"
          name="read-key"
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          disabled={checking}
          required
        />
        <button type="submit" className="button-primary" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
        <p className="muted small">
          The read key was shown once, when your organisation was created (the local stack prints the demo
          organisation's keys when it starts). It stays in this browser tab only and is sent in a header,
          never in a link.
        </p>
      </form>
    </main>
  );
}
