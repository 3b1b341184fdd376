/**
 * GET /breakdown?property=event: custom events as goals. For each event, how many visitor-days
 * did it, how often, and the share of the range's visitors that did (both sums of daily
 * visitors, so the rate compares like with like). Unfiltered from the event counters; with
 * filters from the engine (explore/), relative to the visitor-days with a kept visit.
 */
import { eventCounter, eventMetrics } from '../core/counters/events.js';
import { type GoalsAnswer, conversionRate } from './answers.js';
import { type BreakdownDeps, type TableQuery, parseTableQuery } from './breakdown.js';
import { exploreGoals } from './explore/explore.js';
import { daysOf, overlappingDays, readRange, readVisitorDaysInRange } from './range.js';
import { RowTally, topRows } from './rows.js';

/** The breakdown property whose rows are the goals. */
export const goalsProperty = 'event';
export type GoalsQuery = TableQuery<typeof goalsProperty>;

const isGoalsProperty = (property: string): property is typeof goalsProperty => property === goalsProperty;

export function parseGoalsQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
  filterTexts: readonly string[] = [],
): GoalsQuery {
  return parseTableQuery(query, parameterCount, now, zone, isGoalsProperty, filterTexts);
}

export async function queryGoals(
  orgId: string,
  q: GoalsQuery,
  deps: BreakdownDeps,
): Promise<GoalsAnswer & { itemsRead: number }> {
  if (q.filters.length > 0) {
    const goals = await exploreGoals(orgId, daysOf(overlappingDays(q)), q.filters, deps, q);
    const data = goals.rows.map((row) => ({
      ...row,
      conversion_rate: conversionRate(row.visitors, goals.visitors),
    }));
    return { data: topRows(data, q.limit), itemsRead: goals.itemsRead };
  }
  const days = overlappingDays(q);
  const [events, site] = await Promise.all([
    readRange(deps, orgId, eventCounter.dimension, days),
    readVisitorDaysInRange(deps, orgId, days),
  ]);
  const tally = new RowTally(['visitors', 'events'] as const);
  tally.addCounters(events.buckets, eventMetrics);
  const data = tally
    .rows()
    .filter((row) => row.events !== 0)
    .map((row) => ({ ...row, conversion_rate: conversionRate(row.visitors, site.visitors) }));
  return { data: topRows(data, q.limit), itemsRead: events.itemsRead + site.itemsRead };
}
