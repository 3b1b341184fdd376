/**
 * GET /breakdown?property=props.<key>: an event property's values, each with the visitors and
 * visits that had an event with it and how many such events (issue 22); property=props lists the
 * keys the same way, which is how the dashboard learns a goal's properties. `filter=event:<name>`
 * looks at one goal's events. Always answered by the engine (archive + open days, explore/): no
 * counter is written for properties, so a page view costs nothing more.
 */
import { type PropsAnswer, propsKeysProperty, propsPrefix } from './answers.js';
import type { BreakdownDeps, TableQuery } from './breakdown.js';
import { parseTableQuery } from './breakdown.js';
import { exploreProps } from './explore/explore.js';
import { propsKeyOf } from './filters.js';
import { daysOf, overlappingDays } from './range.js';
import { topRows } from './rows.js';

export type PropsQuery = TableQuery<string> & {
  /** The property's key; undefined for the keys themselves (property=props). */
  key: string | undefined;
};

/** Whether GET /breakdown's `property` asks for event properties (this route) rather than another table. */
export const isPropsProperty = (property: string | undefined): property is string =>
  property !== undefined && (property === propsKeysProperty || property.startsWith(propsPrefix));

export function parsePropsQuery(
  query: Record<string, string>,
  parameterCount: number,
  now: number,
  zone: string,
  filterTexts: readonly string[] = [],
): PropsQuery {
  const q = parseTableQuery(query, parameterCount, now, zone, isPropsProperty, filterTexts);
  return { ...q, key: propsKeyOf(q.property) };
}

export async function queryProps(
  orgId: string,
  q: PropsQuery,
  deps: BreakdownDeps,
): Promise<PropsAnswer & { itemsRead: number }> {
  const { rows, itemsRead } = await exploreProps(
    orgId,
    daysOf(overlappingDays(q)),
    q.key,
    q.filters,
    deps,
    q,
  );
  return { data: topRows(rows, q.limit), itemsRead };
}
