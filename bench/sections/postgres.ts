/**
 * 3. Side by side with the seed's design: a PostgreSQL `visits` table (one row per visit,
 * indexed on (org_id, visited_at) as the seed's EXPLAIN-driven index), queried with its
 * date_trunc + GROUP BY, against the DynamoDB counters answering the same question, on the same
 * generated visits at two sizes, in one run.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchWriteCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import pg from 'pg';
import { consumeBatch } from '../../lambdas/consume/consume.js';
import { queueSettings } from '../../lambdas/core/settings.js';
import { bucketStart, toIso } from '../../lambdas/core/domain/buckets.js';
import { pageCounter, pageMetrics } from '../../lambdas/core/counters/page.js';
import { counterAttribute, counterItemKey, shardOf, valueId } from '../../lambdas/core/store/counters.js';
import { queryVisits } from '../../lambdas/query/visits.js';
import type { BenchContext } from '../lib/context.js';
import { type PostgresServer, findPostgresBin, startPostgres } from '../lib/postgres.js';
import { percentile, rng } from '../lib/stats.js';
import { makeVisit, pagesOf, toRecord } from '../lib/traffic.js';

export interface SideBySideRow {
  visits: number;
  /** How the DynamoDB counters were written. */
  dynamoSeeding: string;
  dynamoItemsRead: number;
  dynamoP50Ms: number;
  dynamoP95Ms: number;
  postgresP50Ms?: number;
  postgresP95Ms?: number;
  postgresPlan?: string;
  /** postgres p50 / dynamo p50. */
  ratio?: number;
  rows: number;
  answersEqual?: boolean;
}

export interface SideBySideResult {
  query: string;
  range: string;
  postgresVersion?: string;
  /** Why PostgreSQL was not measured, when it was not. */
  postgresSkipped?: string;
  /** The direct counter writes were checked against the consumer on this many visits. */
  shortcutCheckedOn: number;
  shortcutMatches: boolean;
  /** Wall time of writing those visits through the consumer. */
  consumerSeedSeconds: number;
  loadSeconds?: Record<string, number>;
  rows: SideBySideRow[];
}

const sqlQuery =
  "SELECT page_url, date_trunc('hour', visited_at) AS timeframe, count(*) FROM visits WHERE org_id = $1 AND visited_at >= $2 AND visited_at < $3 GROUP BY 1, 2";

const FROM = Date.UTC(2026, 10, 18);
const TO = Date.UTC(2026, 10, 19);
const PAGES = 50;

type Answer = Record<string, { timeframe: string; visit_count: number }[]>;

interface Row {
  page: number;
  time: number;
  user: number;
}

/**
 * `consumerSeed`: write the smaller size's visits through the consumer (about 2,000 transactions
 * for 100k visits, 2 to 3 minutes on DynamoDB Local here) and measure DynamoDB on those counters;
 * otherwise only the first 2,000 go through the consumer, to check the direct writes against.
 */
