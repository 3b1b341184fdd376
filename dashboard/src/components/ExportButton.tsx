import { useState } from 'react';
import type { BreakdownProperty } from '../../../lambdas/query/answers.js';
import type { PanelReads } from '../hooks/usePanelRead.js';
import { ApiError, describeApiError, fetchCsv } from '../lib/api.js';
import { tableRowLimit } from '../lib/panels.js';

/**
 * "Export CSV": asks the API for the view's rows as CSV (the key in a header, as for every read)
 * and saves the answer through a temporary object URL, so the key never appears in a link.
 */
export function ExportButton({
  label,
  load,
}: {
  label: string;
  load: () => Promise<{ blob: Blob; fileName: string }>;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  async function exportCsv() {
    setBusy(true);
    setProblem(undefined);
    try {
      const { blob, fileName } = await load();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      // The download has started from the click; the URL is only needed until then.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      const { title, action } = describeApiError(
        error instanceof ApiError ? error : new ApiError('server', String(error)),
      );
      setProblem(`${title} ${action}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="export">
      <button
        type="button"
        className="button-secondary button-small"
        onClick={() => void exportCsv()}
        disabled={busy}
        aria-label={label}
      >
        Export CSV
      </button>
      {problem && (
        <span role="alert" className="small export-problem">
          {problem}
        </span>
      )}
    </span>
  );
}

/**
 * "Export CSV" of a table's rows (GET /breakdown as CSV, the rows the table is read with): on every
 * panel, Pages, Sources, Countries, Devices and Goals alike, the file named in the site's dates.
 */
export function TableExportButton({
  reads,
  property,
  title,
}: {
  reads: PanelReads;
  property: BreakdownProperty;
  title: string;
}) {
  return (
    <ExportButton
      label={`Export CSV of the ${title} table`}
      load={() =>
        fetchCsv(reads.apiUrl, reads.readKey, {
          zone: reads.range.zone,
          route: '/breakdown',
          query: {
            property,
            from: reads.range.from,
            to: reads.range.to,
            limit: tableRowLimit,
            filters: reads.filters,
          },
        })
      }
    />
  );
}
