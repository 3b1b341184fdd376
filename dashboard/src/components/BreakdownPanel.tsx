import { useId, useMemo, useState } from 'react';
import type { VisitProperty } from '../../../lambdas/core/domain/visit-properties.js';
import { useBreakdown } from '../hooks/useBreakdown.js';
import type { ApiError } from '../lib/api.js';
import { formatCount } from '../lib/format.js';
import { type Filter, type Panel, panelRows, type PanelRow } from '../lib/panels.js';
import { FilterRowHeader, PanelTable } from './PanelTable.js';
import { Choice } from './Choice.js';

/** What every panel of the view reads with, and what it calls back: the same for the Sources, Countries, Devices and Goals panels. */
export interface PanelReads {
  apiUrl: string;
  readKey: string;
  range: { from: number; to: number };
  /** The filter the tables are read with, if any. */
  filter: Filter | undefined;
  /** Changes whenever the view reloads: the panel asks again then. */
  version: string;
  onFilter: (filter: Filter) => void;
  onKeyRejected: (error: ApiError) => void;
}

interface Props extends PanelReads {
  panel: Panel;
  /** The open tab. */
  property: VisitProperty;
  onProperty: (property: VisitProperty) => void;
}

/**
 * One panel (Sources, Countries, Devices): the top rows of the open tab's breakdown, each with a
 * bar, the rest behind "Details". Selecting a row filters the dashboard by its value.
 */
export function BreakdownPanel({
  panel,
  property,
  onProperty,
  apiUrl,
  readKey,
  range,
  filter,
  version,
  onFilter,
  onKeyRejected,
}: Props) {
  const id = useId();
  const [expanded, setExpanded] = useState(false);
  const state = useBreakdown(apiUrl, readKey, property, range, filter, version, onKeyRejected);
  const shown = state.property ?? property;
  const rows = useMemo(() => panelRows(shown, state.rows ?? []), [shown, state.rows]);
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
      </div>
      <PanelTable
        id={id}
        read={{ loaded: state.rows !== undefined, ...state }}
        rows={rows}
        empty={`Nothing to show for ${tab.label} ${filter ? 'in the filtered visits' : 'in this range'}.`}
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
        renderRow={(row) => <PanelRowView key={row.value} row={row} property={shown} onFilter={onFilter} />}
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
  onFilter: (filter: Filter) => void;
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