export async function measureSideBySide(
  ctx: BenchContext,
  options: { postgres: boolean; consumerSeed?: boolean },
): Promise<SideBySideResult> {
  const sizes = ctx.smoke ? [2_000, 20_000] : [100_000, 1_000_000];
  const checkSize = options.consumerSeed ? sizes[0]! : ctx.smoke ? 300 : 2_000;
  const pages = pagesOf(PAGES);
  const random = rng(11);
  // One day of visits of one org over 50 pages; the smaller size is the first part of the larger.
  const rows: Row[] = Array.from({ length: sizes[1]! }, (_, i) => ({
    page: Math.floor(random() ** 1.5 * PAGES),
    time: FROM + Math.floor(random() * (TO - FROM)),
    user: i % 20_011,
  }));
  const tables = await ctx.freshTables();
  const deps = { doc: ctx.doc, countersTable: tables.countersTable };
  const q = { aggregation: 'hour' as const, from: FROM, to: TO, zone: 'UTC' };

  // The shortcut (counters summed in memory, written directly) gives the same counters as the consumer.
  const viaConsumer = randomUUID();
  const direct = randomUUID();
  const checkRows = rows.slice(0, checkSize);
  // In full batches, one consumer at a time: DynamoDB Local serialises transactions, so running
  // several consumers at once (as Lambda would, up to maxConcurrency) is no faster here.
  const seedStarted = performance.now();
  const records = checkRows.map((r) => toRecord(makeVisit(viaConsumer, pages[r.page]!, r.time, r.user)));
  for (let i = 0; i < records.length; i += queueSettings.batchSize) {
    const outcome = await consumeBatch(records.slice(i, i + queueSettings.batchSize), {
      doc: ctx.doc,
      countersTable: tables.countersTable,
      visitsTable: tables.visitsTable,
    });
    if (outcome.failedMessageIds.length > 0) throw new Error('side-by-side seed: messages failed');
  }
  const consumerSeedSeconds = (performance.now() - seedStarted) / 1000;
  await writeHourCounters(ctx, tables.countersTable, direct, checkRows, pages);
  const shortcutMatches =
    JSON.stringify((await queryVisits(viaConsumer, q, deps)).data) ===
    JSON.stringify((await queryVisits(direct, q, deps)).data);
  if (!shortcutMatches)
    throw new Error("directly written counters differ from the consumer's: the side-by-side would be wrong");
  ctx.log(
    `  3. direct counter writes match the consumer's on ${checkSize} visits (consumer seeding took ${consumerSeedSeconds.toFixed(0)} s)`,
  );

  const result: SideBySideResult = {
    query: sqlQuery,
    range: `${toIso(FROM)} to ${toIso(TO)} (hour aggregation, ${PAGES} pages)`,
    shortcutCheckedOn: checkSize,
    consumerSeedSeconds,
    shortcutMatches,
    rows: [],
  };
  const repeats = ctx.smoke ? 3 : 20;

  let server: PostgresServer | undefined;
  let client: pg.Client | undefined;
  if (options.postgres) {
    const found = findPostgresBin();
    if ('missing' in found) result.postgresSkipped = found.missing;
    else {
      try {
        server = await startPostgres(found.bin);
      } catch (error) {
        result.postgresSkipped = `PostgreSQL could not be started here (${(error as Error).message.split('\n')[0]})`;
      }
    }
    if (server) {
      result.postgresVersion = server.version;
      client = new pg.Client({
        host: '127.0.0.1',
        port: server.port,
        user: server.user,
        database: 'postgres',
      });
      await client.connect();
      await client.query("SET TIME ZONE 'UTC'");
      await client.query(
        'CREATE TABLE visits (id bigserial PRIMARY KEY, org_id integer NOT NULL, user_id integer NOT NULL, page_url text NOT NULL, visited_at timestamptz NOT NULL)',
      );
      result.loadSeconds = {};
    }
  } else result.postgresSkipped = 'not run in this mode';

  try {
    let loaded = 0;
    for (const size of sizes) {
      const throughConsumer = size === checkSize;
      const orgId = throughConsumer ? viaConsumer : randomUUID();
      if (!throughConsumer)
        await writeHourCounters(ctx, tables.countersTable, orgId, rows.slice(0, size), pages);
      const times: number[] = [];
      let answer: Awaited<ReturnType<typeof queryVisits>> | undefined;
      await queryVisits(orgId, q, deps);
      for (let i = 0; i < repeats; i++) {
        const started = performance.now();
        answer = await queryVisits(orgId, q, deps);
        times.push(performance.now() - started);
      }
      const row: SideBySideRow = {
        visits: size,
        dynamoSeeding: throughConsumer
          ? 'written through the consumer (consumeBatch)'
          : "hour counters summed in memory and written directly (BatchWriteItem), checked equal to the consumer's",
        dynamoItemsRead: answer!.itemsRead,
        dynamoP50Ms: percentile(times, 50),
        dynamoP95Ms: percentile(times, 95),
        rows: Object.values(answer!.data).reduce((n, l) => n + l.length, 0),
      };
      if (client && server) {
        const started = performance.now();
        await client.query('DROP INDEX IF EXISTS visits_org_time');
        const csv = join(server.dir, `visits-${size}.csv`);
        writeFileSync(
          csv,
          `${rows
            .slice(loaded, size)
            .map((r) => `1,${r.user},${pages[r.page]},${new Date(r.time).toISOString()}`)
            .join('\n')}\n`,
        );
        await client.query(
          `COPY visits (org_id, user_id, page_url, visited_at) FROM '${csv}' WITH (FORMAT csv)`,
        );
        loaded = size;
        await client.query('CREATE INDEX visits_org_time ON visits (org_id, visited_at)');
        await client.query('VACUUM ANALYZE visits');
        result.loadSeconds![String(size)] = (performance.now() - started) / 1000;
        const params = [1, new Date(FROM).toISOString(), new Date(TO).toISOString()];
        const pgTimes = await timeQuery(client, params, repeats);
        row.postgresP50Ms = percentile(pgTimes.times, 50);
        row.postgresP95Ms = percentile(pgTimes.times, 95);
        row.postgresPlan = await planOf(client, params);
        row.ratio = row.postgresP50Ms / row.dynamoP50Ms;
        row.answersEqual = JSON.stringify(toAnswer(pgTimes.rows)) === JSON.stringify(answer!.data);
        if (!row.answersEqual) throw new Error(`PostgreSQL and DynamoDB disagree at ${size} visits`);
      }
      result.rows.push(row);
      ctx.log(
        `  3. ${size} visits: DynamoDB p50 ${row.dynamoP50Ms.toFixed(1)} ms (${row.dynamoItemsRead} items)${row.postgresP50Ms !== undefined ? `, PostgreSQL p50 ${row.postgresP50Ms.toFixed(1)} ms` : ''}`,
      );
    }
  } finally {
    await client?.end().catch(() => undefined);
    await server?.stop();
  }
  return result;
}

