/**
 * GET /funnel over the archive: how many visitor-days had a kept visit that went through the
 * steps in order. Builds on sql.ts's relations (`e`: the rows with their visit number, `k`: the
 * visits the filters keep) and says in SQL what funnel-steps.ts says for the open days.
 *
 * Each step is the earliest row of the visit, after the previous step's row, that matches it
 * (taking the first chance is never worse, so this is the furthest the visit went). One CTE per
 * step, a join on the visit and `min(seq)`: plain SQL that Trino and DuckDB both run, without
 * MATCH_RECOGNIZE (Trino only) or recursion.
 */
import type { Filter } from '../filters.js';
import type { FunnelStep } from '../funnel-steps.js';
import type { ArchiveRelations } from './engine.js';
import { type SqlDialect, literal, visitsCte } from './sql.js';

/** A page URL's path and route, what follows its host (funnel-steps.ts pathOf). */
const afterScheme = `substr(e.page, strpos(e.page, '://') + 3)`;
const pathColumn = `CASE WHEN strpos(${afterScheme}, '/') = 0 THEN '/' ELSE substr(${afterScheme}, strpos(${afterScheme}, '/')) END`;

function stepCondition(step: FunnelStep, row: string): string {
  if (step.kind === 'event') return `${row}.type = 'event' AND ${row}.name = ${literal(step.value)}`;
  return `${row}.type = 'pageview' AND ${row}.${step.match === 'url' ? 'page' : 'path'} = ${literal(step.value)}`;
}

/** Rows `step` (1-based) and `visitors`: the visitor-days whose kept visits reached each step. */
export function funnelSql(
  relations: ArchiveRelations,
  steps: readonly FunnelStep[],
  filters: readonly Filter[],
  dialect: SqlDialect,
): string {
  const sameVisit = (a: string, b: string) =>
    `${a}.day = ${b}.day AND ${a}.visitor_id = ${b}.visitor_id AND ${a}.visit = ${b}.visit`;
  const stepCtes = steps.map((step, i) =>
    i === 0
      ? `s1 AS (
  SELECT f.day, f.visitor_id, f.visit, min(f.seq) AS seq
  FROM f
  WHERE ${stepCondition(step, 'f')}
  GROUP BY f.day, f.visitor_id, f.visit
)`
      : `s${i + 1} AS (
  SELECT f.day, f.visitor_id, f.visit, min(f.seq) AS seq
  FROM f JOIN s${i} p ON ${sameVisit('f', 'p')} AND f.seq > p.seq
  WHERE ${stepCondition(step, 'f')}
  GROUP BY f.day, f.visitor_id, f.visit
)`,
  );
  const counts = steps.map(
    (_, i) => `SELECT ${i + 1} AS step, count(DISTINCT day || '/' || visitor_id) AS visitors FROM s${i + 1}`,
  );
  return `WITH ${visitsCte(relations, filters, dialect)},
f AS (
  SELECT e.day, e.visitor_id, e.visit, e.type, e.name, e.page, ${pathColumn} AS path,
    row_number() OVER (PARTITION BY e.day, e.visitor_id ORDER BY e.time, e.kind_order, e.event_id) AS seq
  FROM e JOIN k ON ${sameVisit('e', 'k')}
),
${stepCtes.join(',\n')}
${counts.join('\nUNION ALL\n')}`;
}
