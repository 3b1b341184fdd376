/**
 * Event properties in SQL (issue 22): GET /breakdown?property=props.<key> (the property's values)
 * and property=props (the keys), over the rows with their visit number (`e`) and the visits the
 * filters keep (`k`) of sql.ts's visitsCte. An event counts when it is in a kept visit and meets
 * every event-level filter itself (`event`, `props.<key>`: filter=event:Purchase looks at that
 * goal's events only), as open-days.ts counts them from the visitor-days.
 */
import { type Filter, isEventLevel } from '../filters.js';
import type { ArchiveRelations } from './engine.js';
import { type SqlDialect, eventFilterColumn, json, valueCondition, visitsCte } from './sql.js';

/** The event-level filters, each a condition on one event row `e` (its `name` and `props`: `k` has neither). */
function eventConditions(filters: readonly Filter[], dialect: SqlDialect): string[] {
  return filters
    .filter((filter) => isEventLevel(filter.property))
    .map((filter) => valueCondition(filter, eventFilterColumn(filter, dialect)));
}

/** The rows of a property breakdown (rows.ts PropRow): one per value of `key`, or per key when `key` is undefined. */
export function propsSql(
  relations: ArchiveRelations,
  key: string | undefined,
  filters: readonly Filter[],
  dialect: SqlDialect,
): string {
  const value = key === undefined ? 't.prop_key' : json[dialect].value('e.props', key);
  const keys =
    key === undefined ? `\n  CROSS JOIN UNNEST(${json[dialect].keys('e.props')}) AS t(prop_key)` : '';
  const where = ["e.type = 'event'", 'e.props IS NOT NULL', ...eventConditions(filters, dialect)];
  return `WITH ${visitsCte(relations, filters, dialect)},
p AS (
  SELECT e.day || '/' || e.visitor_id AS visitor_day, e.visit, ${value} AS value
  FROM e JOIN k ON e.day = k.day AND e.visitor_id = k.visitor_id AND e.visit = k.visit${keys}
  WHERE ${where.join('\n    AND ')}
)
SELECT value, count(DISTINCT visitor_day) AS visitors,
  count(DISTINCT visitor_day || '/' || CAST(visit AS VARCHAR)) AS visits, count(*) AS events
FROM p
WHERE value IS NOT NULL
GROUP BY value`;
}
