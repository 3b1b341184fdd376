/**
 * The SQL engines behind one interface: DuckDB embedded in the query handler's process over the
 * archive's folder (`npm start`, the bench), Athena over the S3 archive through the Glue tables
 * (AWS). Each knows how to name the relations of an org's archived days; sql.ts writes the rest.
 */
import type { Day } from '../../core/domain/zones.js';
import type { SqlDialect } from './sql.js';

export type SqlRow = Record<string, string | number | null>;

/** An org's archived days as SQL relations, each with a `day` column (sql.ts says what they hold). */
export interface ArchiveRelations {
  /** The rows with their visit number (core/archive/row.ts, parquet.ts). */
  rows: string;
  /** One row per page viewed in a visit, with the visit's figures (core/archive/visits.ts). */
  visitPages: string;
}

export interface ArchiveEngine {
  /**
   * Runs `sql(relations, dialect)` over the org's archived days `from` to `to`, in the engine's
   * dialect; numbers come back as numbers.
   */
  query(
    orgId: string,
    from: Day,
    to: Day,
    sql: (relations: ArchiveRelations, dialect: SqlDialect) => string,
  ): Promise<SqlRow[]>;
}
