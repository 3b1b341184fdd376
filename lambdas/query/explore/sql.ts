/**
 * The one SQL builder for the archive, for DuckDB (`npm start`) and Athena (Trino) alike. The
 * visits are not recomputed here: the archive's writer computed them once per day by the
 * project's rules (core/archive/visits.ts, on domain/visitor-day.ts), so every query is a scan
 * and a GROUP BY, and a filter on pages or events a semi-join on (day, visitor_id, visit). The
 * filters mean what query/filters.ts says.
 *
 * Two relations of an org's archived days, named by the engine (engine.ts ArchiveRelations),
 * which other questions build on:
 * - `rows`: the rows with their visit number: day, time, event_id, visitor_id, type, name, page,
 *   the properties the view carried, any other column a row has (row.ts), and `visit` (its
 *   visit's number within the visitor-day, from 1; 0 in no visit);
 * - `visitPages`: one row per page viewed in a visit, carrying its visit's figures (visits.ts
 *   VisitPage); `visitsRelation` keeps one row per visit of it: the visits.
 *
 * Kept to what Trino and DuckDB share: CASE, GROUPING SETS, count(DISTINCT), strpos, lower, `||`,
 * LEFT JOIN. Differences relied on:
 * - no bool_or/count_if (both have them, under different rules for NULL): sum(CASE ...) instead;
 * - string literals are written inline with '' doubled (Athena's execution parameters and
 *   DuckDB's prepared statements bind differently); nothing else from a request reaches the text;
 * - JSON (the `props` column, an event's properties as a JSON object of strings) is the one place
 *   the two differ in name and syntax, so every such expression is written by `json` below for
 *   the engine's `SqlDialect`: a value is `json_extract_string(props, '$."my-key"')` in DuckDB and
 *   `json_extract_scalar(props, '$["my-key"]')` in Trino (neither accepts the other's function or
 *   key quoting; a bare `$.my-key` is not valid JSONPath in Trino), and the keys are DuckDB's
 *   `json_keys(props)` or Trino's `map_keys(CAST(json_parse(props) AS MAP(VARCHAR, JSON)))`, both
 *   expanded with `CROSS JOIN UNNEST(...) AS t(prop_key)`. Keys are letters, digits, `_` and `-` only
 *   (domain/event-props.ts), so a path never needs escaping.
 */
import { visitProperties } from '../../core/domain/visit-properties.js';
import { directChannel, directSource } from '../../core/counters/visit-properties.js';
import type { BreakdownProperty } from '../answers.js';
import { type Filter, isEventLevel, propsKeyOf } from '../filters.js';
import type { ArchiveRelations } from './engine.js';

export const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Which engine reads the SQL: DuckDB (`npm start`, the bench) or Trino (Athena). */
export type SqlDialect = 'duckdb' | 'trino';

/** The JSON expressions of each dialect, the one place they differ (see the header). */
export const json: Record<
  SqlDialect,
  { value: (column: string, key: string) => string; keys: (column: string) => string }
> = {
  duckdb: {
    value: (column, key) => `json_extract_string(${column}, ${literal(`$."${key}"`)})`,
    keys: (column) => `json_keys(${column})`,
  },
  trino: {
    value: (column, key) => `json_extract_scalar(${column}, ${literal(`$["${key}"]`)})`,
    keys: (column) => `map_keys(CAST(json_parse(${column}) AS MAP(VARCHAR, JSON)))`,
  },
};

/** A visit property's value as counted (counters/visit-properties.ts visitValue): no source is Direct / None, no channel Direct. */
const propertyValue = (property: string, alias = '') =>
  property === 'source'
    ? `coalesce(${alias}source, ${literal(directSource)})`
    : property === 'channel'
      ? `coalesce(${alias}channel, ${literal(directChannel)})`
      : `${alias}${property}`;

/** The visits: one row per visit (its entry page's row of the visit pages), with its figures and properties. */
export function visitsRelation(relations: ArchiveRelations): string {
  return `(SELECT day, visitor_id, visitor_number, visit, visitor_visits, start_time, duration, pageviews, events, entry_page, exit_page, ${visitProperties.join(', ')}
  FROM ${relations.visitPages} WHERE first_page = 1)`;
}

/**
 * Visitor-days among a group's rows, the group being within one day: those whose visitor-day has
 * one such row count without a DISTINCT (`single` says which: most visitors have one visit a
 * day), the others by a DISTINCT of their number in the day; exact either way, and far cheaper
 * than a DISTINCT of text over every row. A range's visitors are the sum of its days'.
 */
const visitorDays = (single: string) =>
  `sum(CASE WHEN ${single} = 1 THEN 1 ELSE 0 END) + count(DISTINCT CASE WHEN ${single} > 1 THEN visitor_number END)`;

/** Sums per-day rows (`perDay`, grouped by value and day) over the days, per value. */
const overDays = (
  perDay: string,
) => `SELECT value, sum(visitors) AS visitors, sum(visits) AS visits, sum(pageviews) AS pageviews
FROM (${perDay}) d
GROUP BY value`;

/** `column` satisfies the filter for one value (NULL never does). */
function condition(filter: Filter, column: string): string {
  if (filter.operator === 'contains')
    return `(${filter.values.map((text) => `strpos(lower(${column}), ${literal(text)}) > 0`).join(' OR ')})`;
  return `${column} IN (${filter.values.map(literal).join(', ')})`;
}

/** The filter over one value: "is not" is the negation of "is", and a row without the value (NULL) is kept by it. */
export function valueCondition(filter: Filter, column: string): string {
  const holds = `coalesce(${condition(filter, column)}, false)`;
  return filter.operator === 'is_not' ? `NOT ${holds}` : holds;
}

