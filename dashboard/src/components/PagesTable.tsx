import { useMemo, useState } from 'react';
import { commonHost, formatBucket, formatCount, shortPageLabel } from '../lib/format.js';
import type { Aggregation } from '../lib/time.js';
import { defaultSortOrder, nextSortOrder, type PagesTable as TableData, type SortColumn, type SortOrder, sortRows } from '../lib/visits.js';

interface Props {
  table: TableData;
  aggregation: Aggregation;
}

const bucketId = (start: number) => new Date(start).toISOString();

export function PagesTable({ table, aggregation }: Props) {
  const [order, setOrder] = useState(defaultSortOrder);
  const rows = useMemo(() => sortRows(table.rows, order), [table.rows, order]);
  const sortBy = (column: SortColumn) => setOrder(nextSortOrder(order, column));
  // Every page on one host (the usual case): name it once, so a narrow screen shows the paths.
  const host = useMemo(() => commonHost(table.rows.map((row) => row.page)), [table.rows]);

  return (
    <section className="card table-card" aria-labelledby="pages-heading">
      <h2 id="pages-heading">Pages</h2>
      <p className="muted small">
        {host && (
          <>
            Pages on <strong className="pages-host">{host}</strong>.{' '}
          </>
        )}
        Visits per page and per {aggregation} (UTC). Only {aggregation}s with visits get a column
        {table.hiddenColumns > 0 && `; the ${table.hiddenColumns} earliest are left out here but counted in the totals`}.
        Select a heading to sort.
      </p>
      {/* Focusable so the table can be scrolled sideways from the keyboard. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Pages table">
        <table className="pages">
          <thead>
            <tr>
              <SortHeader column="page" label="Page" order={order} onSort={sortBy} className="col-page" />
              <SortHeader column="total" label="Total" order={order} onSort={sortBy} className="col-total" />
              {table.columns.map((start) => (
                <SortHeader key={start} column={start} label={formatBucket(start, aggregation)} order={order} onSort={sortBy} bucket={bucketId(start)} />
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.page} data-page={row.page}>
                <th scope="row" className="col-page" title={row.page}>
                  {shortPageLabel(row.page, host)}
                </th>
                <td className="col-total" data-total="">
                  {formatCount(row.total)}
                </td>
                {table.columns.map((start) => (
                  <td key={start} data-bucket={bucketId(start)}>
                    {formatCount(row.counts.get(start) ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface SortHeaderProps {
  column: SortColumn;
  label: string;
  order: SortOrder;
  onSort: (column: SortColumn) => void;
  className?: string;
  bucket?: string;
}

function SortHeader({ column, label, order, onSort, className, bucket }: SortHeaderProps) {
  const active = order.column === column;
  return (
    <th scope="col" className={className} aria-sort={active ? order.direction : 'none'} data-bucket={bucket}>
      <button type="button" className="sort" onClick={() => onSort(column)}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {active ? (order.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
