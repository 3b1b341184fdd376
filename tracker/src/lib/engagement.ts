/**
 * tracker.full.js: how long each page view was seen (engaged time: only while the page is
 * visible) and how far down it was scrolled (the deepest point reached, in percent of the page).
 * Reported once per view, as Plausible 3 does, when the page is hidden (a tab switch, a
 * navigation to another page, closing) or at the next in-page navigation; never on a timer.
 * A view without an id (no crypto.randomUUID outside secure contexts) cannot be named, so its
 * engagement is not sent.
 */
export function trackEngagement(post: (path: string, name: undefined, extra: object) => unknown) {
  let viewId: string | undefined;
  let engagedMs = 0;
  let deepest = 0;
  // When the page was last shown; 0 while it is hidden.
  const shownNow = () => (document.hidden ? 0 : Date.now());
  let shownAt = 0;

  const measureDepth = () => {
    // The root's scrollHeight is at least the viewport's height, so this is at most 100.
    const depth = Math.round((100 * (scrollY + innerHeight)) / document.documentElement.scrollHeight);
    if (depth > deepest) deepest = depth;
  };

  const end = () => {
    if (!viewId) return;
    if (shownAt) engagedMs += Date.now() - shownAt;
    measureDepth();
    post('/engagement', undefined, { viewId, engagedMs, scrollDepth: Math.min(deepest, 100) });
    viewId = undefined;
  };

  // Scroll events cannot be cancelled, so the listener never holds scrolling up.
  addEventListener('scroll', measureDepth);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) end();
    shownAt = shownNow();
  });

  return {
    /** Reports the view followed until now, if it was not reported yet. */
    end,
    /** Follows a new page view from now. */
    start(id: string | undefined) {
      viewId = id;
      engagedMs = deepest = 0;
      shownAt = shownNow();
      measureDepth();
    },
  };
}
