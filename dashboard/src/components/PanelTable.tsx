import type { ReactNode } from 'react';
import type { ApiError } from '../lib/api.js';
import { type RowValue, rowFilter } from '../lib/filter.js';
import { filterLabel } from '../lib/labels.js';
import { DetailsToggle } from './DetailsToggle.js';
import { PanelProblem } from './PanelProblem.js';
import { ScrollRegion } from './ScrollRegion.js';

interface PanelTableProps<Row extends { value: string }> {
  /** The panel's useId: names the rows' region for the Details button. */
  id: string;
  /** The panel's read: `loaded` is false until its first answer. */
  read: { loaded: boolean; error?: ApiError; retry: () => void };
  rows: { top: Row[]; rest: Row[] };
  /** Said in place of the table when there are no rows. */
  empty: ReactNode;
  /** What the table is of, for its accessible name and `data-property`. */
  label: string;
  property: string;
  /** Newer rows are on their way. */
  busy: boolean;
  /** The header cells. */
  head: ReactNode;
  renderRow: (row: Row) => ReactNode;
  expanded: boolean;
  onToggleExpanded: () => void;
}

/**
 * The body every panel shares (Sources, Countries, Devices, Goals): a failed read with Try again,
 * loading, an empty range, or the top rows with the rest behind "Details".
 */
export function PanelTable<Row extends { value: string }>({
  id,
  read,
  rows,
  empty,
  label,
  property,
  busy,
  head,
  renderRow,
  expanded,
  onToggleExpanded,
}: PanelTableProps<Row>) {
  const visible = expanded ? [...rows.top, ...rows.rest] : rows.top;
  return (
    <>
      {read.error && <PanelProblem error={read.error} onRetry={read.retry} />}
      {!read.loaded ? (
        !read.error && <p className="muted small">Loading…</p>
      ) : rows.top.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <>
          <ScrollRegion
            className={`table-scroll${expanded ? ' panel-expanded' : ''}`}
            id={`${id}-rows`}
            label={`${label} table`}
            busy={busy}
          >
            <table className="pages panel-table" data-property={property}>
              <thead>
                <tr>{head}</tr>
              </thead>
              <tbody>{visible.map(renderRow)}</tbody>
            </table>
          </ScrollRegion>
          <DetailsToggle
            more={rows.rest.length}
            expanded={expanded}
            controls={`${id}-rows`}
            onToggle={onToggleExpanded}
          />
        </>
      )}
    </>
  );
}

/**
 * A panel row's first cell: a bar of its visitors against the top row's, and a button that
 * filters the dashboard by the row's value, named for what it filters by.
 */
export function FilterRowHeader({
  filter,
  bar,
  onFilter,
  children,
}: {
  filter: RowValue;
  bar: number;
  onFilter: (row: RowValue) => void;
  children: ReactNode;
}) {
  const label = filterLabel(rowFilter(filter));
  return (
    <th scope="row" className="col-page col-bar">
      <span
        className="bar"
        style={{ width: `${(bar * 100).toFixed(1)}%` }}
        data-bar={bar}
        aria-hidden="true"
      />
      <button
        type="button"
        className="row-filter"
        aria-label={`Filter: ${label}`}
        title={`Show only the visits where ${label}`}
        onClick={() => onFilter(filter)}
      >
        {children}
      </button>
    </th>
  );
}
