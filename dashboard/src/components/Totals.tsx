import { useId } from 'react';
import type { StatsTotals } from '../../../lambdas/query/answers.js';
import { changes } from '../lib/compare.js';
import { topRow } from '../lib/stats.js';

/**
 * The top row. Visitors of a multi-day range are the sum of each day's visitors (ids rotate
 * daily), which surprises people (FACTS.md: it confuses Plausible users), so it says so.
 */
export function Totals({
  totals,
  previous,
  visitorsSummed,
  zone,
}: {
  totals: StatsTotals;
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
          <div className="card stat" key={stat.id}>
            <dt>
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
