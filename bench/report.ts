/** Turns the bench's figures into the printed table, docs/BENCHMARKS.md and an SVG chart. */
import { queueSettings } from '../lambdas/core/settings.js';
import type { BenchResults } from './bench.js';
import { assumptions, costBudgets, costGoal, prices, swaWorstCase } from './sections/cost.js';
import { coldStartGoalMs } from './sections/sizes.js';
import { filteredViewGoalMs } from './sections/filtered-view.js';
import { tableRowLimit } from '../dashboard/src/lib/panels.js';

const f = (n: number | undefined, digits = 1) =>
  n === undefined || !Number.isFinite(n)
    ? 'n/a'
    : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const usd = (n: number) => `$${n.toFixed(n < 0.01 ? 4 : 2)}`;
/** Issue 21: a filtered breakdown over 12 months of a 10,000-visitor-a-day site, and what archiving may add to the write cost. */
const archiveGoalMs = 500;
const archiveCostBudget = 0.05;

export interface SummaryRow {
  section: string;
  measure: string;
  value: string;
  goal: string;
  verdict: string;
}

/** The summary of whichever sections ran (a partial run leaves some out). */
export function summaryRows(r: Partial<BenchResults>): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const w of r.writes ?? []) {
    const isGoal = w.shape === 'steady';
    rows.push({
      section: '1 writes',
      measure: `WCU/visit, ${w.shape} (batch ${f(w.meanBatch, 0)})`,
      value: `${f(w.wcuPerVisit, 2)} computed (Local reported ${f(w.reportedWcuPerVisit, 2)})`,
      goal: '',
      verdict: isGoal ? `+ ${f(w.rcuPerVisit, 2)} RCU/visit` : '',
    });
  }
  for (const agg of ['minute', 'hour', 'day', 'month']) {
    const [a, b] = (r.queries ?? []).filter((q) => q.aggregation === agg);
    if (!a || !b) continue;
    rows.push({
      section: '2 queries',
      measure: `${agg} over ${a.range}: items read 1x / 10x`,
      value: `${a.itemsRead} / ${b.itemsRead} (p50 ${f(a.p50Ms)} / ${f(b.p50Ms)} ms)`,
      goal: 'equal',
      verdict: a.itemsRead === b.itemsRead ? 'met' : 'missed',
    });
  }
  for (const s of r.sideBySide?.rows ?? []) {
    rows.push({
      section: '3 vs SQL',
      measure: `${int(s.visits)} visits, hour x 1 day: PG / DynamoDB p50`,
      value:
        s.postgresP50Ms === undefined
          ? `PG skipped / ${f(s.dynamoP50Ms)} ms`
          : `${f(s.postgresP50Ms)} / ${f(s.dynamoP50Ms)} ms (ratio ${f(s.ratio, 2)})`,
      goal: '',
      verdict: s.answersEqual === undefined ? '' : s.answersEqual ? 'same answer' : 'ANSWERS DIFFER',
    });
  }
  if (r.freshness)
    rows.push({
      section: '4 freshness',
      measure: `POST to visible in GET (${r.freshness.samples} visits)`,
      value: `p50 ${int(r.freshness.p50Ms)} ms, p95 ${int(r.freshness.p95Ms)} ms`,
      goal: '',
      verdict: '',
    });
  const t = r.throughput;
  for (const run of t ? [t.ingestAlone, t.endToEnd] : []) {
    rows.push({
      section: '5 ingest',
      measure: `POST /visits, ${run.consumerHeld ? 'ingest alone (consumer held)' : 'end to end'}, ${run.connections} connections, ${run.durationSeconds} s`,
      value: `${int(run.requestsPerSecond)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms`,
      goal: '',
      verdict:
        run.counted >= run.accepted
          ? 'every accepted visit counted'
          : `only ${int(run.counted)} of ${int(run.accepted)} counted`,
    });
  }
  if (t)
    rows.push({
      section: '5 consumer',
      measure: 'the held visits drained by the consumer alone',
      value: `${int(t.consumerViewsPerSecond)} views/s`,
      goal: '',
      verdict: '',
    });
  if (r.sizes)
    rows.push({
      section: '6 sizes',
      measure: 'tracker.js raw / gzip / brotli',
      value: `${r.sizes.tracker.raw} / ${r.sizes.tracker.gzip} / ${r.sizes.tracker.brotli} B`,
      goal: 'gzip < 800 B',
      verdict: r.sizes.tracker.gzip < 800 ? 'met' : 'missed',
    });
  for (const b of r.sizes?.bundles ?? []) {
    const goal = b.name === 'ingest' && b.sdk === 'none';
    rows.push({
      section: '6 sizes',
      measure: `${b.name} bundle${b.name === 'ingest' && b.sdk === 'bundled' ? " with the SDK's clients (before)" : ''} raw / gzip, import`,
      value: `${f(b.raw / 1024)} / ${f(b.gzip / 1024)} KiB, ${int(b.coldStartMs)} ms (p25-p75 ${int(b.coldStartP25Ms)}-${int(b.coldStartP75Ms)})`,
      goal: goal ? `<= ${coldStartGoalMs} ms` : '',
      verdict: goal ? (b.coldStartMs <= coldStartGoalMs ? 'met' : 'missed') : '',
    });
  }
  for (const c of r.costs ?? []) {
    const budget = costBudgets[c.shape];
    rows.push({
      section: '7 cost',
      measure: `per 1M page views, ${c.shape}`,
      value: `${usd(c.total)} (SWA worst case ${usd(swaWorstCase)})`,
      goal: budget ? `<= ${usd(budget)} (compass ${usd(costGoal)})` : '',
      verdict: budget
        ? c.total <= budget
          ? `met${c.total <= costGoal ? ', compass too' : `; compass missed by ${usd(c.total - costGoal)}`}`
          : `missed by ${usd(c.total - budget)}`
        : '',
    });
  }
  for (const q of r.filtered ?? []) {
    rows.push({
      section: '8 filtered',
      measure: `breakdown with a filter, ${q.days} day(s) of ${int(q.visitorDaysInRange / q.days)} visitors`,
      value: `${int(q.visitorDaysRead)} visitor-days in ${int(q.p50Ms)} ms (${int(q.visitorDaysPerSecond)}/s), ${f(q.reportedReadUnits, 0)} read units, live heap +${f(q.liveHeapMb)} MB (held: ${f(q.heldHeapMb)} MB)`,
      goal: '',
      verdict: '',
    });
  }
  if (r.archive) {
    const a = r.archive;
    const over = `${a.days} days of ${int(a.visitorsPerDay)} visitors`;
    rows.push(
      {
        section: '9 archive',
        measure: `filtered page breakdown, ${over} (DuckDB)`,
        value: `p50 ${int(a.breakdownP50Ms)} ms (${int(a.breakdownSpreadMs[0])}-${int(a.breakdownSpreadMs[1])}); sources ${int(a.sourceP50Ms)} ms`,
        goal: `<= ${archiveGoalMs} ms`,
        verdict:
          a.breakdownP50Ms <= archiveGoalMs ? 'met' : `missed by ${int(a.breakdownP50Ms - archiveGoalMs)} ms`,
      },
      {
        section: '9 archive',
        measure: 'exact against the counters (unfiltered total)',
        value: `${int(a.engine.pageviews)} page views, ${int(a.engine.visits)} visits, ${int(a.engine.visitors)} visitors`,
        goal: 'equal',
        verdict: a.exactTotal ? 'met' : 'MISSED',
      },
      {
        section: '9 archive',
        measure: 'Athena: bytes scanned at most, price',
        value: `${f(a.athenaBytes / 1e6, 0)} MB, ${usd(a.athenaPriceUsd)}`,
        goal: '',
        verdict: '',
      },
      {
        section: '9 archive',
        measure: 'archiving per 1M page views',
        value: usd(a.costPerMillion.total),
        goal: `<= ${usd(archiveCostBudget)} (steady write cost within $0.05)`,
        verdict: a.costPerMillion.total <= archiveCostBudget ? 'met' : 'missed',
      },
    );
  }
  if (r.filteredView) {
    const v = r.filteredView;
    rows.push({
      section: '10 filtered view',
      measure: `Last 30 days, source:Google, ${v.requests} requests at once, ${int(v.visitorsPerDay)} visitors a day`,
      value: `last panel p50 ${int(v.p50Ms)} ms (${int(v.spreadMs[0])}-${int(v.spreadMs[1])})`,
      goal: `<= ${int(filteredViewGoalMs)} ms`,
      verdict: v.p50Ms <= filteredViewGoalMs ? 'met' : `missed by ${int(v.p50Ms - filteredViewGoalMs)} ms`,
    });
  }
  return rows;
}

