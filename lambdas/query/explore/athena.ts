/**
 * Athena over the S3 archive: the Glue table (partition projection on org and day, no crawler)
 * in a workgroup that cuts off any query past its bytes-scanned limit and expires its results.
 * StartQueryExecution, then GetQueryExecution until it ends, then GetQueryResults page by page.
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { literal } from './sql.js';
import type { ArchiveEngine, SqlRow } from './engine.js';

export interface AthenaSettings {
  workgroup: string;
  database: string;
  /** The Glue tables of the rows and of the visit pages. */
  tables: { rows: string; visitPages: string };
  /** Between polls of a running query. */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const numericTypes = new Set(['bigint', 'integer', 'smallint', 'tinyint', 'double', 'real', 'decimal']);

export class ArchiveQueryError extends Error {
  override name = 'ArchiveQueryError';
}

export function athenaEngine(athena: AthenaClient, settings: AthenaSettings): ArchiveEngine {
  const sleep = settings.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async query(orgId, from, to, sql) {
      // The partition columns pinned: partition projection reads only these days' prefixes.
      const relation = (table: string) =>
        `(SELECT * FROM "${settings.database}"."${table}" WHERE org = ${literal(orgId)} AND day BETWEEN ${literal(from)} AND ${literal(to)})`;
      const QueryString = sql(
        { rows: relation(settings.tables.rows), visitPages: relation(settings.tables.visitPages) },
        'trino',
      );
      const { QueryExecutionId } = await athena.send(
        new StartQueryExecutionCommand({ QueryString, WorkGroup: settings.workgroup }),
      );
      for (;;) {
        const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
        const state = QueryExecution?.Status?.State;
        if (state === 'SUCCEEDED') break;
        if (state === 'FAILED' || state === 'CANCELLED')
          throw new ArchiveQueryError(
            `Athena query ${QueryExecutionId} ${state}: ${QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`,
          );
        await sleep(settings.pollMs ?? 250);
      }
      const rows: SqlRow[] = [];
      let NextToken: string | undefined;
      let columns: { name: string; numeric: boolean }[] = [];
      let header = true;
      do {
        const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId, NextToken }));
        columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
          name: c.Name ?? '',
          numeric: numericTypes.has((c.Type ?? '').toLowerCase()),
        }));
        for (const row of page.ResultSet?.Rows ?? []) {
          // The first row of the first page repeats the column names.
          if (header) {
            header = false;
            continue;
          }
          const plain: SqlRow = {};
          (row.Data ?? []).forEach((datum, i) => {
            const column = columns[i]!;
            const value = datum.VarCharValue;
            plain[column.name] = value === undefined ? null : column.numeric ? Number(value) : value;
          });
          rows.push(plain);
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return rows;
    },
  };
}
