/**
 * Calls `onChange` after every in-page navigation of a single-page app: the app's own
 * `history.pushState` / `replaceState` calls (there is no event for those, so they are wrapped,
 * as counterscale's `instrument.ts` and Plausible do), back/forward (`popstate`) and, when asked,
 * `hashchange`. The caller decides whether the URL really changed.
 */
export function onNavigation(onChange: () => void, includeHashChanges: boolean): void {
  wrap('pushState', onChange);
  wrap('replaceState', onChange);
  addEventListener('popstate', onChange);
  if (includeHashChanges) addEventListener('hashchange', onChange);
}

function wrap(method: 'pushState' | 'replaceState', after: () => void): void {
  const original = history[method];
  // Two declared parameters keep the built-in's `length` (https://blog.sentry.io/wrap-javascript-functions/#preserve-arity);
  // `arguments` passes the optional URL through untouched. Errors of the original (a
  // cross-origin URL) still reach the app, as they would without the tracker.
  history[method] = function (this: History, _data: unknown, _unused: string) {
    original.apply(this, arguments as unknown as Parameters<History['pushState']>);
    after();
  };
}