/** What a partial run (`--sections`) prints: the summary, then each cost table item by item. */
export function partialSummary(r: Partial<BenchResults>): string {
  const out = [textTable(summaryRows(r))];
  for (const c of r.costs ?? []) {
    out.push('', `${c.shape}: ${usd(c.total)} per 1M page views`);
    for (const line of c.lines)
      out.push(`  ${line.item.padEnd(24)} ${usd(line.dollars).padStart(8)}  ${line.basis}`);
  }
  return out.join('\n');
}

export function textTable(rows: SummaryRow[]): string {
  const headers: SummaryRow = {
    section: 'section',
    measure: 'measure',
    value: 'value',
    goal: 'goal',
    verdict: 'verdict',
  };
  const keys = Object.keys(headers) as (keyof SummaryRow)[];
  const widths = keys.map((k) => Math.max(...[headers, ...rows].map((row) => row[k].length)));
  const line = (row: SummaryRow) =>
    keys
      .map((k, i) => row[k].padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const mdTable = (headers: string[], rows: (string | number)[][]) =>
  [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

export function markdown(r: BenchResults, chartFile: string): string {
  const m = r.machine;
  const steady = r.writes.find((w) => w.shape === 'steady');
  const steadyCost = r.costs.find((c) => c.shape === 'steady');
  const s3 = r.sideBySide;
  const t = r.throughput;
  const fr = r.freshness;
  const out: string[] = [];
  out.push('# Benchmarks');
  out.push('');
  out.push(
    `Written by \`npm run bench\` (\`bench/run.ts\`) on ${r.date.slice(0, 16).replace('T', ' ')} UTC in ${f(r.seconds, 0)} s${r.smoke ? ' (SMOKE MODE: tiny sizes, figures not meaningful)' : ''}. Do not edit by hand: run the bench again.`,
  );
  out.push('');
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB memory, ${m.os}, Node.js ${m.node}; 1-minute load average ${m.loadStart ?? 'n/a'} at the start and ${m.loadEnd ?? 'n/a'} at the end of the run (other engineers' tests ran on the same ${m.cores} cores, so latencies and throughput are pessimistic and vary from run to run; unit counts and items read do not). DynamoDB Local and fauxqs run on the same machine: their latencies are an emulator's, not AWS's.`,
  );
  out.push('');
  out.push(`![Write units per visit by traffic shape, and query latency against PostgreSQL](${chartFile})`);
  out.push('');
  out.push('## Summary');
  out.push('');
  out.push(
    mdTable(
      ['section', 'measure', 'value', 'goal', 'verdict'],
      summaryRows(r).map((row) => [row.section, row.measure, row.value, row.goal, row.verdict]),
    ),
  );
  out.push('');

  out.push('## 1. Write units per visit');
  out.push('');
  out.push(
    `Visits are generated with timestamps for each traffic shape and fed to the real consumer (\`consumeBatch\`) in the batches Lambda's SQS event source would make: a batch closes when it holds \`batchSize\` (${queueSettings.batchSize}) messages or \`batchingWindowSeconds\` (${queueSettings.batchingWindowSeconds} s) after its first message. The DynamoDB client handed to the consumer is wrapped: every committed \`TransactWriteItems\` call's items are captured and charged with DynamoDB's documented rules.`,
  );
  out.push('');
  out.push(
    '**Why two figures.** DynamoDB Local reports 2 units per table per transaction, whatever the number of items in it, so its `ConsumedCapacity` ("Local reported") badly under-counts transactions. Real DynamoDB charges a transactional write **2 WCU per item per started 1 KB** (an update is charged on the larger of the item before and after). "Computed" sums exactly that over the captured items, their sizes taken from attribute names plus values (string: UTF-8 bytes; number: 1 byte per two significant digits + 1). RCU/visit: the consumer reads each visitor-day it writes with a strongly consistent BatchGetItem (1 unit per started 4 KB, 1 for a missing item), computed the same way.',
  );
  out.push('');
  out.push(
    "Every view carries what ingest derives in production (browser, OS, device and country on every view; a source, referrer or campaign on a visitor's first view), so every counter is on: the whole site, pages, entry and exit pages, and the 11 visit properties.",
  );
  out.push('');
  out.push(
    mdTable(
      [
        'shape',
        'traffic',
        'visits',
        'batches',
        'mean batch',
        'transactions',
        'items/visit',
        'counter updates/visit',
        'WCU/visit computed',
        'WCU/visit Local reported',
        'RCU/visit',
        'visitor-day / counter item',
        'consumeBatch per batch (Local)',
      ],
      r.writes.map((w) => [
        w.shape,
        w.description,
        int(w.visits),
        int(w.batches),
        f(w.meanBatch, 1),
        int(w.transactions),
        f(w.actionsPerVisit, 2),
        f(w.counterUpdatesPerVisit, 2),
        `**${f(w.wcuPerVisit, 2)}**`,
        f(w.reportedWcuPerVisit, 2),
        f(w.rcuPerVisit, 2),
        `${int(w.meanPutBytes)} B / ${int(w.meanCounterBytes)} B`,
        `${int(w.msPerBatch)} ms`,
      ]),
    ),
  );
  out.push('');
  if (steady) {
    out.push(
      `**Where the write units go (steady).** The visitor-day item of each view is a Put inside the transaction: 2 WCU per view while the item is under 1 KB (a few views). Here the visitor-days cost ${f(steady.putWcuPerVisit, 2)} WCU per view and the counters ${f(steady.wcuPerVisit - steady.putWcuPerVisit, 2)}: a bucket's values are packed into a few shard items (pages: 4 per minute, 8 per hour, 32 per day; every visit property together in one visit item an hour and two a day, each value tagged with its property), so a batch updates a few items per bucket however many pages and sources it touches, and each update is charged by the size of its item. ` +
        'Small batches cost more per view (trickle, 5 pollers): the same items are updated for fewer views. ',
    );
    out.push('');
  }
  out.push(
    '"steady, 5 pollers" is the same traffic when Lambda\'s 5 initial pollers each gather their own batches, as Lambda\'s event source may do for a standard queue: batches are 5 times smaller and cost more per visit. The local stack polls with one poller.',
  );
  out.push('');

  out.push('## 2. Query cost: items read at 1x and 10x the visits');
  out.push('');
  out.push(
    `Two orgs with the same pages (5) and the same (page, bucket) pairs in each range: 1 visit per pair at 1x, 10 at 10x, all written through the consumer. \`itemsRead\` is \`queryVisits\`' count of the counter items DynamoDB read (the HTTP API returns it as the \`x-items-read\` header${Number.isFinite(fr.itemsReadHeader) ? `; the freshness run saw \`x-items-read: ${fr.itemsReadHeader}\`` : ''}). Read units are DynamoDB Local's \`ConsumedCapacity\` for the Query calls (eventually consistent). Latency: in process against DynamoDB Local, ${r.smoke ? '2' : '15'} runs after a warm-up.`,
  );
  out.push('');
  out.push(
    mdTable(
      [
        'aggregation',
        'range',
        'scale',
        'visits in range',
        'items read',
        'rows returned',
        'read units',
        'p50 ms',
        'p95 ms',
      ],
      r.queries.map((q) => [
        q.aggregation,
        q.range,
        q.scale,
        int(q.visitsInRange),
        q.itemsRead,
        q.rows,
        f(q.reportedReadUnits, 1),
        f(q.p50Ms),
        f(q.p95Ms),
      ]),
    ),
  );
  out.push('');
  const allEqual = ['minute', 'hour', 'day', 'month'].every(
    (a) => new Set(r.queries.filter((q) => q.aggregation === a).map((q) => q.itemsRead)).size === 1,
  );
  out.push(
    `Items read ${allEqual ? "are the same at 1x and 10x for every aggregation: a query's cost grows with its answer (pages x buckets), not with the visits" : 'DIFFER between 1x and 10x: investigate'}. A month query reads day counters (about 30 per page and month) and sums them.`,
  );
  out.push('');

  out.push("## 3. Side by side with the seed's SQL design");
  out.push('');
  out.push(
    `The same generated visits (one org, 50 pages with a skewed popularity, spread over one day) at ${s3.rows.map((x) => int(x.visits)).join(' and ')} visits, loaded into both stores in one run, and the same question asked of each: visits per page and hour over that day.`,
  );
  out.push('');
  if (s3.postgresSkipped) out.push(`**PostgreSQL not measured: ${s3.postgresSkipped}.**`);
  else {
    out.push(
      `- PostgreSQL: ${s3.postgresVersion}, started by the bench on a temp dir and a free loopback port (fsync off, shared_buffers 256 MB, work_mem 64 MB). Table \`visits (id bigserial primary key, org_id integer, user_id integer, page_url text, visited_at timestamptz)\` as in the seed, with the index the seed's EXPLAIN-driven tuning points to, \`(org_id, visited_at)\`; loaded with COPY, then VACUUM ANALYZE. Query, timed over the wire with \`pg\` after a warm-up (so the table is in cache):`,
    );
    out.push('');
    out.push('  ```sql');
    out.push(`  ${s3.query}`);
    out.push('  ```');
    out.push('');
    out.push(
      "  The table holds only this range's visits, so PostgreSQL may read it whole: the most favourable case for it: the planner reads the table whole (Seq Scan), which is cheaper than the index when every row matches; in a real table other days and orgs are skipped by the index, and the rows in range still have to be read and grouped.",
    );
  }
  const burst = r.writes.find((w) => w.shape === 'burst');
  const txMs = burst ? (burst.msPerBatch * burst.batches) / burst.transactions : NaN;
  out.push(
    `- DynamoDB: \`queryVisits\` (hour aggregation) against the counters. DynamoDB Local committed a transaction of up to 100 actions in ${f(txMs, 0)} ms on average in section 1 of this run, so writing ${int(s3.rows[s3.rows.length - 1]?.visits ?? 0)} visits through the consumer would take longer than the whole bench may run: **where the table says "direct", the hour counters (the only ones this query reads) were summed in memory and written directly**, item for item as the consumer writes them. That shortcut is checked in the same run: the counters it writes for the first ${int(s3.shortcutCheckedOn)} visits give the same answer as those the consumer wrote for them (${s3.shortcutMatches ? 'they do' : 'THEY DO NOT'}). Writing those ${int(s3.shortcutCheckedOn)} visits through the consumer took ${f(s3.consumerSeedSeconds, 0)} s in this run (\`npm run bench -- --consumer-seed\` writes all ${int(s3.rows[0]?.visits ?? 0)} visits of the smaller size that way, measures DynamoDB on those counters and checks the shortcut on all of them; it adds 2 to 4 minutes on DynamoDB Local, which is why it is not the default). The answer of each store is compared with the other's at every size.`,
  );
  out.push('');
  out.push(
    mdTable(
      [
        'visits',
        'DynamoDB counters',
        'rows in answer',
        'DynamoDB items read',
        'DynamoDB p50 / p95 ms',
        'PostgreSQL p50 / p95 ms',
        'PostgreSQL plan',
        'ratio PG / DynamoDB (p50)',
        'same answer',
      ],
      s3.rows.map((x) => [
        int(x.visits),
        x.dynamoSeeding.startsWith('written through') ? 'through the consumer' : 'direct',
        int(x.rows),
        int(x.dynamoItemsRead),
        `${f(x.dynamoP50Ms)} / ${f(x.dynamoP95Ms)}`,
        x.postgresP50Ms === undefined ? 'n/a' : `${f(x.postgresP50Ms)} / ${f(x.postgresP95Ms)}`,
        x.postgresPlan ?? 'n/a',
        f(x.ratio, 2),
        x.answersEqual === undefined ? 'n/a' : x.answersEqual ? 'yes' : 'NO',
      ]),
    ),
  );
  out.push('');
  if (s3.rows.length === 2) {
    const [a, b] = s3.rows;
    out.push(
      `From ${int(a!.visits)} to ${int(b!.visits)} visits DynamoDB read ${int(a!.dynamoItemsRead)} then ${int(b!.dynamoItemsRead)} items (bounded by 24 hours x 50 pages = 1,200) and its latency went from ${f(a!.dynamoP50Ms)} to ${f(b!.dynamoP50Ms)} ms` +
        (a!.postgresP50Ms !== undefined
          ? `; PostgreSQL scans every visit in the range, and went from ${f(a!.postgresP50Ms)} to ${f(b!.postgresP50Ms)} ms (x${f(b!.postgresP50Ms! / a!.postgresP50Ms, 1)}).`
          : '.') +
        " DynamoDB Local is a Java emulator backed by SQLite, so its milliseconds are not DynamoDB's (differences between the two DynamoDB rows are noise: they read the same 1,200 items, about 150 KB, one Query page); what carries over is the shape: PostgreSQL's time grows with the visits in the range, the counters' with the size of the answer.",
    );
    out.push('');
  }

  out.push('## 4. Freshness on the local stack');
  out.push('');
  out.push(
    `\`startLocalStack\` on free ports (its own tables on the bench's emulators; throttle lifted, see 5). ${fr.samples} visits POSTed ${'700'} ms apart, each to its own page; for each, GET /visits (minute aggregation, that page) polled every 50 ms until the visit shows. Time from the start of the POST to the first GET that shows it.`,
  );
  out.push('');
  out.push(
    mdTable(
      ['samples', 'p50', 'p95', 'max', 'batching window'],
      [
        [
          fr.samples,
          `${int(fr.p50Ms)} ms`,
          `${int(fr.p95Ms)} ms`,
          `${int(fr.maxMs)} ms`,
          `${fr.batchingWindowSeconds} s`,
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    `Freshness is bounded by the batching window (a batch closes at most that long after its first message) plus one consumer run and the next poll of the GET; a visit that arrives while a window is already open waits less than the full window, which is why the median is below it. In AWS the same settings apply; ${fr.samples} samples make the p95 close to the maximum.`,
  );
  out.push('');

  out.push('## 5. Ingest throughput of the local stack');
  out.push('');
  out.push(
    `autocannon (programmatic API), ${t.endToEnd.connections} connections for ${t.endToEnd.durationSeconds} s against POST /visits (text/plain body with the demo site key, one page), on the same machine as the stack and its emulators, twice: first with the consumer held (the poller takes no batch, so the visits wait in the queue and the API and ingest handler have the process to themselves), then released, its drain timed alone; then end to end, the consumer counting while ingest answers, as \`npm start\` runs. **Note:** ${t.throttleNote}; with it on, the local API answers 429 above that rate, as API Gateway would.`,
  );
  out.push('');
  out.push(
    mdTable(
      [
        'run',
        'requests/s (mean)',
        'p50',
        'p99',
        'accepted (202)',
        'non-2xx',
        'errors',
        'counted after drain',
        'drain time',
      ],
      [t.ingestAlone, t.endToEnd].map((run) => [
        run.consumerHeld ? 'ingest alone (consumer held)' : 'end to end',
        int(run.requestsPerSecond),
        `${run.p50Ms} ms`,
        `${run.p99Ms} ms`,
        int(run.accepted),
        int(run.non2xx),
        int(run.errors),
        int(run.counted),
        `${f(run.drainSeconds, 1)} s`,
      ]),
    ),
  );
  out.push('');
  out.push(
    `The consumer alone drained the held visits at ${int(t.consumerViewsPerSecond)} views a second (counted / drain time, batches of up to ${queueSettings.batchSize}).`,
  );
  out.push('');
  out.push(
    '"counted after drain" can exceed autocannon\'s tally of 202s by the requests still in flight when its clock stopped: the server answered and queued them after autocannon stopped counting. One Node.js process serves the API, runs the ingest handler and the SQS emulator, and polls the queue into the consumer while the JVM of DynamoDB Local shares the same cores: this measures the local stack, not AWS (where each request is its own Lambda invocation and API Gateway scales out).',
  );
  out.push('');

  out.push('## 6. Sizes and cold starts');
  out.push('');
  out.push(
    `tracker.js (tracker/build.ts): **${r.sizes.tracker.raw} B raw, ${r.sizes.tracker.gzip} B gzip, ${r.sizes.tracker.brotli} B brotli**.`,
  );
  out.push('');
  out.push(
    `Lambda bundles, built as the CDK stack builds them (\`infra/bundling.ts\`: esbuild, minified, ESM, target node22, the stack's createRequire banner, the AWS SDK bundled in where a function uses it: ingest signs its own DynamoDB and SQS calls, \`lambdas/core/runtime/aws-lite/\`), and the ingest bundle once more as it was before that, the same handler with the AWS SDK's clients (\`bench/lib/ingest-sdk-entry.ts\`). Import time = the wall time of a fresh \`node bundle.mjs\` (the handler's environment set to dummy values) minus that of an empty script started just before it; the pairs alternate over every bundle, ${r.sizes.runs} times, and the table gives the median difference with its 25th and 75th percentiles (an empty script took ${f(r.sizes.bundles[0]?.baselineMs, 0)} ms here, and its own time swings with the machine's load, which is why single figures were not stable). Lambda adds its own runtime init on top of this.`,
  );
  out.push('');
  out.push(
    mdTable(
      ['function', 'AWS SDK', 'raw', 'gzip', 'import time (cold start), median', 'p25 - p75'],
      r.sizes.bundles.map((b) => [
        b.name,
        b.sdk === 'none' ? 'none (own SigV4 client)' : b.name === 'ingest' ? 'bundled (before)' : 'bundled',
        `${f(b.raw / 1024)} KiB`,
        `${f(b.gzip / 1024)} KiB`,
        `${int(b.coldStartMs)} ms`,
        `${int(b.coldStartP25Ms)} - ${int(b.coldStartP75Ms)} ms`,
      ]),
    ),
  );
  out.push('');

  out.push(
    `The ingest function's first request, as deployed and as before, in a fresh \`node\` each, alternated ${r.sizes.runs} times and timed inside the process: importing the bundle, then answering a POST /visits (202), then a second one (warm). DynamoDB and SQS are a local endpoint that answers at once (a site key, the day's salt, the message's MD5), so the request times are the function's own: the clients' code loaded on first use, signing, the connection, the source table parsed on first use. The difference of the two builds' first requests is what leaving the SDK out saves beyond the import; a deferred import would only move time from the first column to the second.`,
  );
  out.push('');
  out.push(
    mdTable(
      [
        'ingest build',
        'import, median (p25-p75)',
        'first request',
        'second request',
        'import + first request',
      ],
      r.sizes.firstRequests.map((q) => [
        q.build,
        `${int(q.importMs.median)} ms (${int(q.importMs.p25)}-${int(q.importMs.p75)})`,
        `${int(q.firstRequestMs.median)} ms (${int(q.firstRequestMs.p25)}-${int(q.firstRequestMs.p75)})`,
        `${f(q.secondRequestMs.median)} ms (${f(q.secondRequestMs.p25)}-${f(q.secondRequestMs.p75)})`,
        `${int(q.importMs.median + q.firstRequestMs.median)} ms`,
      ]),
    ),
  );
  out.push('');

  out.push('## 7. Cost per 1M page views on AWS');
  out.push('');
  out.push(`Prices (${prices.region}, as of ${prices.asOf}):`);
  out.push('');
  out.push(
    mdTable(
      ['service', 'price'],
      [
        [
          'API Gateway HTTP API',
          `$${prices.httpApiPerMillion.toFixed(2)} per million requests (the dashboard's reads; beacons go to a Lambda function URL, which has no request price)`,
        ],
        [
          'Lambda arm64',
          `$${prices.lambdaArmPerGbSecond} per GB-s + $${prices.lambdaPerMillionRequests.toFixed(2)} per million requests`,
        ],
        [
          'SQS standard',
          `$${prices.sqsPerMillionRequests.toFixed(2)} per million requests (each 64 KB chunk is one request; Receive and DeleteMessageBatch take 10 messages per call)`,
        ],
        [
          'DynamoDB on-demand',
          `$${prices.dynamoPerMillionWriteUnits} per million write request units, $${prices.dynamoPerMillionReadUnits} per million read request units, $${prices.dynamoStoragePerGbMonth} per GB-month`,
        ],
        [
          'CloudFront',
          `$${prices.cloudFrontPer10kHttpsRequests.toFixed(4)} per 10,000 HTTPS requests, $${prices.cloudFrontPerGbOut} per GB out`,
        ],
        ['CloudWatch Logs', `$${prices.cloudWatchLogsPerGbIngested.toFixed(2)} per GB ingested`],
      ],
    ),
  );
  out.push('');
  out.push(
    `Measured: WCU per visit (section 1), batch sizes and transactions per batch (section 1), raw record size (section 1), tracker gzip size (section 6). Assumed (cannot be measured here): ingest runs ${assumptions.ingestMs} ms at ${assumptions.ingestMemoryGb * 1024} MB (one SendMessage, key and salt cached); the consumer runs ${assumptions.msPerTransaction} ms per transaction + ${assumptions.consumerOverheadMs} ms at ${assumptions.consumerMemoryGb * 1024} MB; one tracker.js request per ${assumptions.pageViewsPerTrackerRequest} page views; ${assumptions.queriesPerMillion} dashboard queries per 1M page views. Not included: free tiers, the event source's idle long polls (a fixed ~$0.25 a month per queue, not per visit), alarms, the dashboard's own hosting.`,
  );
  out.push('');
  for (const c of r.costs) {
    out.push(`**${c.shape}: ${usd(c.total)} per 1M page views**`);
    out.push('');
    out.push(
      mdTable(
        ['item', 'basis', 'cost'],
        c.lines.map((l) => [l.item, l.basis, usd(l.dollars)]),
      ),
    );
    out.push('');
  }
  if (steadyCost) {
    const dynamo = steadyCost.lines
      .filter((l) => l.item.startsWith('DynamoDB writes') || l.item.startsWith('DynamoDB consumer reads'))
      .reduce((n, l) => n + l.dollars, 0);
    const rest = steadyCost.total - dynamo;
    const verdicts = r.costs
      .filter((c) => costBudgets[c.shape] !== undefined)
      .map((c) => {
        const budget = costBudgets[c.shape]!;
        return `${c.shape} ${usd(c.total)} (at most ${usd(budget)}: ${c.total <= budget ? 'met' : `missed by ${usd(c.total - budget)}`})`;
      });
    out.push(
      `**Budgets per 1M page views: ${verdicts.join('; ')}.** ` +
        `serverless-website-analytics publishes ${usd(swaWorstCase)} per 1M as its worst case; steady traffic here is ${f(swaWorstCase / steadyCost.total, 1)} times less, and counts visitors, visits, bounces, durations, entry and exit pages, sources and devices exactly. ` +
        `**What ${usd(costGoal)} would take.** Everything but the consumer's DynamoDB writes and reads costs ${usd(rest)} in steady traffic, so ${usd(costGoal)} leaves ${usd(Math.max(0, costGoal - rest))} for them: about ${f(Math.max(0, costGoal - rest) / prices.dynamoPerMillionWriteUnits, 2)} WCU per view, against the 2 WCU of the visitor-day write alone inside a transaction. ` +
        "The levers left, each with its price (DECISIONS.md, issue 25): writing the visitor-day outside a transaction (1 WCU, not 2) and deriving the counters from its DynamoDB Stream (stream reads by Lambda are free), which moves exactly-once into the stream consumer and delays counters by the stream's latency; a longer batching window, at the price of freshness; and the tracker batching the views of one page load, which saves little, since most page loads have one view.",
    );
    out.push('');
  }
  out.push('## 8. Breakdowns with a filter');
  out.push('');
  out.push(
    "`GET /breakdown` with a `filter` is answered by the engine: SQL over the archive for archived days, and for the days not yet archived (the last one to three) the visitor-days read back (one Query per day and partition, eight at a time) and counted exactly. This section measures that open-days part: its reads grow with those days' visitors, not with the answer. One org, " +
      '10,000 visitors a day, each with one visit of three views and a country, written as the consumer writes visitor-days; the page breakdown of `filter=country:US`, in process against DynamoDB Local, after a warm-up. Read units are DynamoDB Local\'s `ConsumedCapacity` for the Queries (eventually consistent). "Live heap" is the largest heap after a full GC, sampled every 20 ms during one more run, above the heap before it: visitor-days are counted as their pages arrive, so it should not grow with the range. "Held" is what the same visitor-days take when all are kept at once, as a reader that returned the whole range would.',
  );
  out.push('');
  out.push(
    mdTable(
      [
        'days',
        'visitor-days in range',
        'visitor-days read',
        'rows',
        'read units',
        'p50 ms',
        'visitor-days/s',
        'live heap while counting',
        'held all at once',
      ],
      r.filtered.map((q) => [
        q.days,
        int(q.visitorDaysInRange),
        int(q.visitorDaysRead),
        q.rows,
        f(q.reportedReadUnits, 0),
        int(q.p50Ms),
        int(q.visitorDaysPerSecond),
        `${f(q.liveHeapMb)} MB`,
        `${f(q.heldHeapMb)} MB`,
      ]),
    ),
  );
  out.push('');
  out.push(...archiveMarkdown(r));
  out.push('## Reproduce');
  out.push('');
  out.push(
    '`npm run bench` (about 10 to 12 minutes on 2 cores, of which sections 9 and 10 take about 4 and 3: 365 and 58 days written through the archive writer; needs Java 17+ for DynamoDB Local, and PostgreSQL server binaries for section 3: `sudo apt-get install -y postgresql`, else that part is skipped and says why). `npx vitest run bench` runs the smoke mode that keeps the bench from rotting.',
  );
  out.push('');
  return out.join('\n');
}

/** Sections 9 and 10 (issue 21), as they appear in the report; a partial run (`--sections 9,10`) can print them alone. */
export function archiveMarkdown(r: Partial<BenchResults>): string[] {
  const out: string[] = [];
  if (r.archive) {
    const a = r.archive;
    out.push('## 9. The archive and the engine: 12 months, filtered');
    out.push('');
    out.push(
      `The bench writes ${a.days} days of a site with ${int(a.visitorsPerDay)} visitors a day straight to an archive folder, as the archiver writes them (core/archive/parquet.ts: each day's rows with their visit numbers, ${f(a.bytesPerDay / 1e6, 2)} MB, and its visit pages, ${f(a.visitPagesBytesPerDay / 1e6, 2)} MB; ${int(a.encodeMsPerDay)} ms to compute a day's visits and encode both files). Each visitor: one visit of three page views, one in ten a second visit three hours later, one in twenty a custom event; a country of five and a source of four. One day's files are computed once and copied to every day (a visitor is a visitor of one day, so the days are independent). ` +
        `Then \`GET /breakdown?property=page&filter=country:DE\` over the whole range through the engine (lambdas/query/explore, DuckDB in process, 2 threads), after a warm-up, alternating with the same filter's source breakdown. "Exact" compares GET /stats' figures under a filter that keeps every visit (\`country!:ZZ\`) with what the site counters' own definition (counters/site.ts) counts from the same visitor-days. Athena's bytes are the visit-pages files of the range (all a page breakdown reads; Athena reads only the columns named, so this is an upper bound), at $5 per TB with its 10 MB minimum.`,
    );
    out.push('');
    out.push(
      mdTable(
        ['measure', 'value'],
        [
          [
            'filtered page breakdown, p50 (min-max)',
            `${int(a.breakdownP50Ms)} ms (${int(a.breakdownSpreadMs[0])}-${int(a.breakdownSpreadMs[1])})`,
          ],
          [
            'filtered source breakdown, p50 (min-max)',
            `${int(a.sourceP50Ms)} ms (${int(a.sourceSpreadMs[0])}-${int(a.sourceSpreadMs[1])})`,
          ],
          [
            'engine, unfiltered total',
            `${int(a.engine.pageviews)} page views, ${int(a.engine.visits)} visits, ${int(a.engine.visitors)} visitors`,
          ],
          [
            'site counters, same rows',
            `${int(a.counted.pageviews)} page views, ${int(a.counted.visits)} visits, ${int(a.counted.visitors)} visitors (${a.exactTotal ? 'equal' : 'NOT EQUAL'})`,
          ],
          ['Athena would scan at most', `${f(a.athenaBytes / 1e6, 0)} MB: ${usd(a.athenaPriceUsd)} a query`],
          [
            'archiving per 1M page views',
            `${usd(a.costPerMillion.total)}: S3 PUTs ${usd(a.costPerMillion.puts)}, a month of storage ${usd(a.costPerMillion.storageMonth)}, the archiver's Lambda ${usd(a.costPerMillion.lambda)}, its visitor-day reads ${usd(a.costPerMillion.reads)}`,
          ],
        ],
      ),
    );
    out.push('');
    out.push(
      `The steady write cost (section 7) does not include archiving; it adds ${usd(a.costPerMillion.total)} per 1M page views (goal: within ${usd(archiveCostBudget)}). A month of storage is counted once; it accrues each month the archive is kept (retention, \`org set --retention\`).`,
    );
    out.push('');
  }
  if (r.filteredView) {
    const v = r.filteredView;
    out.push("## 10. The dashboard's filtered view");
    out.push('');
    out.push(
      `"Last 30 days" with \`filter=source:Google\`, as the dashboard asks for it: GET /stats for the range and for the period before it, and GET /breakdown for the first tab of every table (pages, sources, countries, devices, goals; ${int(tableRowLimit)} rows), the ${v.requests} requests sent at once over HTTP to the local stack's API (\`npm start\`'s handlers; DuckDB over the archive folder). A site of ${int(v.visitorsPerDay)} visitors a day over the 60 days the two ranges cover: ${v.archivedDays} closed days written by the archive's writer, ${v.openDays} open day(s) as visitor-days in DynamoDB Local. Time to the last answer, after a warm-up: **p50 ${int(v.p50Ms)} ms** (min ${int(v.spreadMs[0])}, max ${int(v.spreadMs[1])}; goal ${int(filteredViewGoalMs)} ms; 20 s before the engine). The slowest request of the median view: \`${v.slowest}\`.`,
    );
    out.push('');
  }
  return out;
}

/** A hand-made SVG: write units per visit by shape (with the goal), and section 3's latencies. */
export function chartSvg(r: BenchResults): string {
  const W = 820;
  const H = 340;
  const parts: string[] = [];
  const text = (x: number, y: number, s: string, opts = '') =>
    `<text x="${x}" y="${y}" ${opts}>${s.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
  );
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);

  // Left panel: WCU per visit.
  const L = { x: 50, y: 40, w: 360, h: 230 };
  const maxW = Math.max(...r.writes.map((w) => w.wcuPerVisit)) * 1.15;
  parts.push(
    text(L.x, 20, 'Write units per visit (computed from item sizes)', 'font-size="13" font-weight="bold"'),
  );
  parts.push(`<line x1="${L.x}" y1="${L.y + L.h}" x2="${L.x + L.w}" y2="${L.y + L.h}" stroke="#333"/>`);
  parts.push(`<line x1="${L.x}" y1="${L.y}" x2="${L.x}" y2="${L.y + L.h}" stroke="#333"/>`);
  for (let v = 0; v <= maxW; v += 2) {
    const y = L.y + L.h - (v / maxW) * L.h;
    parts.push(
      `<line x1="${L.x - 4}" y1="${y}" x2="${L.x}" y2="${y}" stroke="#333"/>`,
      text(L.x - 8, y + 4, String(v), 'text-anchor="end"'),
    );
  }
  const slot = L.w / r.writes.length;
  r.writes.forEach((w, i) => {
    const bw = slot * 0.38;
    const x = L.x + i * slot + slot * 0.1;
    const hC = (w.wcuPerVisit / maxW) * L.h;
    const hR = (w.reportedWcuPerVisit / maxW) * L.h;
    parts.push(`<rect x="${x}" y="${L.y + L.h - hC}" width="${bw}" height="${hC}" fill="#2f6db5"/>`);
    parts.push(`<rect x="${x + bw + 2}" y="${L.y + L.h - hR}" width="${bw}" height="${hR}" fill="#b0b0b0"/>`);
    parts.push(text(x + bw / 2, L.y + L.h - hC - 4, w.wcuPerVisit.toFixed(2), 'text-anchor="middle"'));
    parts.push(
      text(
        x + bw,
        L.y + L.h + 14,
        w.shape
          .replace(', 5 pollers', ' x5')
          .replace(', one page', ' 1pg')
          .replace(', visitor model only', ' visitors'),
        'text-anchor="middle"',
      ),
    );
  });
  parts.push(
    `<rect x="${L.x}" y="${H - 38}" width="10" height="10" fill="#2f6db5"/>`,
    text(L.x + 14, H - 29, 'computed (what AWS charges)'),
  );
  parts.push(
    `<rect x="${L.x + 190}" y="${H - 38}" width="10" height="10" fill="#b0b0b0"/>`,
    text(L.x + 204, H - 29, 'DynamoDB Local reported'),
  );

  // Right panel: section 3 latency.
  const R = { x: 500, y: 40, w: 290, h: 230 };
  const rows = r.sideBySide.rows;
  const values = rows.flatMap((x) => [x.dynamoP50Ms, x.postgresP50Ms ?? 0]);
  const maxL = Math.max(1, ...values) * 1.15;
  parts.push(text(R.x - 30, 20, 'Hour x 1 day query, p50 latency (ms)', 'font-size="13" font-weight="bold"'));
  parts.push(`<line x1="${R.x}" y1="${R.y + R.h}" x2="${R.x + R.w}" y2="${R.y + R.h}" stroke="#333"/>`);
  parts.push(`<line x1="${R.x}" y1="${R.y}" x2="${R.x}" y2="${R.y + R.h}" stroke="#333"/>`);
  const step = 10 ** Math.floor(Math.log10(maxL));
  for (let v = 0; v <= maxL; v += step) {
    const y = R.y + R.h - (v / maxL) * R.h;
    parts.push(
      `<line x1="${R.x - 4}" y1="${y}" x2="${R.x}" y2="${y}" stroke="#333"/>`,
      text(R.x - 8, y + 4, String(v), 'text-anchor="end"'),
    );
  }
  const rslot = R.w / Math.max(1, rows.length);
  rows.forEach((x, i) => {
    const bw = rslot * 0.3;
    const x0 = R.x + i * rslot + rslot * 0.15;
    const bars = [
      { v: x.postgresP50Ms, color: '#e08a1e', label: 'PostgreSQL' },
      { v: x.dynamoP50Ms, color: '#2f6db5', label: 'DynamoDB' },
    ];
    bars.forEach((b, j) => {
      if (b.v === undefined) return;
      const h = (b.v / maxL) * R.h;
      parts.push(
        `<rect x="${x0 + j * (bw + 4)}" y="${R.y + R.h - h}" width="${bw}" height="${h}" fill="${b.color}"/>`,
      );
      parts.push(text(x0 + j * (bw + 4) + bw / 2, R.y + R.h - h - 4, b.v.toFixed(0), 'text-anchor="middle"'));
    });
    parts.push(text(x0 + bw, R.y + R.h + 14, `${int(x.visits)} visits`, 'text-anchor="middle"'));
  });
  parts.push(
    `<rect x="${R.x}" y="${H - 38}" width="10" height="10" fill="#e08a1e"/>`,
    text(
      R.x + 14,
      H - 29,
      r.sideBySide.postgresSkipped ? 'PostgreSQL (skipped)' : 'PostgreSQL (visits table)',
    ),
  );
  parts.push(
    `<rect x="${R.x + 160}" y="${H - 38}" width="10" height="10" fill="#2f6db5"/>`,
    text(R.x + 174, H - 29, 'DynamoDB counters (Local)'),
  );
  parts.push(
    text(
      10,
      H - 8,
      `${r.machine.cpu}, ${r.machine.cores} cores, Node.js ${r.machine.node}, ${r.date.slice(0, 10)}${r.smoke ? ' (smoke mode)' : ''}`,
      'fill="#666"',
    ),
  );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
