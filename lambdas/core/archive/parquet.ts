/**
 * Archive rows to and from Parquet. hyparquet-writer is pure JavaScript (MIT, one dependency,
 * no native binary), so the archiver bundles into an arm64 Lambda as it is; DuckDB and Athena
 * read what it writes. Snappy-compressed, one row group per day file.
 */
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { type ArchiveRow, archiveColumns, byTime } from './row.js';

export function rowsToParquet(rows: readonly ArchiveRow[]): Uint8Array {
  const sorted = [...rows].sort(byTime);
  const buffer = parquetWriteBuffer({
    columnData: archiveColumns.map((name) =>
      name === 'time'
        ? { name, data: sorted.map((row) => BigInt(row.time)), type: 'INT64' as const }
        : { name, data: sorted.map((row) => row[name] ?? null), type: 'STRING' as const },
    ),
  });
  return new Uint8Array(buffer);
}

export async function rowsFromParquet(bytes: Uint8Array): Promise<ArchiveRow[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  // A file written before a column was added (issue 22's `props`) is read without it.
  const metadata = parquetMetadata(file);
  const present = new Set(metadata.schema.map((element) => element.name));
  const columns = archiveColumns.filter((column) => present.has(column));
  const objects = (await parquetReadObjects({ file, metadata, columns })) as Record<string, unknown>[];
  return objects.map((object) => {
    const row: Record<string, unknown> = {};
    for (const column of archiveColumns) {
      const value = object[column];
      if (value === null || value === undefined) continue;
      row[column] = column === 'time' ? Number(value) : value;
    }
    return row as unknown as ArchiveRow;
  });
}
