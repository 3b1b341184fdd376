import { useEffect, useRef, useState } from 'react';
import { type ApiError, asApiError, isKeyRejected } from '../lib/api.js';

export interface ReloadState<T> {
  value?: T;
  loading: boolean;
  error?: ApiError;
}

/** A panel's state, and `retry` to ask again at once after a failure (the panel's Retry button). */
export type Reloading<T> = ReloadState<T> & { retry: () => void };

/**
 * Loads a panel's answer, and again whenever `reloadKey` changes (its inputs, or the view's
 * refresh): the earlier answer stays on screen while the new one loads, an answer that arrives
 * after a newer request is dropped, and a refused key goes to `onKeyRejected` (sign in again).
 * A failed load waits for the view's next refresh, which asks again, or for `retry`.
 */
export function useReload<T>(
  reloadKey: string,
  load: (signal: AbortSignal) => Promise<T>,
  onKeyRejected: (error: ApiError) => void,
): Reloading<T> {
  const [state, setState] = useState<ReloadState<T>>({ loading: true });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const onKeyRejectedRef = useRef(onKeyRejected);
  onKeyRejectedRef.current = onKeyRejected;

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(controller.signal).then(
      (value) => setState({ value, loading: false }),
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        const error = asApiError(caught);
        if (isKeyRejected(error)) return onKeyRejectedRef.current(error);
        setState((s) => ({ ...s, loading: false, error }));
      },
    );
    return () => controller.abort();
  }, [reloadKey, attempt]);

  return { ...state, retry: () => setAttempt((n) => n + 1) };
}
