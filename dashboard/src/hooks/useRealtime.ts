import { type ApiError, fetchRealtime } from '../lib/api.js';
import type { RealtimeAnswer } from '../lib/realtime.js';
import { useRetriedRead } from './useRetriedRead.js';

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
export function useRealtime(
  apiUrl: string,
  readKey: string,
  onKeyRejected: (error: ApiError) => void,
): RealtimeState & { retry: () => void } {
  const { value, updatedAt, error, retry } = useRetriedRead(
    JSON.stringify([apiUrl, readKey]),
    (signal) => fetchRealtime(apiUrl, readKey, { signal }),
    onKeyRejected,
    { live: true },
  );
  return { ...(value ? { answer: value, updatedAt } : {}), ...(error ? { error } : {}), retry };
}
