/**
 * The dashboard's filter: how it reads and writes in the URL and the API's `filter` parameter,
 * which tables can follow it, and what the note under its chip says. Pure functions, unit-tested.
 */
import { type FilterProperty, filterProperties, firstFilteredDay } from '../../../lambdas/query/answers.js';
import { startOfLocalDay } from '../../../lambdas/core/domain/zones.js';
import { retention } from '../../../lambdas/core/settings.js';

export type { FilterProperty };

export interface Filter {
  property: FilterProperty;
  value: string;
}

const isFilterProperty = (value: string): value is FilterProperty =>
  (filterProperties as readonly string[]).includes(value);

/**
 * `source:Google` (from the URL) -> the filter; the value may itself hold colons (a page URL).
 * Undefined when unreadable: a stale link opens unfiltered instead of failing.
 */
export function readFilterText(text: string | null | undefined): Filter | undefined {
  if (!text) return undefined;
  const colon = text.indexOf(':');
  if (colon < 1) return undefined;
  const property = text.slice(0, colon);
  const value = text.slice(colon + 1);
  return isFilterProperty(property) && value !== '' ? { property, value } : undefined;
}

/** The filter as the URL and the API's `filter` parameter write it. */
export function filterText(filter: Filter): string {
  return `${filter.property}:${filter.value}`;
}

/**
 * The filter the tables (pages, panels, goals) are read with: the view's when the range starts
 * within the days whose visits are kept, since a filtered breakdown is counted from them (the
 * API refuses older ranges); else none, and the tables show all visits.
 */
export function tablesFilter(
  filter: Filter | undefined,
  range: { from: number; zone: string },
  now: number,
): Filter | undefined {
  if (!filter) return undefined;
  return range.from >= startOfLocalDay(firstFilteredDay(now, range.zone), range.zone) ? filter : undefined;
}

/** Says what a filter narrows, under its chip. */
export function filterScopeNote(tablesFiltered: boolean, samplePercent?: number): string {
  if (!tablesFiltered)
    return `The filter applies to the top row and the chart; the tables show all visits (they take a filter over the last ${retention.rawVisitDays} days only).`;
  const note = 'The filter applies to every figure, the chart and the tables.';
  // A filtered table of a range with more visitors than one request reads is counted from a sample of them (GET /breakdown's sample_percent).
  return samplePercent === undefined
    ? note
    : `${note} The tables are estimates from ${samplePercent}% of the visitors: the range has too many to count each one.`;
}

/**
 * The share of visitors the filtered tables were counted from, from each table's `sample_percent`:
 * the tables of a range are sampled alike (the same range, the same read budget), so the smallest
 * share says for all. Undefined when every table counted every visitor.
 */
export function sampledShare(samplePercents: readonly (number | undefined)[]): number | undefined {
  const sampled = samplePercents.filter((p) => p !== undefined);
  return sampled.length > 0 ? Math.min(...sampled) : undefined;
}
