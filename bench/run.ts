/**
 * `npm run bench`: runs every section of the benchmark on this machine (its own DynamoDB Local,
 * SQS emulator and PostgreSQL), prints a table and writes docs/BENCHMARKS.md and
 * docs/bench-chart.svg.
 *
 *   tsx bench/run.ts                 full run, writes into docs/
 *   tsx bench/run.ts --smoke         tiny sizes, writes into a temp folder (or --out DIR)
 *   tsx bench/run.ts --no-postgres   skip PostgreSQL in section 3
 *   tsx bench/run.ts --sections 1,6,7 only these sections (7 runs 1 and 6 too); prints their figures and
 *                                    writes no report: for before/after comparisons on a busy machine
 *   tsx bench/run.ts --idle-month    only the idle month (what a deployed stack costs with no traffic)
 *   tsx bench/run.ts --consumer-seed section 3 writes its 100k visits through the consumer instead of
 *                                    summing their counters in memory (2-4 minutes more: over the
 *                                    5-minute budget on 2 cores, so not the default)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBench, runSections } from './bench.js';
import { partialSummary, summaryRows, textTable } from './report.js';
import { writeReport } from './write-report.js';
import {
  idleMonth,
  idleMonthMarkdown,
  idleMonthText,
  synthesizedTemplate,
  writeIdleMonth,
} from './sections/idle-month.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const outIndex = args.indexOf('--out');
const outDir =
  outIndex >= 0
    ? args[outIndex + 1]!
    : smoke
      ? mkdtempSync(join(tmpdir(), 'bench-smoke-'))
      : fileURLToPath(new URL('../docs/', import.meta.url));

const sectionsIndex = args.indexOf('--sections');
if (sectionsIndex >= 0) {
  const sections = (args[sectionsIndex + 1] ?? '').split(',').map(Number);
  if (sections.some((n) => !Number.isInteger(n) || n < 1 || n > 10))
    throw new Error(
      `--sections takes section numbers from 1 to 10, comma-separated; got ${args[sectionsIndex + 1]}`,
    );
  const partial = await runSections({
    smoke,
    sections,
    postgres: !args.includes('--no-postgres'),
    consumerSeed: args.includes('--consumer-seed'),
    log: (line) => console.log(line),
  });
  console.log('');
  console.log(partialSummary(partial));
  process.exit(0);
}

// The idle month is read from the synthesized template: no emulator needed, so it can run alone.
const idle = idleMonth(await synthesizedTemplate());
if (args.includes('--idle-month')) {
  console.log(idleMonthText(idle));
  const report = join(outDir, 'BENCHMARKS.md');
  writeIdleMonth(report, idleMonthMarkdown(idle));
  console.log(`\nWrote the idle month into ${report}.`);
  process.exit(0);
}

const results = await runBench({
  smoke,
  postgres: !args.includes('--no-postgres'),
  consumerSeed: args.includes('--consumer-seed'),
  log: (line) => console.log(line),
});
console.log('');
console.log(textTable(summaryRows(results)));
const written = writeReport(results, outDir);
console.log('');
console.log(idleMonthText(idle));
writeIdleMonth(written.report, idleMonthMarkdown(idle));
console.log('');
console.log(
  `${results.smoke ? 'Smoke run' : 'Run'} took ${results.seconds.toFixed(0)} s. Wrote ${written.report} and ${written.chart}.`,
);
if (results.sideBySide.postgresSkipped)
  console.log(`PostgreSQL part of section 3 skipped: ${results.sideBySide.postgresSkipped}`);
// The SQS emulator and HTTP keep-alive sockets may hold the event loop; everything is stopped.
process.exit(0);
