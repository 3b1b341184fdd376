import { useId, useMemo, useState } from 'react';
import { useGoals } from '../hooks/useGoals.js';
import { goalRows, type GoalPanelRow } from '../lib/goals.js';
import { type Filter, panelTop } from '../lib/panels.js';
import { FilterRowHeader, PanelTable } from './PanelTable.js';
import type { PanelReads } from './BreakdownPanel.js';

/**
 * The Goals panel: each custom event of the range (`window.pv.event(name)`) with its visitors,
 * events and conversion rate, the top rows first, the rest behind "Details". Selecting a goal
 * filters the dashboard to the visits in which it happened (`filter=event:<name>`).
 */
export function GoalsPanel({ apiUrl, readKey, range, filter, version, onFilter, onKeyRejected }: PanelReads) {
  const id = useId();
  const [expanded, setExpanded] = useState(false);
  const state = useGoals(apiUrl, readKey, range, filter, version, onKeyRejected);
  const rows = useMemo(() => goalRows(state.rows ?? [], panelTop), [state.rows]);

  return (
    <section className="card table-card panel" aria-labelledby={`${id}-heading`} data-panel="goals">
      <div className="card-head">
        <h2 id={`${id}-heading`}>Goals</h2>
      </div>
      <PanelTable
        id={id}
        read={{ loaded: state.rows !== undefined, ...state }}
        rows={rows}
        empty={
          <>
            {filter ? 'No goals in the filtered visits.' : 'No goals in this range.'} A site counts one with{' '}
            <code>window.pv.event('Signup')</code>.
          </>
        }
        label="Goals"
        property="event"
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
        renderRow={(row) => <GoalRowView key={row.value} row={row} onFilter={onFilter} />}
        expanded={expanded}
        onToggleExpanded={() => setExpanded(!expanded)}
      />
    </section>
  );
}

function GoalRowView({ row, onFilter }: { row: GoalPanelRow; onFilter: (filter: Filter) => void }) {
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
