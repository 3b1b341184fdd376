/**
 * DuckDB over the archive's Parquet files in the data folder, in the process that asks (the
 * local query handler, the bench). `@duckdb/node-api` ships its native binary on npm; it is not
 * part of any Lambda bundle (Athena answers there).
 */
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { archivedDays, dayKey } from '../../core/archive/archive.js';
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
      const files = (await archivedDays(blobs, orgId))
        .filter((day) => day >= from && day <= to)
        .map((day) => join(blobs.root, ...dayKey(orgId, day).split('/')));
      if (files.length === 0) return [];
      // Loaded on first use, and only here: the Lambda bundle leaves the native module out.
      instance ??= import('@duckdb/node-api').then(({ DuckDBInstance }) =>
        DuckDBInstance.create(':memory:', { threads: '2' }),
      );
      const connection = await (await instance).connect();
      try {
        // Files written before a column was added (row.ts lateColumns) read it as NULL: union_by_name
        // when some files have it, and an empty relation that names it for when none has.
        const parquet = `read_parquet([${files.map(literal).join(', ')}], hive_partitioning = true, hive_types = {'org': VARCHAR, 'day': VARCHAR}, union_by_name = true)`;
        const late = lateColumns.map((column) => `CAST(NULL AS VARCHAR) AS ${column}`).join(', ');
        const relation = `(SELECT * FROM ${parquet} UNION ALL BY NAME SELECT ${late} WHERE false)`;
        const reader = await connection.runAndReadAll(sql(relation, 'duckdb'));
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
