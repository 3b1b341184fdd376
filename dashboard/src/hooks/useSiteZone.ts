import { useEffect, useRef, useState } from 'react';
import { ApiError, fetchSite, isKeyRejected } from '../lib/api.js';
import { refreshIntervalMs } from './useStats.js';

export interface SiteZoneState {
  /** The site's IANA zone; absent until GET /site has answered. */
  zone?: string;
  /** The last read failed; it is tried again every few seconds, as a range is. */
  error?: ApiError;
}

/**
 * The site's time zone (GET /site), read once per key. No range is asked for before it is known:
 * a range cut in any other zone would be days the site did not count. A refused key goes to
 * `onKeyRejected` (sign in again); any other failure is tried again every few seconds.
 */
export function useSiteZone(apiUrl: string, readKey: string, onKeyRejected: (error: ApiError) => void): SiteZoneState & { retry: () => void } {
  const [state, setState] = useState<SiteZoneState>({});
  const [attempt, setAttempt] = useState(0);
  const onKeyRejectedRef = useRef(onKeyRejected);
  onKeyRejectedRef.current = onKeyRejected;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;

    async function load() {
      try {
        const { timezone } = await fetchSite(apiUrl, readKey, { signal: controller.signal });
        setState({ zone: timezone });
      } catch (caught) {
        if (controller.signal.aborted) return;
        const error = caught instanceof ApiError ? caught : new ApiError('server', String(caught));
        if (isKeyRejected(error)) return onKeyRejectedRef.current(error);
        setState({ error });
        if (error.kind !== 'bad-request') timer = setTimeout(() => void load(), refreshIntervalMs);
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
