import type { ReactNode } from 'react';
import { type Filter, filterLabel } from '../lib/panels.js';

/**
 * A panel row's first cell: a bar of its visitors against the top row's, and a button that
 * filters the dashboard by the row's value, named for what it filters by.
 */
export function FilterRowHeader({ filter, bar, onFilter, children }: { filter: Filter; bar: number; onFilter: (filter: Filter) => void; children: ReactNode }) {
  const label = filterLabel(filter);
  return (
    <th scope="row" className="col-page col-bar">
      <span className="bar" style={{ width: `${(bar * 100).toFixed(1)}%` }} data-bar={bar} aria-hidden="true" />
      <button type="button" className="row-filter" aria-label={`Filter: ${label}`} title={`Show only the visits where ${label}`} onClick={() => onFilter(filter)}>
        {children}
      </button>
    </th>
  );
}
