/**
 * The benchmark: runs the sections of issue 8 (and the filtered breakdowns of issue 13) and returns their figures. `run.ts` is the
 * command line; `bench.test.ts` runs it in smoke mode (tiny sizes) on the test suite's emulators.
 */
import type { Emulator } from '../local/emulators.js';
import { startSqsEmulator } from '../local/emulators.js';
import { createContext } from './lib/context.js';
import { startBenchDynamo } from './lib/dynamo-local.js';
import { type MachineInfo, loadNow, machineInfo } from './lib/machine.js';
import { type CostResult, costPerMillion } from './sections/cost.js';
import { type FilteredResult, measureFilteredBreakdowns } from './sections/filtered.js';
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
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
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
    log('1. write units per visit');
    const writes = await measureWrites(ctx);
    log('2. query cost at 1x and 10x');
    const queries = await measureQueries(ctx);
    log('3. side by side with PostgreSQL');
    const sideBySide = await measureSideBySide(ctx, {
      postgres: options.postgres,
      consumerSeed: options.consumerSeed,
    });
    log('4-5. freshness and throughput on the local stack');
    const { freshness, throughput } = await withLocalStack(ctx, async (stack) => ({
      freshness: await measureFreshness(ctx, stack),
      throughput: await measureThroughput(ctx, stack),
    }));
    log('6. sizes and cold starts');
    const sizes = await measureSizes(ctx);
    log('8. breakdowns with a filter');
    const filtered = await measureFilteredBreakdowns(ctx);
    const costs = writes
      .filter((w) =>
        [
          'trickle',
          'steady',
          'steady, visitor model only',
          'steady, engagement on',
          'steady, 5 pollers',
          'burst',
        ].includes(w.shape),
      )
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
    return {
      date: new Date().toISOString(),
      smoke: options.smoke,
      machine: { ...machineInfo(), loadStart, loadEnd: loadNow() },
      seconds: (performance.now() - started) / 1000,
      writes,
      queries,
      sideBySide,
      freshness,
      throughput,
      sizes,
      costs,
      filtered,
    };
  } finally {
    for (const emulator of own) await emulator.stop().catch(() => undefined);
  }
}
