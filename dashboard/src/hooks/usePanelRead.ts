import type { BreakdownProperty } from '../../../lambdas/query/answers.js';
import type { ApiError, BreakdownQuery } from '../lib/api.js';
import type { Filter, RowValue } from '../lib/filter.js';
import { type PanelId, tableRowLimit } from '../lib/panels.js';
import { type ReadState, useRead } from './useRead.js';

/** What every panel of the view reads with, and what it calls back: the same for the pages table and every panel. */
export interface PanelReads {
  apiUrl: string;
  readKey: string;
  /** The range and the site's zone (CSV files are named in its dates). */
  range: { from: number; to: number; zone: string };
  /** The filters the tables are read with (all must hold), if any. */
  filters: readonly Filter[] | undefined;
  /** Changes whenever the view reloads: the panel asks again then. */
  version: string;
  /** A row was clicked: the view is filtered by `property is value` (filter.ts `withRowFilter`). */
  onFilter: (row: RowValue) => void;
  onKeyRejected: (error: ApiError) => void;
}

/**
 * One panel tab's rows: asked for only while the tab is open, and again whenever the view reloads
 * (`version`), so a live view's panels refresh with its top row. Earlier rows stay on screen while
 * new ones load, with the property they are of. A failure waits for the view's next refresh, or
 * Try again.
 */
export function usePanelRead<Property extends BreakdownProperty, Answer>(
  _panel: PanelId,
  reads: PanelReads,
  property: Property,
  fetchTable: (
    apiUrl: string,
    readKey: string,
    query: BreakdownQuery<Property>,
    options: { signal: AbortSignal },
  ) => Promise<Answer>,
): ReadState<{ property: Property; answer: Answer }> {
  const { apiUrl, readKey, range, filters, version } = reads;
  const inputs = { apiUrl, readKey, property, from: range.from, to: range.to, filters, version };
  return useRead(
    inputs,
    async (asked, signal) => {
      const { apiUrl, readKey, version: _, ...query } = asked;
      const answer = await fetchTable(apiUrl, readKey, { ...query, limit: tableRowLimit }, { signal });
      return { property: asked.property, answer };
    },
    reads.onKeyRejected,
    { retryFailures: 'reload' },
  );
}
