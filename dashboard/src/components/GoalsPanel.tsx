import { useId, useMemo, useState } from 'react';
import { usePanelRead } from '../hooks/usePanelRead.js';
import { fetchGoals } from '../lib/api.js';
import type { RowValue } from '../lib/filter.js';
import { goalRows, type GoalPanelRow } from '../lib/goals.js';
import { panelTop } from '../lib/panels.js';
import { FilterRowHeader, PanelTable } from './PanelTable.js';
import type { PanelProps } from './BreakdownPanel.js';
import { TableExportButton } from './ExportButton.js';

/**
 * The Goals panel: each custom event of the range (`window.pv.event(name)`) with its visitors,
 * events and conversion rate, the top rows first, the rest behind "Details". Selecting a goal
 * filters the dashboard to the visits in which it happened (`filter=event:<name>`).
 */
export function GoalsPanel({ panel, property, reads }: PanelProps<'goals'>) {
  const id = useId();
  const [expanded, setExpanded] = useState(false);
  const state = usePanelRead(panel.id, reads, property, fetchGoals);
  const data = state.value?.answer.data;
  const rows = useMemo(() => goalRows(data ?? [], panelTop), [data]);

  return (
    <section className="card table-card panel" aria-labelledby={`${id}-heading`} data-panel={panel.id}>
      <div className="card-head">
        <h2 id={`${id}-heading`}>{panel.title}</h2>
        <TableExportButton reads={reads} property={property} title={panel.title} />
      </div>
      <PanelTable
        id={id}
        read={{ loaded: data !== undefined, ...state }}
        rows={rows}
        empty={
          <>
            {reads.filters ? 'No goals in the filtered visits.' : 'No goals in this range.'} A site counts one
            with <code>window.pv.event('Signup')</code>.
          </>
        }
        label={panel.title}
        property={property}
        busy={state.loading}
        head={
          <>
            <th scope="col" className="col-page">
              Goal
            </th>
            <th scope="col">Visitors</th>
            <th scope="col">Events</th>
            <th scope="col" title="Visitors who did it, as a share of all visitors">
              Conversion
            </th>
          </>
        }
        renderRow={(row) => <GoalRowView key={row.value} row={row} onFilter={reads.onFilter} />}
        expanded={expanded}
        onToggleExpanded={() => setExpanded(!expanded)}
      />
    </section>
  );
}

function GoalRowView({ row, onFilter }: { row: GoalPanelRow; onFilter: (row: RowValue) => void }) {
  return (
    <tr data-value={row.value}>
      <FilterRowHeader filter={{ property: 'event', value: row.value }} bar={row.bar} onFilter={onFilter}>
        {row.value}
      </FilterRowHeader>
      <td data-column="visitors">{row.visitorsText}</td>
      <td data-column="events">{row.eventsText}</td>
      <td data-column="conversion_rate">{row.conversionText}</td>
    </tr>
  );
}
