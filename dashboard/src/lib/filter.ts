/**
 * The dashboard's filters: how they read and write in the URL and the API's `filter` parameters
 * (the API's syntax, lambdas/query/filters.ts: `source:Google` is, `country!:DE` is not,
 * `page~:/blog` contains, `|` any of), and how a clicked row or the editor changes them.
 * Pure functions, unit-tested.
 */
import { type FilterProperty, filterProperties } from '../../../lambdas/query/answers.js';
import type { Filter, FilterOperator } from '../../../lambdas/query/filters.js';

export type { Filter, FilterOperator, FilterProperty };

/** How each operator is written between the property and the values. */
const signs: Record<FilterOperator, string> = { is: ':', is_not: '!:', contains: '~:' };

const isFilterProperty = (value: string): value is FilterProperty =>
  (filterProperties as readonly string[]).includes(value);

/**
 * `source:Google`, `country!:DE|AT`, `page~:/blog` (from the URL or a saved segment) -> the
 * filter; a value may itself hold colons (a page URL). Undefined when unreadable: a stale link
 * opens without it instead of failing. The API checks the values (a page "is" takes URLs).
 */
export function readFilterText(text: string | null | undefined): Filter | undefined {
  const match = /^([a-z_]+)(!|~)?:(.*)$/s.exec(text ?? '');
  if (!match || !isFilterProperty(match[1]!)) return undefined;
  const values = match[3]!.split('|');
  if (values.some((v) => v === '')) return undefined;
  const operator: FilterOperator = match[2] === '!' ? 'is_not' : match[2] === '~' ? 'contains' : 'is';
  return { property: match[1], operator, values };
}

/** The filter as the URL and the API's `filter` parameter write it. */
export function filterText(filter: Filter): string {
  return `${filter.property}${signs[filter.operator]}${filter.values.join('|')}`;
}

/** The readable filters of a list of texts, each once (a link edited by hand may repeat one). */
export function readFilters(texts: readonly string[]): Filter[] {
  const filters = texts.map(readFilterText).filter((f) => f !== undefined);
  return filters.filter((f, i) => filters.findIndex((g) => filterText(g) === filterText(f)) === i);
}

/** A table row's value, which clicking filters by (`property is value`). */
export interface RowValue {
  property: FilterProperty;
  value: string;
}

/** `property is value`: the filter of a clicked row. */
export const rowFilter = ({ property, value }: RowValue): Filter => ({
  property,
  operator: 'is',
  values: [value],
});

/**
 * The filters after a row was clicked (`property is value`): it replaces the filters on that
 * property (Plausible does the same), so clicking Google while Bing is picked shows Google.
 */
export function withRowFilter(filters: readonly Filter[], row: RowValue): Filter[] {
  return [...filters.filter((f) => f.property !== row.property), rowFilter(row)];
}

/** The filters after the editor added one; the same filter twice is kept once. */
export function withFilter(filters: readonly Filter[], added: Filter): Filter[] {
  return filters.some((f) => filterText(f) === filterText(added)) ? [...filters] : [...filters, added];
}

/** Says what the filters narrow, under their chips. */
export function filterScopeNote(count: number): string {
  return `${count > 1 ? 'The filters (all of them) apply' : 'The filter applies'} to every figure, the chart and the tables.`;
}
