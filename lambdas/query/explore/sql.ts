/**
 * The one SQL builder for the archive, for DuckDB (`npm start`) and Athena (Trino) alike. It
 * recomputes visits from the rows by the project's rules (core/domain/visitor-day.ts: a visit
 * is a visitor's page views of one day with gaps under 30 minutes; its properties and entry page
 * are its first page view's; an event belongs to the last visit begun at or before it, else to
 * the first) and applies the filters as query/filters.ts does.
 *
 * Kept to what Trino and DuckDB share: window functions with ROWS frames, CASE, GROUPING SETS,
 * count(DISTINCT), strpos, lower, `||`, CAST to DOUBLE and BIGINT. Differences relied on:
 * - no bool_or/count_if (both have them, under different rules for NULL): max(CASE ...) instead;
 * - `/` of two BIGINTs is integer division in Trino, not in DuckDB: durations divide a DOUBLE;
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
 * The relation it reads (`source`) is the engine's: read_parquet over the day files in DuckDB,
 * the Glue table with its partition columns pinned in Athena.
 */
import { visitProperties } from '../../core/domain/visit-properties.js';
import { visitGapMs } from '../../core/domain/visitor-day.js';
import { directChannel, directSource } from '../../core/counters/visit-properties.js';
import type { BreakdownProperty } from '../answers.js';
import { type Filter, isEventLevel, propsKeyOf } from '../filters.js';
import type { RowType } from '../../core/archive/row.js';

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
const propertyValue = (property: string) =>
  property === 'source'
    ? `coalesce(source, ${literal(directSource)})`
    : property === 'channel'
      ? `coalesce(channel, ${literal(directChannel)})`
      : property;

/**
 * Rows in order, with each row's visit number within its visitor-day (`e`), and the visits the
 * filters keep (`k`, one row per visit, with `visitor_day`). Other builders (funnel-sql.ts,
 * props-sql.ts) start from these two.
 */
export function visitsCte(source: string, filters: readonly Filter[], dialect: SqlDialect): string {
  const order = `PARTITION BY day, visitor_id ORDER BY time, kind_order, event_id`;
  const props = visitProperties
    .map((p) => `max(CASE WHEN is_start = 1 THEN ${p} END) AS ${p}`)
    .join(',\n    ');
  const flags = filters
    .map((filter, i) => {
      const over = rowsFilterColumn(filter, dialect);
      return over
        ? `,\n    max(CASE WHEN type = ${literal(over.type)} AND ${condition(filter, over.column)} THEN 1 ELSE 0 END) AS f${i}`
        : '';
    })
    .join('');
  return `r AS (
  SELECT day, time, event_id, visitor_id, type, name, page, props, ${visitProperties.join(', ')},
    CASE WHEN type = 'pageview' THEN 0 ELSE 1 END AS kind_order
  FROM ${source}
),
o AS (
  SELECT r.*,
    max(CASE WHEN type = 'pageview' THEN time END) OVER (${order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_pv,
    min(CASE WHEN type = 'pageview' THEN time END) OVER (${order} ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_pv
  FROM r
),
s AS (
  SELECT o.*,
    CASE WHEN type = 'pageview' AND (prev_pv IS NULL OR time - prev_pv >= ${visitGapMs}) THEN 1 ELSE 0 END AS is_start,
    CASE WHEN type = 'pageview' AND (next_pv IS NULL OR next_pv - time >= ${visitGapMs}) THEN 1 ELSE 0 END AS is_end
  FROM o
),
e AS (
  SELECT s.*,
    -- An event before the day's first page view belongs to the first visit.
    greatest(sum(is_start) OVER (${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 1) AS visit
  FROM s
),
v AS (
  SELECT day, visitor_id, visit,
    max(CASE WHEN is_start = 1 THEN time END) AS start_time,
    max(CASE WHEN is_end = 1 THEN time END) AS end_time,
    sum(CASE WHEN type = 'pageview' THEN 1 ELSE 0 END) AS pageviews,
    sum(CASE WHEN type = 'event' THEN 1 ELSE 0 END) AS events,
    max(CASE WHEN is_start = 1 THEN page END) AS entry_page,
    max(CASE WHEN is_end = 1 THEN page END) AS exit_page,
    ${props}${flags}
  FROM e
  GROUP BY day, visitor_id, visit
),
k AS (
  SELECT v.*, day || '/' || visitor_id AS visitor_day, start_time - start_time % 3600000 AS hour_start,
    CAST(round(CAST(end_time - start_time AS DOUBLE) / 1000) AS BIGINT) AS duration
  FROM v
  WHERE pageviews > 0${filters.map((f, i) => `\n    AND ${visitCondition(f, i)}`).join('')}
)`;
}

