/**
 * Shared links: `npm run org -- share` prints the dashboard's URL with `#share=<key>`. The
 * fragment never leaves the browser (no server log, no Referer), and the dashboard removes it
 * from the address bar at once, so the key is not left in history or copied along with the URL.
 */

/** The share key in a location's fragment, if any: `#share=<key>`. */
export function shareKeyFromHash(hash: string): string | undefined {
  const key = new URLSearchParams(hash.replace(/^#/, '')).get('share')?.trim();
  return key ? key : undefined;
}

/** Takes the share key out of the address bar (history.replaceState: no reload, no new entry) and returns it. */
export function takeShareKey(
  location: Location = globalThis.location,
  history: History = globalThis.history,
): string | undefined {
  const key = shareKeyFromHash(location.hash);
  if (key) history.replaceState(history.state, '', location.pathname + location.search);
  return key;
}
