import { useId } from 'react';
import type { PanelReads } from '../hooks/usePanelRead.js';
import { useRead } from '../hooks/useRead.js';
import { fetchProps } from '../lib/api.js';
import { type GoalProperty, readGoalProperties } from '../lib/goal-properties.js';
import { PanelProblem } from './PanelProblem.js';

/**
 * Under the Goals panel, once a goal is clicked (the view filtered to it): each property its
 * events carry (`window.pv.event('Purchase', { props: { plan: 'pro' } })`), with the visitors and
 * events of each value. Read again whenever the view reloads, like every panel.
 */
export function GoalProperties({ goal, reads }: { goal: string; reads: PanelReads }) {
  const id = useId();
  const { apiUrl, readKey, range, filters, version } = reads;
  const state = useRead(
    { apiUrl, readKey, goal, from: range.from, to: range.to, filters, version },
    (asked, signal) =>
      readGoalProperties((property) =>
        fetchProps(
          asked.apiUrl,
          asked.readKey,
          {
            property,
            from: asked.from,
            to: asked.to,
            limit: 100,
            // The view's filters, among them event:<goal>: only that goal's events are counted.
            filters: asked.filters,
          },
          { signal },
        ),
      ),
    reads.onKeyRejected,
    { retryFailures: 'reload', resetWhen: (inputs) => inputs.goal },
  );
  const properties = state.value;

  return (
    <section className="goal-properties" aria-labelledby={`${id}-heading`} data-goal={goal}>
      <h3 id={`${id}-heading`}>Properties of {goal}</h3>
      {state.error && <PanelProblem error={state.error} onRetry={state.retry} />}
      {!properties && !state.error && <p className="muted small">Loading…</p>}
      {properties?.length === 0 && (
        <p className="muted small">
          Its events carry no properties. A site sends some with{' '}
          <code>
            window.pv.event('{goal}', {'{'} props: {'{'} plan: 'pro' {'}'} {'}'})
          </code>
          .
        </p>
      )}
      {properties?.map((property) => (
        <PropertyTable key={property.key} property={property} />
      ))}
    </section>
  );
}

function PropertyTable({ property }: { property: GoalProperty }) {
  return (
    <table className="pages panel-table goal-property" data-property={`props.${property.key}`}>
      <thead>
        <tr>
          <th scope="col" className="col-page">
            {property.key}
          </th>
          <th scope="col">Visitors</th>
          <th scope="col">Events</th>
        </tr>
      </thead>
      <tbody>
        {property.rows.map((row) => (
          <tr key={row.value} data-value={row.value}>
            <th scope="row" className="col-page col-bar">
              <span
                className="bar"
                style={{ width: `${(row.bar * 100).toFixed(1)}%` }}
                data-bar={row.bar}
                aria-hidden="true"
              />
              <span className="row-label">{row.value}</span>
            </th>
            <td data-column="visitors">{row.visitorsText}</td>
            <td data-column="events">{row.eventsText}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
