import { useId, useMemo, useState } from 'react';
import { usePanelRead } from '../hooks/usePanelRead.js';
import { fetchBreakdown } from '../lib/api.js';
import type { PageRow } from '../../../lambdas/query/answers.js';
import { commonHost, formatCount, formatDuration, formatPercent, shortPageLabel } from '../lib/format.js';
import { filterLabel } from '../lib/labels.js';
import { rowFilter } from '../lib/filter.js';
import { panelTop, tableRowLimit } from '../lib/panels.js';
import { defaultSortOrder, nextSortOrder, type SortColumn, type SortOrder, sortRows } from '../lib/stats.js';
import type { PanelProps } from './BreakdownPanel.js';
import { Choice } from './Choice.js';
import { DetailsToggle } from './DetailsToggle.js';
import { TableExportButton } from './ExportButton.js';
import { PanelProblem } from './PanelProblem.js';
import { ScrollRegion } from './ScrollRegion.js';

/**
 * The pages table (Pages, Entry pages, Exit pages): the top 10 rows, the rest behind "Details"
 * as on every panel, sortable by any column, with a CSV export. Pages filter the dashboard from the Pages tab (the API's `page`
 * filter is the visits that viewed it).
 */
export function PagesTable({ panel, property, onProperty, reads }: PanelProps<'pages'>) {
  const [order, setOrder] = useState(defaultSortOrder);
  const state = usePanelRead(panel.id, reads, property, fetchBreakdown);
  // The breakdown the rows are of, and the one picked (they differ while the new one loads).
  const shown = state.value?.property ?? property;
  const rows = useMemo(() => state.value?.answer.data ?? [], [state.value]);
  const sorted = useMemo(() => sortRows(rows, order), [rows, order]);
  // The top rows, the rest behind "Details", as every other panel shows them.
  const id = useId();
  const [expanded, setExpanded] = useState(false);
  const visible = expanded ? sorted : sorted.slice(0, panelTop);
  const sortBy = (column: SortColumn) => setOrder(nextSortOrder(order, column));
  const tab = panel.tabs.find((t) => t.value === shown) ?? panel.tabs[0]!;
  // Every page on one host (the usual case): name it once, so a narrow screen shows the paths.
  const host = useMemo(() => commonHost(rows.map((row) => row.value)), [rows]);
  // The Pages tab's rows carry time on page and scroll depth (tracker.full.js reports them).
  // Shown only where some page reported it: a site on tracker.js (no engagement) keeps the table
  // of counts that fits a phone.
  const engagement =
    shown === 'page' &&
    rows.some((row) => (row as PageRow).time_on_page != null || (row as PageRow).scroll_depth != null);
  const { onFilter } = reads;

  return (
    <section className="card table-card" aria-labelledby="pages-heading" data-panel={panel.id}>
      <div className="card-head">
        <h2 id="pages-heading">{tab.label}</h2>
        <Choice
          legend="Pages table"
          name="breakdown"
          options={panel.tabs}
          value={property}
          onChange={onProperty}
        />
        <TableExportButton reads={reads} property={shown} title="pages" />
      </div>
      <p className="muted small">
        {host && (
          <>
            Pages on <strong className="pages-host">{host}</strong>.{' '}
          </>
        )}
        {tab.note} Whole days.
        {rows.length >= tableRowLimit && ` The top ${formatCount(tableRowLimit)} by visitors.`} Select a
        heading to sort.
      </p>
      {state.error && <PanelProblem error={state.error} onRetry={state.retry} />}
      {!state.value ? (
        !state.error && <p className="muted small">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="muted">No pages in this range.</p>
      ) : (
        <ScrollRegion
          label={`${tab.label} table`}
          busy={shown !== property}
          id={`${id}-rows`}
          className={`table-scroll${expanded ? ' panel-expanded' : ''}`}
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
              {visible.map((row) => (
                <tr key={row.value} data-page={row.value}>
                  <th scope="row" className="col-page" title={row.value}>
                    {shown === 'page' ? (
                      <button
                        type="button"
                        className="cell-filter"
                        aria-label={`Filter: ${filterLabel(rowFilter({ property: 'page', value: row.value }))}`}
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
        </ScrollRegion>
      )}
      <DetailsToggle
        more={sorted.length - Math.min(sorted.length, panelTop)}
        expanded={expanded}
        controls={`${id}-rows`}
        onToggle={() => setExpanded(!expanded)}
      />
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
