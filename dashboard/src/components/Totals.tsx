import { useId } from 'react';
import type { StatsTotals } from '../../../lambdas/query/answers.js';
import { changes } from '../lib/compare.js';
import { type ChartMetric, topRow } from '../lib/stats.js';

/**
 * The top row; clicking a figure charts it (as in Plausible). Visitors of a multi-day range are the sum of each day's visitors (ids rotate
 * daily), which surprises people (FACTS.md: it confuses Plausible users), so it says so.
 */
export function Totals({
  totals,
  previous,
  visitorsSummed,
  zone,
  charted,
  onChart,
}: {
  totals: StatsTotals;
  /** The figure the chart shows, and how to show another. */
  charted: ChartMetric;
  onChart: (metric: ChartMetric) => void;
  previous?: StatsTotals | undefined;
  visitorsSummed: boolean;
  zone: string;
}) {
  const noteId = useId();
  const change = previous && changes(totals, previous);
  return (
    <section className="totals-section" aria-label="Totals for the range">
      <dl className="totals">
        {topRow(totals).map((stat) => (
          <div className={`card stat${stat.id === charted ? ' stat-charted' : ''}`} key={stat.id}>
            <dt>
              {/* Stretched over the card: the whole figure is the button. */}
              <button
                type="button"
                className="stat-chart-button"
                aria-pressed={stat.id === charted}
                aria-label={`Chart ${stat.label}`}
                onClick={() => onChart(stat.id)}
              />
              {stat.label}
              {stat.id === 'visitors' && visitorsSummed && (
                <span className="note-mark" aria-hidden="true">
                  *
                </span>
              )}
            </dt>
            <dd
              data-testid={`total-${stat.id}`}
              data-value={stat.value}
              aria-describedby={stat.id === 'visitors' && visitorsSummed ? noteId : undefined}
            >
              {stat.text}
            </dd>
            {change && (
              // Its own dd, so the figure's text stays the figure; a screen reader reads the change in words.
              <dd
                className={`change change-${change[stat.id].direction}`}
                data-change-for={stat.id}
                title={change[stat.id].label}
              >
                <span aria-hidden="true">{change[stat.id].text}</span>
                <span className="visually-hidden">{change[stat.id].label}</span>
              </dd>
            )}
          </div>
        ))}
      </dl>
      {visitorsSummed && (
        <p id={noteId} className="muted small totals-note">
          * Visitors are counted per day and added up: visitor ids change at midnight in {zone} (no cookies),
          so someone who came on three days counts three times here.
        </p>
      )}
    </section>
  );
}
