import { type ApiError, fetchSite } from '../lib/api.js';
import { useRead } from './useRead.js';

export interface SiteZoneState {
  /** The site's IANA zone; absent until GET /site has answered. */
  zone?: string;
  /** The last read failed; it is tried again every few seconds, as a range is. */
  error?: ApiError;
  retry: () => void;
}

/**
 * The site's time zone (GET /site), read once per key. No range is asked for before it is known:
 * a range cut in any other zone would be days the site did not count. A refused key goes to
 * `onKeyRejected` (sign in again); any other failure is tried again every few seconds.
 */
export function useSiteZone(
  apiUrl: string,
  readKey: string,
  onKeyRejected: (error: ApiError) => void,
): SiteZoneState {
  const { value, error, retry } = useRead(
    { apiUrl, readKey },
    (asked, signal) => fetchSite(asked.apiUrl, asked.readKey, { signal }),
    onKeyRejected,
    { retryFailures: 'timer' },
  );
  return { ...(value ? { zone: value.timezone } : {}), ...(error ? { error } : {}), retry };
}
