import { type ReactNode, useMemo, useState } from 'react';
import type { BreakdownProperty, BreakdownRow, PageRow } from '../../../lambdas/query/answers.js';
import { commonHost, formatCount, formatDuration, formatPercent, shortPageLabel } from '../lib/format.js';
import { type Filter, filterLabel } from '../lib/panels.js';
import { defaultSortOrder, nextSortOrder, type SortColumn, type SortOrder, sortRows } from '../lib/stats.js';
import { Choice } from './Choice.js';

interface Props {
  rows: BreakdownRow[];
  /** The breakdown the rows are of, and the one picked (they differ while the new one loads). */
  shown: BreakdownProperty;
  property: BreakdownProperty;
  onProperty: (property: BreakdownProperty) => void;
  /** The limit the rows were asked with: a full page means there may be more. */
  limit: number;
  /** "Export CSV" for the rows shown. */
  exportButton?: ReactNode;
  /** Filters the view by a page: offered on the Pages tab (the API's `page` filter is the visits that viewed it). */
  onFilter?: (filter: Filter) => void;
}

const tabs: { value: BreakdownProperty; label: string; note: string }[] = [
  { value: 'page', label: 'Pages', note: 'Visitors and visits that viewed each page, and its page views.' },
  {
    value: 'entry_page',
    label: 'Entry pages',
    note: 'Visits that started on each page, and all the page views of those visits.',
  },
  {
    value: 'exit_page',
    label: 'Exit pages',
    note: 'Visits that ended on each page, and all the page views of those visits.',
  },
];

export function PagesTable({ rows, shown, property, onProperty, limit, exportButton, onFilter }: Props) {
  const [order, setOrder] = useState(defaultSortOrder);
  const sorted = useMemo(() => sortRows(rows, order), [rows, order]);
  const sortBy = (column: SortColumn) => setOrder(nextSortOrder(order, column));
  const tab = tabs.find((t) => t.value === shown) ?? tabs[0]!;
  // Every page on one host (the usual case): name it once, so a narrow screen shows the paths.
  const host = useMemo(() => commonHost(rows.map((row) => row.value)), [rows]);
  // The Pages tab's rows carry time on page and scroll depth (tracker.full.js reports them).
  const engagement = shown === 'page' && rows.some((row) => 'time_on_page' in row);

  return (
    <section className="card table-card" aria-labelledby="pages-heading">
      <div className="card-head">
        <h2 id="pages-heading">{tab.label}</h2>
        <Choice legend="Pages table" name="breakdown" options={tabs} value={property} onChange={onProperty} />
        {exportButton}
      </div>
      <p className="muted small">
        {host && (
          <>
            Pages on <strong className="pages-host">{host}</strong>.{' '}
          </>
        )}
        {tab.note} Whole days.{rows.length >= limit && ` The top ${formatCount(limit)} by visitors.`} Select a
        heading to sort.
      </p>
      {rows.length === 0 ? (
        <p className="muted">No pages in this range.</p>
      ) : (
        // Focusable so a long page name can be scrolled sideways from the keyboard.
        <div
          className="table-scroll"
          tabIndex={0}
          role="region"
          aria-label={`${tab.label} table`}
          aria-busy={shown !== property}
        >
          <table className="pages" data-property={shown}>
            <thead>
              <tr>
                <SortHeader column="value" label="Page" order={order} onSort={sortBy} className="col-page" />
                <SortHeader column="visitors" label="Visitors" order={order} onSort={sortBy} />
                <SortHeader column="visits" label="Visits" order={order} onSort={sortBy} />
                <SortHeader column="pageviews" label="Pageviews" order={order} onSort={sortBy} />
                {engagement && (
                  <>
                    <th
                      scope="col"
                      title="Seconds the page was visible, averaged over the views that reported it"
                    >
                      Time on page
                    </th>
                    <th
                      scope="col"
                      title="The deepest point reached, averaged over the views that reported it"
                    >
                      Scroll depth
                    </th>
                  </>
                )}
              </tr>
            </thead>
            <tbody>
              {sorted.map((row) => (
                <tr key={row.value} data-page={row.value}>
                  <th scope="row" className="col-page" title={row.value}>
                    {onFilter && shown === 'page' ? (
                      <button
                        type="button"
                        className="cell-filter"
                        aria-label={`Filter: ${filterLabel({ property: 'page', value: row.value })}`}
                        onClick={() => onFilter({ property: 'page', value: row.value })}
                      >
                        {shortPageLabel(row.value, host)}
                      </button>
                    ) : (
                      shortPageLabel(row.value, host)
                    )}
                  </th>
                  <td data-column="visitors">{formatCount(row.visitors)}</td>
                  <td data-column="visits">{formatCount(row.visits)}</td>
                  <td data-column="pageviews">{formatCount(row.pageviews)}</td>
                  {engagement && <EngagementCells row={row as PageRow} />}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** A page's averages, or a dash when no view of it reported its engagement. */
function EngagementCells({ row }: { row: PageRow }) {
  return (
    <>
      <td data-column="time_on_page">{row.time_on_page === null ? '–' : formatDuration(row.time_on_page)}</td>
      <td data-column="scroll_depth">{row.scroll_depth === null ? '–' : formatPercent(row.scroll_depth)}</td>
    </>
  );
}

interface SortHeaderProps {
  column: SortColumn;
  label: string;
  order: SortOrder;
  onSort: (column: SortColumn) => void;
  className?: string;
}

function SortHeader({ column, label, order, onSort, className }: SortHeaderProps) {
  const active = order.column === column;
  return (
    <th scope="col" className={className} aria-sort={active ? order.direction : 'none'}>
      <button type="button" className="sort" onClick={() => onSort(column)}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {active ? (order.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
