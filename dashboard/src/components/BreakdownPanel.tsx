import { useId, useMemo, useState } from 'react';
import type { VisitProperty } from '../../../lambdas/core/domain/visit-properties.js';
import { type PanelReads, usePanelRead } from '../hooks/usePanelRead.js';
import { fetchBreakdown } from '../lib/api.js';
import type { RowValue } from '../lib/filter.js';
import { formatCount } from '../lib/format.js';
import { type Panel, panelRows, type PanelRow } from '../lib/panels.js';
import { FilterRowHeader, PanelTable } from './PanelTable.js';
import { Choice } from './Choice.js';
import { TableExportButton } from './ExportButton.js';

export interface PanelProps<Kind extends Panel['kind']> {
  panel: Extract<Panel, { kind: Kind }>;
  /** The open tab. */
  property: Extract<Panel, { kind: Kind }>['tabs'][number]['value'];
  onProperty: (property: Extract<Panel, { kind: Kind }>['tabs'][number]['value']) => void;
  reads: PanelReads;
}

/**
 * One panel (Sources, Countries, Devices): the top rows of the open tab's breakdown, each with a
 * bar, the rest behind "Details". Selecting a row filters the dashboard by its value.
 */
export function BreakdownPanel({ panel, property, onProperty, reads }: PanelProps<'breakdown'>) {
  const id = useId();
  const [expanded, setExpanded] = useState(false);
  const state = usePanelRead(panel.id, reads, property, fetchBreakdown);
  const shown = state.value?.property ?? property;
  const data = state.value?.answer.data;
  const rows = useMemo(() => panelRows(shown, data ?? []), [shown, data]);
  const tab = panel.tabs.find((t) => t.value === shown) ?? panel.tabs[0]!;
  const pick = (next: VisitProperty) => {
    onProperty(next);
    setExpanded(false);
  };

  return (
    <section className="card table-card panel" aria-labelledby={`${id}-heading`} data-panel={panel.id}>
      <div className="card-head">
        <h2 id={`${id}-heading`}>{panel.title}</h2>
        {panel.tabs.length > 3 ? (
          // Seven tabs do not fit beside a heading on a phone: a select does.
          <select
            aria-label={`${panel.title} shows`}
            className="panel-select"
            value={property}
            onChange={(e) => pick(e.target.value as VisitProperty)}
          >
            {panel.tabs.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        ) : panel.tabs.length > 1 ? (
          <Choice
            legend={`${panel.title} shows`}
            name={`${id}-tab`}
            options={panel.tabs}
            value={property}
            onChange={pick}
          />
        ) : null}
        <TableExportButton reads={reads} property={shown} title={tab.label} />
      </div>
      <PanelTable
        id={id}
        read={{ loaded: data !== undefined, ...state }}
        rows={rows}
        empty={`Nothing to show for ${tab.label} ${reads.filters ? 'in the filtered visits' : 'in this range'}.`}
        label={tab.label}
        property={shown}
        busy={state.loading || shown !== property}
        head={
          <>
            <th scope="col" className="col-page">
              {tab.label}
            </th>
            <th scope="col">Visitors</th>
            <th scope="col">Visits</th>
            <th scope="col">Pageviews</th>
          </>
        }
        renderRow={(row) => (
          <PanelRowView key={row.value} row={row} property={shown} onFilter={reads.onFilter} />
        )}
        expanded={expanded}
        onToggleExpanded={() => setExpanded(!expanded)}
      />
    </section>
  );
}

function PanelRowView({
  row,
  property,
  onFilter,
}: {
  row: PanelRow;
  property: VisitProperty;
  onFilter: (row: RowValue) => void;
}) {
  return (
    <tr data-value={row.value}>
      <FilterRowHeader filter={{ property, value: row.value }} bar={row.bar} onFilter={onFilter}>
        {row.flag && (
          <span className="flag" aria-hidden="true">
            {row.flag}
          </span>
        )}
        {row.label}
      </FilterRowHeader>
      <td data-column="visitors">{formatCount(row.visitors)}</td>
      <td data-column="visits">{formatCount(row.visits)}</td>
      <td data-column="pageviews">{formatCount(row.pageviews)}</td>
    </tr>
  );
}
