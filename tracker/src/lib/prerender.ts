/**
 * Runs `start` once the page is really shown. A page that Chrome only prerenders (speculation
 * rules) may never be seen, so counting it then would inflate the numbers (Plausible waits too).
 */
export function whenShown(start: () => void): void {
  if ((document as Document & { prerendering?: boolean }).prerendering) {
    document.addEventListener('prerenderingchange', start);
  } else {
    start();
  }
}
