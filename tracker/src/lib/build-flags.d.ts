/**
 * Set by tracker/build.ts: true in tracker.full.js (clicks without code, time on page and scroll
 * depth), false in tracker.js, where esbuild then drops every `if (FULL)` branch.
 */
declare const FULL: boolean;
