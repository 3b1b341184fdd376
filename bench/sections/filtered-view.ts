/**
 * 10. The dashboard's whole filtered view, as the browser asks for it: "Last 30 days" with one
 * filter (`source:Google`), every panel's request at once over HTTP to the local stack's API
 * (`npm start`'s handlers, DuckDB over the archive folder): GET /stats for the range and for the
 * period before it (the changes under the figures), and GET /breakdown for the first tab of each
 * table (pages, sources, countries, devices, goals), at the dashboard's row limit. The time is to
 * the last answer.
 *
 * A site of 2,000 visitors a day (bench/sections/filtered.ts's visitor-days) over the 60 days both
 * ranges cover: the closed days written to the archive by the archive's own writer (writeDay:
 * rows, visits, Parquet), the open ones (the last one or two) as visitor-days in DynamoDB Local,
 * as the consumer leaves them.
 */
import { writeDay, writeProgress, lastClosedDay } from '../../lambdas/core/archive/archive.js';
import { fileBlobStore } from '../../lambdas/core/archive/blobs.js';
import { rowsOfVisitorDay } from '../../lambdas/core/archive/row.js';
import { addDays, startOfLocalDay, utc } from '../../lambdas/core/domain/zones.js';
import { envNames } from '../../lambdas/core/settings.js';
import { tableRowLimit } from '../../dashboard/src/lib/panels.js';
import type { BenchContext } from '../lib/context.js';
import { percentile } from '../lib/stats.js';
import { benchVisitorDays, seedDay } from './filtered.js';
import type { LocalStack } from '../../local/stack.js';
import { createOrg } from '../../lambdas/core/store/orgs.js';

export interface FilteredViewResult {
  visitorsPerDay: number;
  archivedDays: number;
  openDays: number;
  requests: number;
  /** Time to the last panel's answer. */
  p50Ms: number;
  spreadMs: [number, number];
  /** The slowest request of the median view. */
  slowest: string;
}

const DAY = 86_400_000;
export const filteredViewGoalMs = 1000;

/** On the bench's local stack (one per process, shared with sections 4 and 5), in an org of its own. */
export async function measureFilteredView(ctx: BenchContext, stack: LocalStack): Promise<FilteredViewResult> {
  const visitorsPerDay = ctx.smoke ? 50 : 2000;
  const { orgId, readKey } = await createOrg(
    { doc: stack.doc, orgsTable: stack.resources.orgsTable },
    { name: 'Bench filtered view' },
  );
  const headers = { authorization: `Bearer ${readKey}` };
  const site = (await (await fetch(`${stack.apiUrl}/site`, { headers })).json()) as { timezone?: string };
  if ((site.timezone ?? utc) !== utc)
    throw new Error(`The bench's days are UTC days; the demo org's zone is ${site.timezone}`);
  const now = Date.now();
  const today = new Date(now).toISOString().slice(0, 10);
  const closed = lastClosedDay(now, utc);
  const blobs = fileBlobStore(stack.archiveDir);
  let archivedDays = 0;
  let openDays = 0;
  for (let day = addDays(today, -59); day <= today; day = addDays(day, 1)) {
    if (day <= closed) {
      const visitorDays = benchVisitorDays(orgId, Date.parse(day), visitorsPerDay);
      await writeDay(blobs, orgId, day, visitorDays.flatMap(rowsOfVisitorDay));
      archivedDays++;
    } else {
      // Today so far: the views before now.
      await seedDay(ctx, stack.env[envNames.visitsTable]!, orgId, Date.parse(day), visitorsPerDay, now);
      openDays++;
    }
  }
  await writeProgress(blobs, orgId, closed);
  ctx.log(`  10. wrote ${archivedDays} archived and ${openDays} open days of ${visitorsPerDay} visitors`);

  // "Last 30 days" includes today (dashboard/src/lib/range.ts); the period before it is as long.
  const from = startOfLocalDay(addDays(today, -29), utc);
  const to = startOfLocalDay(addDays(today, 1), utc);
  const iso = (ms: number) => new Date(ms).toISOString();
  const filter = 'source:Google';
  const range = { dateFrom: iso(from), dateTo: iso(to), filter };
  const urls = [
    `/stats?${new URLSearchParams({ aggregation: 'day', ...range })}`,
    `/stats?${new URLSearchParams({ aggregation: 'day', dateFrom: iso(from - 30 * DAY), dateTo: iso(Math.min(now - 30 * DAY, from)), filter })}`,
    ...['page', 'source', 'country', 'browser', 'event'].map(
      (property) => `/breakdown?${new URLSearchParams({ property, ...range, limit: String(tableRowLimit) })}`,
    ),
  ];
  const view = async () => {
    const started = performance.now();
    const times = await Promise.all(
      urls.map(async (url) => {
        const response = await fetch(`${stack.apiUrl}${url}`, { headers });
        const body = await response.text();
        if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${body}`);
        return { url, ms: performance.now() - started };
      }),
    );
    return { ms: performance.now() - started, slowest: times.sort((a, b) => b.ms - a.ms)[0]!.url };
  };
  await view(); // warm-up: DuckDB loads, the files enter the page cache
  const runs: { ms: number; slowest: string }[] = [];
  for (let i = 0; i < (ctx.smoke ? 2 : 5); i++) runs.push(await view());
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const result: FilteredViewResult = {
    visitorsPerDay,
    archivedDays,
    openDays,
    requests: urls.length,
    p50Ms: percentile(
      runs.map((run) => run.ms),
      50,
    ),
    spreadMs: [sorted[0]!.ms, sorted.at(-1)!.ms],
    slowest: sorted[Math.floor((sorted.length - 1) / 2)]!.slowest.replace(
      /&(dateFrom|dateTo|limit)=[^&]*/g,
      '',
    ),
  };
  ctx.log(
    `  10. the filtered view (${urls.length} requests at once): last panel p50 ${result.p50Ms.toFixed(0)} ms (${sorted.map((r) => r.ms.toFixed(0)).join(', ')})`,
  );
  return result;
}
