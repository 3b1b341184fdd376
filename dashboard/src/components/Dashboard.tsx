import { type ReactNode, useMemo, useState } from 'react';
import type { PanelReads } from '../hooks/usePanelRead.js';
import { type LoadedStats, useStats } from '../hooks/useStats.js';
import { useRealtime } from '../hooks/useRealtime.js';
import { useSiteZone } from '../hooks/useSiteZone.js';
import { useViewState } from '../hooks/useViewState.js';
import { type ApiError, fetchCsv } from '../lib/api.js';
import { type Filter, withRowFilter } from '../lib/filter.js';
import { botsNote } from '../lib/format.js';
import { initialPanelTabs, type Panel, type PanelTabs, panels } from '../lib/panels.js';
import { presets } from '../lib/range.js';
import {
  type ChartMetric,
  chartData,
  chartMetricFormats,
  chartMetricLabels,
  visitorsAreSummed,
} from '../lib/stats.js';
import { BreakdownPanel } from './BreakdownPanel.js';
import { Controls } from './Controls.js';
import { ExportButton } from './ExportButton.js';
import { FilterBar } from './FilterBar.js';
import { FunnelPanel } from './FunnelPanel.js';
import { GoalsPanel } from './GoalsPanel.js';
import { PagesTable } from './PagesTable.js';
import { CurrentVisitors, RealtimeView } from './Realtime.js';
import { SegmentPicker } from './SegmentPicker.js';
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

/** Asks for the site's zone first: every range is whole days of it, so nothing else is read before. */
export function Dashboard(props: Props) {
  const site = useSiteZone(props.apiUrl, props.readKey, props.onKeyRejected);
  if (site.zone) return <SiteDashboard {...props} zone={site.zone} siteTitle={site.title ?? ''} />;
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
  siteTitle,
  onSignOut,
  children,
}: {
  shared: boolean;
  /** Which site the figures are of (GET /site): its name and domain. */
  siteTitle?: string;
  onSignOut: () => void;
  children?: ReactNode;
}) {
  return (
    <header className="topbar">
      <span className="brand">
        Pageviews
        {siteTitle && (
          <span className="site-name" data-testid="site-name">
            {siteTitle}
          </span>
        )}
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
  siteTitle,
  onSignOut,
  onKeyRejected,
}: Props & { zone: string; siteTitle: string }) {
  const [view, setView, linkProblem] = useViewState();
  // What the chart draws and which tab each table has open: ways of looking, not views to link to.
  const [metric, setMetric] = useState<ChartMetric>('visitors');
  // Kept here, not in the panels: a new view (a filter picked) remounts them.
  const [panelTabs, setPanelTabs] = useState(initialPanelTabs);
  const data = useStats(apiUrl, readKey, view, zone, onKeyRejected);
  const realtime = useRealtime(apiUrl, readKey, onKeyRejected);
  // The realtime view shows GET /realtime in place of the range's figures.
  const loaded = view.range.kind === 'realtime' ? undefined : data.loaded;

  const setFilters = (filters: Filter[]) => {
    const { filters: _old, ...rest } = view;
    setView(filters.length > 0 ? { ...rest, filters } : rest);
  };
  const panelReads = (shown: LoadedStats): PanelReads => ({
    apiUrl,
    readKey,
    range: shown.range,
    filters: shown.filters,
    version: String(shown.updatedAt),
    onFilter: (row) => setFilters(withRowFilter(view.filters ?? [], row)),
    onKeyRejected,
  });
  const panelOf = (panel: Panel, reads: PanelReads) => {
    const tabs = { reads, key: panel.id };
    const pick = <Id extends keyof PanelTabs>(id: Id) => ({
      property: panelTabs[id],
      onProperty: (tab: PanelTabs[Id]) => setPanelTabs((open) => ({ ...open, [id]: tab })),
    });
    switch (panel.kind) {
      case 'pages':
        return <PagesTable panel={panel} {...pick(panel.id)} {...tabs} />;
      case 'breakdown':
        return <BreakdownPanel panel={panel} {...pick(panel.id)} {...tabs} />;
      case 'goals':
        return <GoalsPanel panel={panel} {...pick(panel.id)} {...tabs} />;
    }
  };

  const chart = useMemo(
    () => loaded && chartData(loaded.stats, loaded.range, loaded.aggregation, metric),
    [loaded, metric],
  );

  return (
    <>
      <TopBar shared={shared} siteTitle={siteTitle} onSignOut={onSignOut}>
        <CurrentVisitors answer={realtime.answer} failing={Boolean(realtime.error)} />
      </TopBar>
      <main
        className="dashboard"
        // What is on screen, machine-readable: lets the browser test ask the API for the same view.
        data-aggregation={loaded?.aggregation}
        data-from={loaded && new Date(loaded.range.from).toISOString()}
        data-to={loaded && new Date(loaded.range.to).toISOString()}
        data-zone={zone}
      >
        <Controls view={view} range={data.range} aggregation={data.aggregation} onChange={setView} />
        {linkProblem && (
          <p className="notice small" role="status" data-testid="link-problem">
            {linkProblem}
          </p>
        )}
        {/* GET /realtime takes no filter: the realtime view is of every visitor. */}
        {view.range.kind !== 'realtime' && (
          <FilterBar filters={view.filters ?? []} onChange={setFilters}>
            <SegmentPicker
              apiUrl={apiUrl}
              readKey={readKey}
              shared={shared}
              filters={view.filters ?? []}
              onApply={setFilters}
              onKeyRejected={onKeyRejected}
            />
          </FilterBar>
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
              charted={metric}
              onChart={setMetric}
            />
            {botsNote(loaded.stats.totals.bots) && (
              <p className="muted small bots-note" data-testid="bots" data-value={loaded.stats.totals.bots}>
                {botsNote(loaded.stats.totals.bots)}
              </p>
            )}
            {/* Filtered to nothing is still a view with tables of all visits, not an empty range. */}
            {loaded.stats.totals.pageviews === 0 && !loaded.filters ? (
              <EmptyState />
            ) : (
              <>
                <VisitsChart
                  chart={chart}
                  aggregation={loaded.aggregation}
                  zone={loaded.range.zone}
                  caption={`${chartMetricLabels[metric]} per ${loaded.aggregation}`}
                  format={chartMetricFormats[metric]}
                  toolbar={
                    <ExportButton
                      label={`Export CSV of the chart (GET /stats per ${loaded.aggregation})`}
                      load={() =>
                        fetchCsv(apiUrl, readKey, {
                          zone,
                          route: '/stats',
                          query: {
                            aggregation: loaded.aggregation,
                            from: loaded.range.from,
                            to: loaded.range.to,
                            filters: loaded.filters,
                          },
                        })
                      }
                    />
                  }
                />
                <div className="panels">{panels.map((panel) => panelOf(panel, panelReads(loaded)))}</div>
                <FunnelPanel reads={panelReads(loaded)} owner={!shared} />
              </>
            )}
          </>
        )}
      </main>
    </>
  );
}
