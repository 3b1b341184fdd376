import { type ReactNode, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBucket, formatCount, formatTimeTick, timeTickIncrements } from '../lib/format.js';
import type { Aggregation } from '../../../lambdas/core/domain/buckets.js';
import type { ChartData } from '../lib/stats.js';

const chartHeight = 260;
/** Counts are whole numbers: never put a tick at 0.5. */
const integerTicks = Array.from({ length: 10 }, (_, i) => [1, 2, 5].map((m) => m * 10 ** i)).flat();

interface Theme {
  text: string;
  grid: string;
  accent: string;
}

/** A canvas cannot read CSS variables, so the theme's colours are looked up once and passed in. */
function themeOf(element: HTMLElement): Theme {
  const style = getComputedStyle(element);
  return {
    text: style.getPropertyValue('--muted').trim() || '#5b6078',
    grid: style.getPropertyValue('--grid').trim() || '#eceef5',
    accent: style.getPropertyValue('--accent').trim() || '#4338ca',
  };
}

/** The plot's options: everything but the numbers, which setData feeds. */
function optionsFor(
  shape: { seriesLabels: string[]; showPoints: boolean },
  format: (n: number) => string,
  aggregation: Aggregation,
  zone: string,
  width: number,
  theme: Theme,
  xRange: () => [number, number],
  summaries: () => string[],
): uPlot.Options {
  const axis = {
    stroke: theme.text,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  };
  return {
    width,
    height: chartHeight,
    // Ticks on the site's clock, the zone its days are counted in, whatever the browser's zone.
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), zone),
    scales: {
      x: { time: true, range: xRange },
      y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] },
    },
    series: [
      // The legend names the zone that the times beside it are in. Pointing at no bucket, it shows
      // the whole range's figure, never a placeholder; a bucket that has not begun says so.
      {
        label: zone,
        value: (_u, seconds, _series, index) =>
          index == null || seconds == null ? 'whole range' : formatBucket(seconds * 1000, aggregation, zone),
      },
      ...shape.seriesLabels.map((label, i) => ({
        label,
        stroke: theme.accent,
        width: 2.5,
        fill: `${theme.accent}14`, // accent at 8% opacity
        value: (_u: uPlot, v: number | null, _series: number, index: number | null) =>
          index == null ? (summaries()[i] ?? '') : v == null ? 'not yet' : format(v),
        points: { show: shape.showPoints },
      })),
    ],
    axes: [
      // Ticks no finer than a bucket: a custom range of a few days at day aggregation has day ticks.
      {
        ...axis,
        incrs: timeTickIncrements(aggregation),
        values: (_u, ticks) => ticks.map((seconds) => formatTimeTick(seconds * 1000, zone)),
      },
      { ...axis, incrs: integerTicks, values: (_u, ticks) => ticks.map(format), size: 64 },
    ],
    cursor: { drag: { x: false, y: false } },
  };
}

const toAligned = (chart: ChartData): uPlot.AlignedData => [chart.xs, ...chart.series.map((s) => s.values)];

/** uPlot's legend shows or hides a line on a mouse click only; this makes each entry a keyboard button too. */
function keyboardLegend(root: HTMLElement): void {
  root.querySelectorAll<HTMLElement>('.u-legend .u-series:not(:first-child) > th').forEach((entry) => {
    entry.tabIndex = 0;
    entry.setAttribute('role', 'button');
    entry.setAttribute('aria-label', `Show or hide ${entry.textContent ?? 'this line'}`);
    entry.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      entry.click();
    });
  });
}

/** uPlot draws on a canvas, kept in sync with React by hand: created once per set of series, then fed data. */
export function VisitsChart({
  chart,
  aggregation,
  zone,
  format = formatCount,
  caption,
  toolbar,
}: {
  chart: ChartData;
  /** How the metric's values are written on the axis and in the legend. */
  format?: (n: number) => string;
  aggregation: Aggregation;
  zone: string;
  caption: string;
  toolbar?: ReactNode;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  // Read by uPlot on every setData: a live view's range slides while the plot lives on.
  const xRangeRef = useRef(chart.xRange);
  xRangeRef.current = chart.xRange;
  // The numbers a new plot starts with; later numbers for the same shape go through setData below.
  const chartRef = useRef(chart);
  chartRef.current = chart;
  // The plot's shape: the zone is in the options (ticks, legend), so another zone is another plot.
  const seriesLabels = chart.series.map((s) => s.label).join('\n');
  const showPoints = chart.xs.length <= 60;
  // Read when the legend is drawn: new totals for the same series need no new plot.
  const summariesRef = useRef(chart.series.map((s) => s.summary));
  summariesRef.current = chart.series.map((s) => s.summary);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const options = optionsFor(
      { seriesLabels: seriesLabels.split('\n'), showPoints },
      format,
      aggregation,
      zone,
      container.clientWidth,
      themeOf(container),
      () => xRangeRef.current,
      () => summariesRef.current,
    );
    const plot = new uPlot(options, toAligned(chartRef.current), container);
    plotRef.current = plot;
    keyboardLegend(plot.root);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: container.clientWidth, height: chartHeight }),
    );
    resize.observe(container);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [seriesLabels, showPoints, format, aggregation, zone]);

  useEffect(() => {
    plotRef.current?.setData(toAligned(chart));
  }, [chart]);

  return (
    <figure className="card chart">
      <div className="card-head">
        <figcaption>{caption}</figcaption>
        {toolbar}
      </div>
      <div
        ref={containerRef}
        className="chart-canvas"
        // What is drawn, machine-readable: the browser tests hold it to GET /stats.
        data-xs={chart.xs.join(',')}
        data-values={chart.series[0]?.values.join(',')}
      />
    </figure>
  );
}