/**
 * A filter over several rows of a visit (its pages, its events' names, an event property's
 * values): the rows' type and the column of their value. Undefined for a visit's own value.
 */
export function rowsFilterColumn(
  filter: Filter,
  dialect: SqlDialect,
): { type: RowType; column: string } | undefined {
  if (filter.property === 'page') return { type: 'pageview', column: 'page' };
  if (filter.property === 'event') return { type: 'event', column: 'name' };
  const key = propsKeyOf(filter.property);
  return key === undefined ? undefined : { type: 'event', column: json[dialect].value('props', key) };
}

/** `column` satisfies the filter for one value (NULL never does). */
function condition(filter: Filter, column: string): string {
  if (filter.operator === 'contains')
    return `(${filter.values.map((text) => `strpos(lower(${column}), ${literal(text)}) > 0`).join(' OR ')})`;
  return `${column} IN (${filter.values.map(literal).join(', ')})`;
}

/** The filter over a visit: its own value, or the flag computed over its pages or events. */
function visitCondition(filter: Filter, index: number): string {
  const column =
    filter.property === 'page' || isEventLevel(filter.property) ? undefined : propertyValue(filter.property);
  if (!column) return `f${index} = ${filter.operator === 'is_not' ? 0 : 1}`;
  return valueCondition(filter, column);
}

/** The filter over one value: "is not" is the negation of "is", and a row without the value (NULL) is kept by it. */
export function valueCondition(filter: Filter, column: string): string {
  const holds = `coalesce(${condition(filter, column)}, false)`;
  return filter.operator === 'is_not' ? `NOT ${holds}` : holds;
}

/** Per day, and per UTC hour of the visits' starts: the figures of GET /stats (rows.ts StatsRow). */
export function statsSql(source: string, filters: readonly Filter[], dialect: SqlDialect): string {
  return `WITH ${visitsCte(source, filters, dialect)}
SELECT day, hour_start,
  count(DISTINCT visitor_day) AS visitors, count(*) AS visits, sum(pageviews) AS pageviews,
  -- isBounce (domain/visitor-day.ts): one page view and no custom event.
  sum(CASE WHEN pageviews = 1 AND events = 0 THEN 1 ELSE 0 END) AS bounces, sum(duration) AS duration
FROM k
GROUP BY GROUPING SETS ((day), (day, hour_start))`;
}

/** The rows of a breakdown (rows.ts ValueRow), every value: the caller merges the open days and keeps the top ones. */
export function breakdownSql(
  source: string,
  property: Exclude<BreakdownProperty, 'event'>,
  filters: readonly Filter[],
  dialect: SqlDialect,
): string {
  if (property === 'page')
    return `WITH ${visitsCte(source, filters, dialect)}
SELECT e.page AS value, count(DISTINCT k.visitor_day) AS visitors,
  count(DISTINCT k.visitor_day || '/' || CAST(k.visit AS VARCHAR)) AS visits, count(*) AS pageviews
FROM e JOIN k ON e.day = k.day AND e.visitor_id = k.visitor_id AND e.visit = k.visit
WHERE e.type = 'pageview'
GROUP BY e.page`;
  return `WITH ${visitsCte(source, filters, dialect)}
SELECT ${propertyValue(property)} AS value, count(DISTINCT visitor_day) AS visitors, count(*) AS visits,
  sum(pageviews) AS pageviews
FROM k
WHERE ${propertyValue(property)} IS NOT NULL
GROUP BY ${propertyValue(property)}`;
}

/** Custom events in the kept visits (rows.ts EventRow), and in one row with a NULL value, the visitor-days with a kept visit. */
export function goalsSql(source: string, filters: readonly Filter[], dialect: SqlDialect): string {
  return `WITH ${visitsCte(source, filters, dialect)}
SELECT e.name AS value, count(DISTINCT k.visitor_day) AS visitors, count(*) AS events
FROM e JOIN k ON e.day = k.day AND e.visitor_id = k.visitor_id AND e.visit = k.visit
WHERE e.type = 'event'
GROUP BY e.name
UNION ALL
SELECT NULL AS value, count(DISTINCT visitor_day) AS visitors, 0 AS events FROM k`;
}

/** The archive's rows of a range as GET /export lists them (rows.ts's columns), in time order. */
export function exportSql(source: string): string {
  return `SELECT time, event_id, visitor_id, type, name, page, ${visitProperties.join(', ')}, props
FROM ${source}
ORDER BY time, event_id`;
}
