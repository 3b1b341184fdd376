import { describe, expect, it } from 'vitest';
import { parseFilter } from '../filters.js';
import { propsSql } from './props-sql.js';
import { statsSql } from './sql.js';

const relations = { rows: 'rows', visitPages: 'visit_pages' };

// DuckDB runs this SQL in local/event-props.int.test.ts; Athena is not available to the tests, so
// the Trino text is held to its documented functions here (sql.ts's header says why they differ).
describe('event properties in each SQL dialect', () => {
  it("reads a value with DuckDB's json_extract_string and Trino's json_extract_scalar, a key with - quoted for each", () => {
    const duckdb = propsSql(relations, 'file-type', [parseFilter('props.plan:pro')], 'duckdb');
    const trino = propsSql(relations, 'file-type', [parseFilter('props.plan:pro')], 'trino');
    expect(duckdb).toContain(`json_extract_string(e.props, '$."file-type"')`);
    expect(duckdb).toContain(`json_extract_string(props, '$."plan"') IN ('pro')`);
    expect(trino).toContain(`json_extract_scalar(e.props, '$["file-type"]')`);
    expect(trino).toContain(`json_extract_scalar(props, '$["plan"]') IN ('pro')`);
    expect(trino).not.toContain('json_extract_string');
  });

  it("lists the keys with DuckDB's json_keys and Trino's map_keys over the parsed object", () => {
    expect(propsSql(relations, undefined, [], 'duckdb')).toContain(
      'CROSS JOIN UNNEST(json_keys(e.props)) AS t(prop_key)',
    );
    expect(propsSql(relations, undefined, [], 'trino')).toContain(
      'CROSS JOIN UNNEST(map_keys(CAST(json_parse(e.props) AS MAP(VARCHAR, JSON)))) AS t(prop_key)',
    );
  });

  it('filters visits by an event property in every question, not only the property breakdown', () => {
    expect(statsSql(relations, [parseFilter('props.plan~:PR')], 'trino')).toContain(
      `FROM rows WHERE type = 'event' AND visit > 0 AND (strpos(lower(json_extract_scalar(props, '$["plan"]')), 'pr') > 0)`,
    );
  });
});
