import { useMemo, useState } from 'react';
import type { BreakdownProperty } from '../../../lambdas/query/answers.js';
import { breakdownLimit, useStats } from '../hooks/useStats.js';
import { useViewState } from '../hooks/useViewState.js';
import { type ApiError, fetchCsv } from '../lib/api.js';
import { presets } from '../lib/range.js';
import { type ChartMetric, chartData, chartMetricLabels, chartMetrics, visitorsAreSummed } from '../lib/stats.js';
import { Choice } from './Choice.js';
import { Controls } from './Controls.js';
import { ExportButton } from './ExportButton.js';
import { PagesTable } from './PagesTable.js';
import { EmptyState, ErrorBanner, LoadingState, RangeSummary } from './Status.js';
import { Totals } from './Totals.js';
import { VisitsChart } from './VisitsChart.js';

interface Props {
  apiUrl: string;
  readKey: string;
  /** Opened from a shared link: read-only, no sign-in of its own. */
  shared?: boolean;
  onSignOut: () => void;
  onKeyRejected: (error: ApiError) => void;
}

const metricOptions = chartMetrics.map((value) => ({ value, label: chartMetricLabels[value] }));

export function Dashboard({ apiUrl, readKey, shared = false, onSignOut, onKeyRejected }: Props) {
  const [view, setView] = useViewState();
  // What the chart draws and which pages table is open: ways of looking, not views to link to.
  const [metric, setMetric] = useState<ChartMetric>('visitors');
  const [property, setProperty] = useState<BreakdownProperty>('page');
  const data = useStats(apiUrl, readKey, view, property, onKeyRejected);
  const { loaded } = data;

  const chart = useMemo(() => loaded && chartData(loaded.stats, loaded.range, loaded.aggregation, metric), [loaded, metric]);

  return (
    <>
      <header className="topbar">
        <span className="brand">
          Pageviews
          {shared && (
            <span className="shared-badge" title="Opened from a shared link: read-only">
              Shared view
            </span>
          )}
        </span>
        <button type="button" className="button-secondary" onClick={onSignOut}>
          {shared ? 'Close shared view' : 'Sign out'}
        </button>
      </header>
      <main
        className="dashboard"
        // What is on screen, machine-readable: lets the browser test ask the API for the same view.
        data-aggregation={loaded?.aggregation}
        data-from={loaded && new Date(loaded.range.from).toISOString()}
        data-to={loaded && new Date(loaded.range.to).toISOString()}
        data-property={loaded?.property}
      >
        <Controls view={view} range={data.range} aggregation={data.aggregation} onChange={setView} />
        <RangeSummary
          title={view.range.kind === 'preset' ? presets[view.range.preset].label : 'Custom range'}
          range={loaded?.range ?? data.range}
          updatedAt={loaded?.updatedAt}
          loading={data.loading && !loaded}
          failing={Boolean(data.error)}
        />
        {data.error && <ErrorBanner error={data.error} onRetry={data.retry} stale={Boolean(loaded)} />}
        {!loaded && data.loading && <LoadingState />}
        {loaded && chart && (
          <>
            <Totals totals={loaded.stats.totals} previous={loaded.previous} visitorsSummed={visitorsAreSummed(loaded.range)} />
            {loaded.stats.totals.pageviews === 0 ? (
              <EmptyState />
            ) : (
              <>
                <VisitsChart
                  chart={chart}
                  aggregation={loaded.aggregation}
                  caption={`${chartMetricLabels[metric]} per ${loaded.aggregation} (UTC)`}
                  toolbar={
                    <>
                      <Choice legend="Chart shows" name="chart-metric" options={metricOptions} value={metric} onChange={setMetric} />
                      <ExportButton
                        label={`Export CSV of the chart (GET /stats per ${loaded.aggregation})`}
                        load={() => fetchCsv(apiUrl, readKey, { route: '/stats', query: { aggregation: loaded.aggregation, from: loaded.range.from, to: loaded.range.to } })}
                      />
                    </>
                  }
                />
                <PagesTable
                  rows={loaded.breakdown.data}
                  shown={loaded.property}
                  property={property}
                  onProperty={setProperty}
                  limit={breakdownLimit}
                  exportButton={
                    <ExportButton
                      label="Export CSV of the pages table"
                      load={() =>
                        fetchCsv(apiUrl, readKey, { route: '/breakdown', query: { property: loaded.property, from: loaded.range.from, to: loaded.range.to, limit: breakdownLimit } })
                      }
                    />
                  }
                />
              </>
            )}
          </>
        )}
      </main>
    </>
  );
}
