import { type ReactNode, useMemo, useState } from 'react';
import type { BreakdownProperty } from '../../../lambdas/query/answers.js';
import { type LoadedStats, useStats } from '../hooks/useStats.js';
import { useRealtime } from '../hooks/useRealtime.js';
import { useSiteZone } from '../hooks/useSiteZone.js';
import { useViewState } from '../hooks/useViewState.js';
import { type ApiError, fetchCsv } from '../lib/api.js';
import {
  botsNote,
  type Filter,
  filterLabel,
  filterScopeNote,
  initialPanelTabs,
  panels,
  tableRowLimit,
  tablesFilter,
} from '../lib/panels.js';
import { presets } from '../lib/range.js';
import {
  type ChartMetric,
  chartData,
  chartMetricLabels,
  chartMetrics,
  visitorsAreSummed,
} from '../lib/stats.js';
import { BreakdownPanel, type PanelReads } from './BreakdownPanel.js';
import { Choice } from './Choice.js';
import { Controls } from './Controls.js';
import { ExportButton } from './ExportButton.js';
import { GoalsPanel } from './GoalsPanel.js';
import { PagesTable } from './PagesTable.js';
import { CurrentVisitors, RealtimeView } from './Realtime.js';
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

/** Asks for the site's zone first: every range is whole days of it, so nothing else is read before. */
export function Dashboard(props: Props) {
  const site = useSiteZone(props.apiUrl, props.readKey, props.onKeyRejected);
  if (site.zone) return <SiteDashboard {...props} zone={site.zone} />;
  return (
    <>
      <TopBar shared={props.shared ?? false} onSignOut={props.onSignOut} />
      <main className="dashboard">
        {site.error ? (
          <ErrorBanner error={site.error} onRetry={site.retry} stale={false} />
        ) : (
          <LoadingState />
        )}
      </main>
    </>
  );
}

function TopBar({
  shared,
  onSignOut,
  children,
}: {
  shared: boolean;
  onSignOut: () => void;
  children?: ReactNode;
}) {
  return (
    <header className="topbar">
      <span className="brand">
        Pageviews
        {shared && (
          <span className="shared-badge" title="Opened from a shared link: read-only">
            Shared view
          </span>
        )}
      </span>
      {children}
      <button type="button" className="button-secondary" onClick={onSignOut}>
        {shared ? 'Close shared view' : 'Sign out'}
      </button>
    </header>
  );
}