async function timeQuery(client: pg.Client, params: unknown[], repeats: number) {
  await client.query(sqlQuery, params); // warm the cache
  const times: number[] = [];
  let rows: { page_url: string; timeframe: Date; count: string }[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    rows = (await client.query(sqlQuery, params)).rows;
    times.push(performance.now() - started);
  }
  return { times, rows };
}

/** The plan's node types, outermost first, e.g. "HashAggregate < Index Scan". */
async function planOf(client: pg.Client, params: unknown[]): Promise<string> {
  const explained = await client.query(`EXPLAIN (FORMAT JSON) ${sqlQuery}`, params);
  const names: string[] = [];
  for (let node = explained.rows[0]['QUERY PLAN'][0].Plan; node; node = node.Plans?.[0])
    names.push(node['Node Type']);
  return names.join(' < ');
}

function toAnswer(rows: { page_url: string; timeframe: Date; count: string }[]): Answer {
  const data: Answer = {};
  for (const page of [...new Set(rows.map((r) => r.page_url))].sort()) {
    data[page] = rows
      .filter((r) => r.page_url === page)
      .map((r) => ({ timeframe: r.timeframe.toISOString(), visit_count: Number(r.count) }))
      .sort((a, b) => (a.timeframe < b.timeframe ? -1 : 1));
  }
  return data;
}

/** The hour counters of these visits, summed in memory and written as the consumer would leave them. */
async function writeHourCounters(
  ctx: BenchContext,
  table: string,
  orgId: string,
  rows: Row[],
  pages: string[],
): Promise<void> {
  const counts = new Map<string, Record<string, string | number>>();
  for (const r of rows) {
    const page = pages[r.page]!;
    const key = counterItemKey(
      orgId,
      pageCounter.dimension,
      'hour',
      bucketStart(r.time, 'hour'),
      shardOf(page, pageCounter.shards.hour),
    );
    const id = `${key.pk}|${key.sk}`;
    const item = counts.get(id) ?? { ...key };
    const attribute = counterAttribute(pageMetrics.pageviews, page);
    item[attribute] = Number(item[attribute] ?? 0) + 1;
    item[`@${valueId(page)}`] = page;
    counts.set(id, item);
  }
  const items = [...counts.values()];
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, any> | undefined = {
      [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (request && Object.keys(request).length > 0) {
      const out: BatchWriteCommandOutput = await ctx.doc.send(
        new BatchWriteCommand({ RequestItems: request }),
      );
      request = out.UnprocessedItems;
    }
  }
}
