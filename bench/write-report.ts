import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './bench.js';
import { chartSvg, markdown } from './report.js';

/** Writes BENCHMARKS.md and bench-chart.svg into `dir`; returns their paths. */
export function writeReport(results: BenchResults, dir: string): { report: string; chart: string } {
  mkdirSync(dir, { recursive: true });
  const chart = join(dir, 'bench-chart.svg');
  const report = join(dir, 'BENCHMARKS.md');
  writeFileSync(chart, chartSvg(results));
  writeFileSync(report, markdown(results, 'bench-chart.svg'));
  return { report, chart };
}
