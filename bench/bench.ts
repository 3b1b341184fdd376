/**
 * The benchmark: runs the sections of issue 8 (and the filtered breakdowns of issue 13, the archive of issue 21) and returns their figures. `run.ts` is the
 * command line; `bench.int.test.ts` runs it in smoke mode (tiny sizes) on the test suite's emulators.
 */
import type { Emulator } from '../local/emulators.js';
import { startSqsEmulator } from '../local/emulators.js';
import { createContext } from './lib/context.js';
import { startBenchDynamo } from './lib/dynamo-local.js';
import { type MachineInfo, loadNow, machineInfo } from './lib/machine.js';
import { type ArchiveResult, measureArchive } from './sections/archive.js';
import { type CostResult, costPerMillion, pricedShapes } from './sections/cost.js';
import { type FilteredResult, measureFilteredBreakdowns } from './sections/filtered.js';
import { type FilteredViewResult, measureFilteredView } from './sections/filtered-view.js';
import { type SideBySideResult, measureSideBySide } from './sections/postgres.js';
import { type QueryResult, measureQueries } from './sections/queries.js';
import { type SizesResult, measureSizes } from './sections/sizes.js';
import {
  type FreshnessResult,
  type ThroughputResult,
  measureFreshness,
  measureThroughput,
  withLocalStack,
} from './sections/stack.js';
import { type WriteShapeResult, measureWrites } from './sections/writes.js';

export interface BenchOptions {
  smoke: boolean;
  /** Use running emulators (the test suite's); otherwise the bench starts its own. */
  endpoints?: { dynamo: string; sqs: string };
  /** Run the PostgreSQL side of section 3. */
  postgres: boolean;
  /** Section 3: write the 100k visits through the consumer instead of summing counters in memory (slow). */
  consumerSeed?: boolean;
  log?: (line: string) => void;
  /**
   * Only these sections (numbers as in the report; 7, the cost, needs 1 and 6 and runs them). A
   * partial run is for comparing before and after on a busy machine: it returns what it measured
   * and writes no report.
   */
  sections?: readonly number[];
}

export interface BenchResults {
  date: string;
  smoke: boolean;
  machine: MachineInfo;
  seconds: number;
  writes: WriteShapeResult[];
  queries: QueryResult[];
  sideBySide: SideBySideResult;
  freshness: FreshnessResult;
  throughput: ThroughputResult;
  sizes: SizesResult;
  costs: CostResult[];
  filtered: FilteredResult[];
  archive: ArchiveResult;
  filteredView: FilteredViewResult;
}

export async function runBench(options: BenchOptions & { sections?: undefined }): Promise<BenchResults> {
  return (await runSections(options)) as BenchResults;
}

/** The sections asked for (all by default); the figures of sections not run are left out. */
export async function runSections(options: BenchOptions): Promise<Partial<BenchResults>> {
  const wanted = new Set(options.sections ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  if (wanted.has(7)) for (const needed of [1, 6]) wanted.add(needed);
  const want = (section: number) => wanted.has(section);
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const loadStart = loadNow();
  const own: Emulator[] = [];
  let endpoints = options.endpoints;
  if (!endpoints) {
    const [dynamo, sqs] = await Promise.all([startBenchDynamo({ fullJit: true }), startSqsEmulator()]);
    own.push(dynamo, sqs);
    endpoints = { dynamo: dynamo.endpoint, sqs: sqs.endpoint };
  }
  try {
    const ctx = createContext({ smoke: options.smoke, endpoints, log });
    const results: Partial<BenchResults> = { smoke: options.smoke };
    if (want(1)) {
      log('1. write units per visit');
      results.writes = await measureWrites(ctx);
    }
    if (want(2)) {
      log('2. query cost at 1x and 10x');
      results.queries = await measureQueries(ctx);
    }
    if (want(3)) {
      log('3. side by side with PostgreSQL');
      results.sideBySide = await measureSideBySide(ctx, {
        postgres: options.postgres,
        consumerSeed: options.consumerSeed,
      });
    }
    if (want(4) || want(5) || want(10)) {
      log('4-5. freshness and throughput on the local stack');
      // One local stack per process: section 10 runs on it too.
      await withLocalStack(ctx, async (stack) => {
        if (want(4)) results.freshness = await measureFreshness(ctx, stack);
        if (want(5)) results.throughput = await measureThroughput(ctx, stack);
        if (want(10)) {
          log("10. the dashboard's filtered view, every panel at once");
          results.filteredView = await measureFilteredView(ctx, stack);
        }
      });
    }
    if (want(6)) {
      log('6. sizes and cold starts');
      results.sizes = await measureSizes(ctx);
    }
    if (want(8)) {
      log('8. breakdowns with a filter');
      results.filtered = await measureFilteredBreakdowns(ctx);
    }
    if (want(9)) {
      log('9. the archive and the engine: 12 months filtered');
      results.archive = await measureArchive(ctx);
    }
    if (want(7)) results.costs = costsOf(results.writes!, results.sizes!);
    return {
      ...results,
      date: new Date().toISOString(),
      machine: { ...machineInfo(), loadStart, loadEnd: loadNow() },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const emulator of own) await emulator.stop().catch(() => undefined);
  }
}

/** 7. The cost per 1M page views of each priced traffic shape, from its write units and the bundle sizes. */
function costsOf(writes: readonly WriteShapeResult[], sizes: SizesResult): CostResult[] {
  return writes
    .filter((w) => pricedShapes.includes(w.shape))
    .map((w) =>
      costPerMillion({
        shape: w.shape,
        wcuPerVisit: w.wcuPerVisit,
        rcuPerVisit: w.rcuPerVisit,
        meanBatch: w.meanBatch,
        transactionsPerBatch: w.transactions / w.batches,
        rawVisitBytes: w.meanPutBytes,
        trackerGzipBytes: sizes.tracker.gzip,
        messagesPerVisit: w.messagesPerVisit,
      }),
    );
}
