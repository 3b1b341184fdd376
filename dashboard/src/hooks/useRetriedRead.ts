import { useEffect, useRef, useState } from 'react';
import { type ApiError, asApiError, isKeyRejected } from '../lib/api.js';
import { refreshIntervalMs } from './useStats.js';

export interface RetriedReadState<T> {
  value?: T;
  /** When `value` was read. */
  updatedAt?: number;
  /** The last read failed; `value` is then the last good one. */
  error?: ApiError;
}

/**
 * Reads an answer, and again whenever `readKey` changes. A failure that may pass (API down,
 * throttled) is read again every few seconds; a refused key goes to `onKeyRejected` (sign in
 * again). With `live`, the answer is also read again every few seconds after a success, and a
 * hidden tab skips its reads (no one is looking) but keeps the schedule.
 */
export function useRetriedRead<T>(
  readKey: string,
  read: (signal: AbortSignal) => Promise<T>,
  onKeyRejected: (error: ApiError) => void,
  { live }: { live: boolean },
): RetriedReadState<T> & { retry: () => void } {
  const [state, setState] = useState<RetriedReadState<T>>({});
  const [attempt, setAttempt] = useState(0);
  const readRef = useRef(read);
  readRef.current = read;
  const onKeyRejectedRef = useRef(onKeyRejected);
  onKeyRejectedRef.current = onKeyRejected;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scheduleNext = () => {
      timer = setTimeout(() => (live && document.hidden ? scheduleNext() : void load()), refreshIntervalMs);
    };

    async function load() {
      try {
        const value = await readRef.current(controller.signal);
        setState({ value, updatedAt: Date.now() });
        if (live) scheduleNext();
      } catch (caught) {
        if (controller.signal.aborted) return;
        const error = asApiError(caught);
        if (isKeyRejected(error)) return onKeyRejectedRef.current(error);
        setState((s) => ({ ...s, error }));
        if (error.kind !== 'bad-request') scheduleNext();
      }
    }

    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [readKey, live, attempt]);

  return { ...state, retry: () => setAttempt((n) => n + 1) };
}
