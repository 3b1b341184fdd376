import { type ApiError, fetchRealtime } from '../lib/api.js';
import type { RealtimeAnswer } from '../lib/realtime.js';
import { useRead } from './useRead.js';

export interface RealtimeState {
  answer?: RealtimeAnswer;
  updatedAt?: number;
  /** The last read failed; `answer` is then the last good one. */
  error?: ApiError;
  retry: () => void;
}

/**
 * Who is on the site now (GET /realtime), read every 5 s like a live range, and at the same pace
 * after a failure that may pass; a hidden tab skips its reads. One reader for the header and the
 * Realtime view, so they never disagree.
 */
export function useRealtime(
  apiUrl: string,
  readKey: string,
  onKeyRejected: (error: ApiError) => void,
): RealtimeState {
  const { value, updatedAt, error, retry } = useRead(
    { apiUrl, readKey },
    (asked, signal) => fetchRealtime(asked.apiUrl, asked.readKey, { signal }),
    onKeyRejected,
    { live: true, retryFailures: 'timer' },
  );
  return { ...(value ? { answer: value, updatedAt } : {}), ...(error ? { error } : {}), retry };
}
