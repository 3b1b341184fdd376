import { useMemo } from 'react';
import { useViewState } from '../hooks/useViewState.js';
import { useVisits } from '../hooks/useVisits.js';
import type { VisitsApiError } from '../lib/api.js';
import { presets } from '../lib/range.js';
import { chartData, pagesTable, totalsOf } from '../lib/visits.js';
import { Controls } from './Controls.js';
import { PagesTable } from './PagesTable.js';
import { EmptyState, ErrorBanner, LoadingState, RangeSummary } from './Status.js';
import { Totals } from './Totals.js';
import { VisitsChart } from './VisitsChart.js';

/** Pages drawn in the chart besides the total; more lines stop being readable. */
const chartedPages = 5;
/** Bucket columns in the table; 60 fits a whole hour by minute. */
const tableColumns = 60;

interface Props {
  apiUrl: string;
  readKey: string;
  onSignOut: () => void;
  onKeyRejected: (error: VisitsApiError) => void;
}

export function Dashboard({ apiUrl, readKey, onSignOut, onKeyRejected }: Props) {
  const [view, setView] = useViewState();
  const visits = useVisits(apiUrl, readKey, view, onKeyRejected);
  const { loaded } = visits;

  const shaped = useMemo(
    () =>
      loaded && {
        totals: totalsOf(loaded.summary),
        chart: chartData(loaded.summary, loaded.range, loaded.aggregation, chartedPages),
        table: pagesTable(loaded.summary, tableColumns),
      },
    [loaded],
  );

  return (
    <>
      <header className="topbar">
        <span className="brand">Pageviews</span>
        <button type="button" className="button-secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main
        className="dashboard"
        // What is on screen, machine-readable: lets the browser test ask the API for the same view.
        data-aggregation={loaded?.aggregation}
        data-from={loaded && new Date(loaded.range.from).toISOString()}
        data-to={loaded && new Date(loaded.range.to).toISOString()}
      >
        <Controls view={view} range={visits.range} onChange={setView} />
        <RangeSummary
          title={view.range.kind === 'preset' ? presets[view.range.preset].label : 'Custom range'}
          range={loaded?.range ?? visits.range} updatedAt={loaded?.updatedAt} loading={visits.loading && !loaded}
          failing={Boolean(visits.error)}
        />
        {visits.error && <ErrorBanner error={visits.error} onRetry={visits.retry} stale={Boolean(loaded)} />}
        {!loaded && visits.loading && <LoadingState />}
        {loaded && shaped && (
          <>
            <Totals totals={shaped.totals} aggregation={loaded.aggregation} />
            {shaped.totals.visits === 0 ? (
              <EmptyState />
            ) : (
              <>
                <VisitsChart chart={shaped.chart} aggregation={loaded.aggregation} />
                <PagesTable table={shaped.table} aggregation={loaded.aggregation} />
              </>
            )}
          </>
        )}
      </main>
    </>
  );
}
