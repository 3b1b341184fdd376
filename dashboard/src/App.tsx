import { useCallback, useEffect, useState } from 'react';
import { Dashboard } from './components/Dashboard.js';
import { SignIn } from './components/SignIn.js';
import { type ApiError, describeApiError } from './lib/api.js';
import { type DashboardConfig, loadConfig } from './lib/config.js';
import { clearReadKey, isSharedSession, loadReadKey, saveReadKey } from './lib/session.js';
import { takeShareKey } from './lib/share.js';

/** A shared link's key replaces whatever was signed in, for this tab's session only. */
function initialSession(): { key: string | undefined; shared: boolean } {
  const shareKey = takeShareKey();
  if (shareKey) saveReadKey(shareKey, true);
  return { key: loadReadKey(), shared: isSharedSession() };
}

type ConfigState =
  | { status: 'loading' }
  | { status: 'ready'; config: DashboardConfig }
  | { status: 'failed'; message: string };

export function App() {
  const [configState, setConfigState] = useState<ConfigState>({ status: 'loading' });
  const [{ key: readKey, shared }, setSession] = useState(initialSession);
  const [signInNotice, setSignInNotice] = useState<string>();

  useEffect(() => {
    loadConfig().then(
      (config) => setConfigState({ status: 'ready', config }),
      (error: Error) => setConfigState({ status: 'failed', message: error.message }),
    );
  }, []);

  const signIn = useCallback((key: string) => {
    saveReadKey(key);
    setSignInNotice(undefined);
    setSession({ key, shared: false });
  }, []);
  const signOut = useCallback((notice?: string) => {
    clearReadKey();
    setSignInNotice(notice);
    setSession({ key: undefined, shared: false });
  }, []);
  // A shared link is read by someone who has no read key: the API's reason (revoked), not a sign-in form.
  const [sharedLinkProblem, setSharedLinkProblem] = useState<string>();
  const keyRejected = useCallback(
    (error: ApiError) => {
      if (!shared) return signOut(describeApiError(error).title);
      clearReadKey();
      setSession({ key: undefined, shared: false });
      setSharedLinkProblem(error.message);
    },
    [signOut, shared],
  );

  if (configState.status === 'loading')
    return (
      <p className="page-message" role="status">
        Loading…
      </p>
    );
  if (configState.status === 'failed') {
    return (
      <main className="page-message">
        <div className="alert alert-error" role="alert">
          <p>
            <strong>The dashboard is not configured.</strong> {configState.message} Whoever deployed it needs
            to fix this file.
          </p>
        </div>
      </main>
    );
  }
  if (sharedLinkProblem) {
    return (
      <main className="page-message">
        <div className="alert alert-error" role="alert" data-testid="shared-link-problem">
          <p>
            <strong>This shared link no longer works.</strong> {sharedLinkProblem}
          </p>
        </div>
        <button type="button" className="button-secondary" onClick={() => setSharedLinkProblem(undefined)}>
          Sign in with a read key instead
        </button>
      </main>
    );
  }
  const { apiUrl } = configState.config;
  if (!readKey) return <SignIn apiUrl={apiUrl} notice={signInNotice} onSignedIn={signIn} />;
  return (
    <Dashboard
      apiUrl={apiUrl}
      readKey={readKey}
      shared={shared}
      onSignOut={() => signOut()}
      onKeyRejected={keyRejected}
    />
  );
}
