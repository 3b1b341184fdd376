import type { ReactNode } from 'react';

/**
 * A table that may be wider or longer than its card, in a named region that takes focus, so it
 * can be scrolled from the keyboard (WCAG 2.1.1; axe's scrollable-region-focusable). The one place
 * a non-interactive element takes a tab stop.
 */
export function ScrollRegion({
  label,
  className = 'table-scroll',
  id,
  busy,
  children,
}: {
  /** Its accessible name: "Sources table". */
  label: string;
  className?: string;
  id?: string;
  /** Newer rows are on their way. */
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll without a mouse (see above).
    <section className={className} id={id} tabIndex={0} aria-label={label} aria-busy={busy}>
      {children}
    </section>
  );
}
