import { useEffect, useRef, useState } from 'react';
import { ApiError, fetchRealtime, isKeyRejected } from '../lib/api.js';
import type { RealtimeAnswer } from '../lib/realtime.js';
import { refreshIntervalMs } from './useStats.js';

export interface RealtimeState {
  answer?: RealtimeAnswer;
  updatedAt?: number;
  /** The last read failed; `answer` is then the last good one. */
  error?: ApiError;
}

/**
 * Who is on the site now (GET /realtime), read every 5 s like a live range, and at the same pace
 * after a failure that may pass; a hidden tab skips its reads. One reader for the header and the
 * Realtime view, so they never disagree.
 */
export function useRealtime(apiUrl: string, readKey: string, onKeyRejected: (error: ApiError) => void): RealtimeState & { retry: () => void } {
  const [state, setState] = useState<RealtimeState>({});
  const [attempt, setAttempt] = useState(0);
  const onKeyRejectedRef = useRef(onKeyRejected);
  onKeyRejectedRef.current = onKeyRejected;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scheduleNext = () => {
      timer = setTimeout(() => (document.hidden ? scheduleNext() : void load()), refreshIntervalMs);
    };

    async function load() {
      try {
        const answer = await fetchRealtime(apiUrl, readKey, { signal: controller.signal });
        setState({ answer, updatedAt: Date.now() });
        scheduleNext();
      } catch (caught) {
        if (controller.signal.aborted) return;
        const error = caught instanceof ApiError ? caught : new ApiError('server', String(caught));
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
  }, [apiUrl, readKey, attempt]);

  return { ...state, retry: () => setAttempt((n) => n + 1) };
}