function SiteDashboard({
  apiUrl,
  readKey,
  shared = false,
  zone,
  onSignOut,
  onKeyRejected,
}: Props & { zone: string }) {
  const [view, setView] = useViewState();
  // What the chart draws and which pages table is open: ways of looking, not views to link to.
  const [metric, setMetric] = useState<ChartMetric>('visitors');
  const [property, setProperty] = useState<BreakdownProperty>('page');
  // Kept here, not in the panels: a new view (a filter picked) remounts them.
  const [panelTabs, setPanelTabs] = useState(initialPanelTabs);
  const data = useStats(apiUrl, readKey, view, property, zone, onKeyRejected);
  const realtime = useRealtime(apiUrl, readKey, onKeyRejected);
  // The realtime view shows GET /realtime in place of the range's figures.
  const loaded = view.range.kind === 'realtime' ? undefined : data.loaded;

  const setFilter = (filter: Filter | undefined) => {
    const { filter: _old, ...rest } = view;
    setView(filter ? { ...rest, filter } : rest);
  };
  const panelReads = (shown: LoadedStats): PanelReads => ({
    apiUrl,
    readKey,
    range: shown.range,
    filter: shown.tablesFilter,
    version: String(shown.updatedAt),
    onFilter: setFilter,
    onKeyRejected,
  });

  const chart = useMemo(
    () => loaded && chartData(loaded.stats, loaded.range, loaded.aggregation, metric),
    [loaded, metric],
  );

  return (
    <>
      <TopBar shared={shared} onSignOut={onSignOut}>
        <CurrentVisitors answer={realtime.answer} failing={Boolean(realtime.error)} />
      </TopBar>
      <main
        className="dashboard"
        // What is on screen, machine-readable: lets the browser test ask the API for the same view.
        data-aggregation={loaded?.aggregation}
        data-from={loaded && new Date(loaded.range.from).toISOString()}
        data-to={loaded && new Date(loaded.range.to).toISOString()}
        data-property={loaded?.property}
        data-zone={zone}
      >
        <Controls view={view} range={data.range} aggregation={data.aggregation} onChange={setView} />
        {view.filter && (
          <FilterChip
            filter={view.filter}
            tablesFiltered={Boolean(tablesFilter(view.filter, data.range, Date.now()))}
            // Every table of a range is sampled alike (the same range, the same budget): the pages table's answer says for all.
            samplePercent={loaded?.breakdown.sample_percent}
            onRemove={() => setFilter(undefined)}
          />
        )}
        {view.range.kind === 'realtime' ? (
          <RealtimeView
            answer={realtime.answer}
            updatedAt={realtime.updatedAt}
            zone={zone}
            error={realtime.error}
            onRetry={realtime.retry}
          />
        ) : (
          <>
            <RangeSummary
              title={view.range.kind === 'preset' ? presets[view.range.preset].label : 'Custom range'}
              range={loaded?.range ?? data.range}
              updatedAt={loaded?.updatedAt}
              loading={data.loading && !loaded}
              failing={Boolean(data.error)}
            />
            {data.error && <ErrorBanner error={data.error} onRetry={data.retry} stale={Boolean(loaded)} />}
            {!loaded && data.loading && <LoadingState />}
          </>
        )}
        {loaded && chart && (
          <>
            <Totals
              totals={loaded.stats.totals}
              previous={loaded.previous}
              visitorsSummed={visitorsAreSummed(loaded.range)}
              zone={loaded.range.zone}
            />
            <p className="muted small bots-note" data-testid="bots" data-value={loaded.stats.totals.bots}>
              {botsNote(loaded.stats.totals.bots)}
            </p>
            {/* Filtered to nothing is still a view with tables of all visits, not an empty range. */}
            {loaded.stats.totals.pageviews === 0 && !loaded.filter ? (
              <EmptyState />
            ) : (
              <>
                <VisitsChart
                  chart={chart}
                  aggregation={loaded.aggregation}
                  zone={loaded.range.zone}
                  caption={`${chartMetricLabels[metric]} per ${loaded.aggregation}`}
                  toolbar={
                    <>
                      <Choice
                        legend="Chart shows"
                        name="chart-metric"
                        options={metricOptions}
                        value={metric}
                        onChange={setMetric}
                      />
                      <ExportButton
                        label={`Export CSV of the chart (GET /stats per ${loaded.aggregation})`}
                        load={() =>
                          fetchCsv(apiUrl, readKey, {
                            route: '/stats',
                            query: {
                              aggregation: loaded.aggregation,
                              from: loaded.range.from,
                              to: loaded.range.to,
                              filter: loaded.filter,
                            },
                          })
                        }
                      />
                    </>
                  }
                />
                <div className="panels">
                  <PagesTable
                    rows={loaded.breakdown.data}
                    shown={loaded.property}
                    property={property}
                    onProperty={setProperty}
                    limit={tableRowLimit}
                    onFilter={setFilter}
                    exportButton={
                      <ExportButton
                        label="Export CSV of the pages table"
                        load={() =>
                          fetchCsv(apiUrl, readKey, {
                            route: '/breakdown',
                            query: {
                              property: loaded.property,
                              from: loaded.range.from,
                              to: loaded.range.to,
                              limit: tableRowLimit,
                              filter: loaded.tablesFilter,
                            },
                          })
                        }
                      />
                    }
                  />
                  {panels.map((panel) => (
                    <BreakdownPanel
                      key={panel.id}
                      panel={panel}
                      property={panelTabs[panel.id]}
                      onProperty={(tab) => setPanelTabs((tabs) => ({ ...tabs, [panel.id]: tab }))}
                      {...panelReads(loaded)}
                    />
                  ))}
                  <GoalsPanel {...panelReads(loaded)} />
                </div>
              </>
            )}
          </>
        )}
      </main>
    </>
  );
}

/** The filter on screen, removable, with what it narrows. */
function FilterChip({
  filter,
  tablesFiltered,
  samplePercent,
  onRemove,
}: {
  filter: Filter;
  tablesFiltered: boolean;
  samplePercent?: number;
  onRemove: () => void;
}) {
  const label = filterLabel(filter);
  return (
    <section className="filter-bar" aria-label="Filter">
      <span className="chip" data-testid="filter-chip">
        {label}
        <button
          type="button"
          className="chip-remove"
          aria-label={`Remove filter: ${label}`}
          title="Remove filter"
          onClick={onRemove}
        >
          ×
        </button>
      </span>
      <p className="muted small" data-testid="filter-scope">
        {filterScopeNote(tablesFiltered, samplePercent)}
      </p>
    </section>
  );
}
