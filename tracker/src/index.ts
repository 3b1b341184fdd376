/**
 * tracker.js: counts page views for the site whose key is on this script's tag.
 *
 *   <script defer src="https://api.example.com/tracker.js" data-key="<site key>"
 *           data-api="https://api.example.com" data-hash data-identifier="u-42"></script>
 *
 * Only `data-key` is required; `data-api` defaults to the script's own origin. No cookies, no
 * storage: the server derives a daily-rotating visitor id on its side (see DECISIONS.md).
 * tracker.full.js is the same script with clicks without code (lib/clicks.ts) and time on page
 * and scroll depth (lib/engagement.ts); tracker.js leaves them out (build.ts).
 * The public API (`window.pv`) is in api.ts; one concern per file in lib/.
 */
import { startTracking } from './api.js';
import { readConfig } from './lib/config.js';
import { whenShown } from './lib/prerender.js';

try {
  const script = document.currentScript as HTMLScriptElement | null;
  // A page opened from disk has no site to count.
  if (script && location.protocol !== 'file:') {
    const config = readConfig(script);
    if (config.key) whenShown(() => neverThrow(() => startTracking(config, script)));
  }
} catch {
  // A broken tag must not break the page it sits on.
}

// startTracking may run later from an event listener, outside the try above.
function neverThrow(run: () => void): void {
  try {
    run();
  } catch {
    // Nothing the host page should ever see.
  }
}
