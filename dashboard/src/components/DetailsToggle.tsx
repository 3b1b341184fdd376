import { formatCount } from '../lib/format.js';
import { panelTop } from '../lib/panels.js';

/** Shows a panel's rows past its top ones, or hides them again; nothing when there are none. */
export function DetailsToggle({
  more,
  expanded,
  controls,
  onToggle,
}: {
  more: number;
  expanded: boolean;
  controls: string;
  onToggle: () => void;
}) {
  if (more === 0) return null;
  return (
    <button
      type="button"
      className="button-secondary button-small panel-details"
      aria-expanded={expanded}
      aria-controls={controls}
      onClick={onToggle}
    >
      {expanded ? `Top ${panelTop} only` : `Details: ${formatCount(more)} more`}
    </button>
  );
}
