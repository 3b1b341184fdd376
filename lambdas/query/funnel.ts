/**
 * GET /funnel?dateFrom=&dateTo=&step=...&filter=...(&format=csv): how many visitors went through 2 to 8 steps
 * in order within one visit, over whole days (as the breakdowns count them), from the engine
 * (explore/funnel.ts): the archive's SQL and the open days' visitor-days, exact.
 */
import { type FunnelAnswer, percentOf } from './answers.js';
import { exploreFunnel } from './explore/funnel.js';
import type { ExploreDeps } from './explore/explore.js';
import { type Filter, parseFilters } from './filters.js';
import { type FunnelStep, parseFunnelSteps, stepText } from './funnel-steps.js';
import { type RangeQuery, checkParameters, parseRange } from './params.js';
import { daysOf, overlappingDays } from './range.js';

const funnelParameters = ['dateFrom', 'dateTo', 'step', 'filter', 'format'] as const;

export interface FunnelQuery extends RangeQuery {
  steps: FunnelStep[];
  filters: Filter[];
  now: number;
}

export function parseFunnelQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
  filterTexts: readonly string[],
  queryAll: Record<string, readonly string[]>,
): FunnelQuery {
  // `step` repeats, as `filter` does.
  const steps = parseFunnelSteps(queryAll.step ?? []);
  // Steps are capped on their own, so they do not spend the parameter allowance filters share.
  checkParameters('GET /funnel', funnelParameters, query, parameterCount - steps.length);
  const range = parseRange(query, now, zone, 'day');
  return { ...range, steps, filters: parseFilters(filterTexts), now };
}

export async function queryFunnel(
  orgId: string,
  q: FunnelQuery,
  deps: ExploreDeps,
): Promise<FunnelAnswer & { itemsRead: number }> {
  const { visitors, itemsRead } = await exploreFunnel(
    orgId,
    daysOf(overlappingDays(q)),
    q.steps,
    q.filters,
    deps,
    q,
  );
  const steps = q.steps.map((step, i) => ({
    step: stepText(step),
    visitors: visitors[i]!,
    conversion_rate: percentOf(visitors[i]!, visitors[0]!, 2),
    dropoff: i === 0 ? 0 : visitors[i - 1]! - visitors[i]!,
  }));
  return { steps, itemsRead };
}
