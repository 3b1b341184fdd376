/**
 * The SQL engines behind one interface: DuckDB embedded in the query handler's process over the
 * archive's folder (`npm start`, the bench), Athena over the S3 archive through the Glue table
 * (AWS). Each knows how to name the relation of an org's archived days; sql.ts writes the rest.
 */
import type { Day } from '../../core/domain/zones.js';
import type { SqlDialect } from './sql.js';

export type SqlRow = Record<string, string | number | null>;

export interface ArchiveEngine {
  /**
   * Runs `sql(relation, dialect)` where the relation is the org's archived rows of the days `from`
   * to `to` (with a `day` column) and the dialect the engine's; numbers come back as numbers.
   */
  query(
    orgId: string,
    from: Day,
    to: Day,
    sql: (relation: string, dialect: SqlDialect) => string,
  ): Promise<SqlRow[]>;
}
