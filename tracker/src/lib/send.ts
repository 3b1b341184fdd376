/**
 * Sends one visit, fire and forget. A string body goes out as `text/plain`, a CORS-safelisted
 * type, so the browser needs no preflight (Plausible and counterscale do the same). sendBeacon
 * survives the page unloading; where it is missing or refuses (its queue is full), fetch with
 * `keepalive` does the same job. Never retried: when the API is struggling, a retrying tracker
 * on every page would multiply the load. Never throws, never rejects into the host page.
 */
export function send(url: string, body: string): void {
  try {
    if (navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
    fetch(url, { method: 'POST', body, keepalive: true, headers: { 'content-type': 'text/plain' } }).catch(
      () => {},
    );
  } catch {
    // Nothing the host page should ever see.
  }
}
