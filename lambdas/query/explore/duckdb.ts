/**
 * DuckDB over the archive's Parquet files in the data folder, in the process that asks (the
 * local query handler, the bench). `@duckdb/node-api` ships its native binary on npm; it is not
 * part of any Lambda bundle (Athena answers there).
 */
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { archivedDays, dayKey, visitPagesKey } from '../../core/archive/archive.js';
import { lateColumns } from '../../core/archive/row.js';
import type { BlobStore } from '../../core/archive/blobs.js';
import { literal } from './sql.js';
import type { ArchiveEngine, SqlRow } from './engine.js';

let instance: Promise<DuckDBInstance> | undefined;

export function duckDbEngine(blobs: BlobStore & { root: string }): ArchiveEngine {
  return {
    async query(orgId, from, to, sql) {
      // The day files of the range, named one by one: a range with none reads nothing (a glob
      // over no file is an error), and a partition outside it is never opened.
      const days = (await archivedDays(blobs, orgId)).filter((day) => day >= from && day <= to);
      if (days.length === 0) return [];
      const relation = (keyOf: (orgId: string, day: string) => string, byName = false) =>
        `read_parquet([${days.map((day) => literal(join(blobs.root, ...keyOf(orgId, day).split('/')))).join(', ')}], hive_partitioning = true, hive_types = {'org': VARCHAR, 'day': VARCHAR}${byName ? ', union_by_name = true' : ''})`;
      // Loaded on first use, and only here: the Lambda bundle leaves the native module out.
      instance ??= import('@duckdb/node-api').then(({ DuckDBInstance }) =>
        DuckDBInstance.create(':memory:', { threads: '2' }),
      );
      const connection = await (await instance).connect();
      try {
        const reader = await connection.runAndReadAll(
          sql(
            { rows: withLateColumns(relation(dayKey, true)), visitPages: relation(visitPagesKey) },
            'duckdb',
          ),
        );
        return reader.getRowObjects().map((row) => {
          const plain: SqlRow = {};
          for (const [column, value] of Object.entries(row))
            plain[column] =
              value === null
                ? null
                : typeof value === 'bigint' || typeof value === 'number'
                  ? Number(value)
                  : String(value);
          return plain;
        });
      } finally {
        connection.closeSync();
      }
    },
  };
}

/**
 * Files written before a column was added (row.ts lateColumns) read it as NULL: union_by_name
 * when some files have it, and an empty relation that names it for when none has.
 */
function withLateColumns(parquet: string): string {
  const late = lateColumns.map((column) => `CAST(NULL AS VARCHAR) AS ${column}`).join(', ');
  return `(SELECT * FROM ${parquet} UNION ALL BY NAME SELECT ${late} WHERE false)`;
}
