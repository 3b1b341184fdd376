/**
 * tracker.full.js: how long each page view was seen (engaged time: only while the page is
 * visible) and how far down it was scrolled (the deepest point reached, in percent of the page).
 * Reported once per view, as Plausible 3 does, when the page is hidden (a tab switch, a
 * navigation to another page, closing) or at the next in-page navigation; never on a timer.
 * A view without an id (no crypto.randomUUID outside secure contexts) cannot be named, so its
 * engagement is not sent.
 *
 * One function, to keep the script small: `follow()` reports the view followed until now (once),
 * `follow(id)` does that and then follows the view `id`.
 */
export function trackEngagement(post: (path: string, extra: object) => unknown) {
  let viewId: string | undefined;
  let engagedMs = 0;
  let deepest = 0;
  // When the page was last shown; 0 while it is hidden.
  let shownAt = 0;

  const measureDepth = () => {
    // The deepest point in percent (`+ .5 | 0` rounds, as Math.round for these positive numbers).
    const depth = ((100 * (scrollY + innerHeight)) / document.documentElement.scrollHeight + 0.5) | 0;
    // Past 100 only while the page bounces beyond its end (overscroll).
    if (depth > deepest) deepest = depth > 99 ? 100 : depth;
  };

  const follow = (id?: string) => {
    if (viewId) {
      if (shownAt) engagedMs += Date.now() - shownAt;
      measureDepth();
      post('/engagement', { viewId, engagedMs, scrollDepth: deepest });
    }
    viewId = id;
    engagedMs = deepest = 0;
    shownAt = document.hidden ? 0 : Date.now();
    measureDepth();
  };

  // Scroll events cannot be cancelled, so the listener never holds scrolling up.
  addEventListener('scroll', measureDepth);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) follow();
    else shownAt = Date.now();
  });
  return follow;
}