/** An event-level filter's column on an event row (`event`: its name; `props.<key>`: that property's value). */
export function eventFilterColumn(filter: Filter, dialect: SqlDialect): string {
  const key = propsKeyOf(filter.property);
  return key === undefined ? 'name' : json[dialect].value('props', key);
}

/**
 * The visit pages of the visits every filter keeps. A visit property, entry or exit page is a
 * column of each of them; `page` and `event` are sets per visit: the visits with a match, found
 * in the visit pages or the events, joined back by (day, visitor_id, visit).
 */
function keptCtes(relations: ArchiveRelations, filters: readonly Filter[], dialect: SqlDialect): string {
  const joins: string[] = [];
  const conditions: string[] = [];
  filters.forEach((filter, i) => {
    if (filter.property === 'page' || isEventLevel(filter.property)) {
      const matching =
        filter.property === 'page'
          ? `SELECT DISTINCT day, visitor_id, visit FROM ${relations.visitPages} WHERE ${condition(filter, 'page')}`
          : `SELECT DISTINCT day, visitor_id, visit FROM ${relations.rows} WHERE type = 'event' AND visit > 0 AND ${condition(filter, eventFilterColumn(filter, dialect))}`;
      joins.push(
        `\n  LEFT JOIN (${matching}) f${i} ON p.day = f${i}.day AND p.visitor_id = f${i}.visitor_id AND p.visit = f${i}.visit`,
      );
      conditions.push(`f${i}.visit IS ${filter.operator === 'is_not' ? '' : 'NOT '}NULL`);
      return;
    }
    conditions.push(valueCondition(filter, propertyValue(filter.property, 'p.')));
  });
  return `kp AS (
  SELECT p.* FROM ${relations.visitPages} p${joins.join('')}${conditions.length > 0 ? `\n  WHERE ${conditions.join('\n    AND ')}` : ''}
),
k AS (SELECT * FROM kp WHERE first_page = 1)`;
}

/**
 * For builders that start from the rows and the kept visits (funnel-sql.ts): `e`, the rows with
 * their visit number (and `kind_order`: a page view before an event of the same millisecond, as
 * visitor-day.ts orders them), and `k`, the visits the filters keep (one row each: day,
 * visitor_id, visit and the visit's figures), with `kp`, their pages.
 */
export function visitsCte(
  relations: ArchiveRelations,
  filters: readonly Filter[],
  dialect: SqlDialect,
): string {
  return `${keptCtes(relations, filters, dialect)},
e AS (
  SELECT r.*, CASE WHEN type = 'pageview' THEN 0 ELSE 1 END AS kind_order FROM ${relations.rows} r
)`;
}

/** Per day, and per UTC hour of the visits' starts: the figures of GET /stats (rows.ts StatsRow). */
export function statsSql(
  relations: ArchiveRelations,
  filters: readonly Filter[],
  dialect: SqlDialect,
): string {
  return `WITH ${keptCtes(relations, filters, dialect)},
h AS (SELECT k.*, start_time - start_time % 3600000 AS hour_start FROM k)
SELECT day, hour_start,
  ${visitorDays('visitor_visits')} AS visitors, count(*) AS visits, sum(pageviews) AS pageviews,
  -- isBounce (domain/visitor-day.ts): one page view and no custom event.
  sum(CASE WHEN pageviews = 1 AND events = 0 THEN 1 ELSE 0 END) AS bounces, sum(duration) AS duration
FROM h
GROUP BY GROUPING SETS ((day), (day, hour_start))`;
}

/** The rows of a breakdown (rows.ts ValueRow), every value: the caller merges the open days and keeps the top ones. */
export function breakdownSql(
  relations: ArchiveRelations,
  property: Exclude<BreakdownProperty, 'event'>,
  filters: readonly Filter[],
  dialect: SqlDialect,
): string {
  if (property === 'page')
    return `WITH ${keptCtes(relations, filters, dialect)}
${overDays(`SELECT page AS value, ${visitorDays('page_visits')} AS visitors, count(*) AS visits, sum(views) AS pageviews
  FROM kp
  GROUP BY page, day`)}`;
  return `WITH ${keptCtes(relations, filters, dialect)}
${overDays(`SELECT ${propertyValue(property)} AS value, ${visitorDays('visitor_visits')} AS visitors, count(*) AS visits,
    sum(pageviews) AS pageviews
  FROM k
  WHERE ${propertyValue(property)} IS NOT NULL
  GROUP BY ${propertyValue(property)}, day`)}`;
}

/** Custom events in the kept visits (rows.ts EventRow), and in one row with a NULL value, the visitor-days with a kept visit. */
export function goalsSql(
  relations: ArchiveRelations,
  filters: readonly Filter[],
  dialect: SqlDialect,
): string {
  return `WITH ${keptCtes(relations, filters, dialect)}
SELECT e.name AS value, count(DISTINCT e.day || '/' || e.visitor_id) AS visitors, count(*) AS events
FROM ${relations.rows} e JOIN k ON e.day = k.day AND e.visitor_id = k.visitor_id AND e.visit = k.visit
WHERE e.type = 'event'
GROUP BY e.name
UNION ALL
SELECT NULL AS value, sum(visitors) AS visitors, 0 AS events
FROM (SELECT ${visitorDays('visitor_visits')} AS visitors FROM k GROUP BY day) d`;
}

/** The archive's rows of a range as GET /export lists them (rows.ts's columns), in time order. */
export function exportSql(relations: ArchiveRelations): string {
  return `SELECT time, event_id, visitor_id, type, name, page, ${visitProperties.join(', ')}, props
FROM ${relations.rows}
ORDER BY time, event_id`;
}
