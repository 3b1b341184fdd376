/**
 * The panels beside the pages table (sources, countries, devices) and the dashboard filter:
 * which breakdowns each panel offers, how a breakdown becomes rows with bars, how a value is
 * named on screen, and how a filter reads and writes in the URL. Pure functions, unit-tested.
 */
import type { BreakdownRow } from '../../../lambdas/query/answers.js';
import { type FilterProperty, filterProperties, firstFilteredDay } from '../../../lambdas/query/answers.js';
import type { VisitProperty } from '../../../lambdas/core/domain/visit-properties.js';
import { startOfLocalDay } from '../../../lambdas/core/domain/zones.js';
import { retention } from '../../../lambdas/core/settings.js';
import { formatCount } from './format.js';

export type { FilterProperty };

export interface Filter {
  property: FilterProperty;
  value: string;
}

const isFilterProperty = (value: string): value is FilterProperty =>
  (filterProperties as readonly string[]).includes(value);

/** `source:Google` -> the filter; the value may itself hold colons (a page URL). Undefined when unreadable. */
export function parseFilter(text: string | null | undefined): Filter | undefined {
  if (!text) return undefined;
  const colon = text.indexOf(':');
  if (colon < 1) return undefined;
  const property = text.slice(0, colon);
  const value = text.slice(colon + 1);
  return isFilterProperty(property) && value !== '' ? { property, value } : undefined;
}

export function formatFilter(filter: Filter): string {
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

export const propertyLabels: Record<FilterProperty, string> = {
  source: 'Source',
  referrer: 'Referrer',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  utm_term: 'UTM term',
  utm_content: 'UTM content',
  country: 'Country',
  browser: 'Browser',
  os: 'OS',
  device: 'Device',
  page: 'Page',
  entry_page: 'Entry page',
  exit_page: 'Exit page',
  event: 'Goal',
};

/** A flag from an ISO 3166-1 alpha-2 code: two regional indicator symbols. Empty for anything else. */
export function flagEmoji(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return '';
  return String.fromCodePoint(...[...code].map((letter) => 0x1f1e6 + letter.charCodeAt(0) - 65));
}

const countryNamesByLocale = new Map<string, Intl.DisplayNames>();

/** "DE" -> "Germany" in the reader's language; the code itself when the browser has no name for it. */
export function countryName(code: string, locale?: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  const key = locale ?? '';
  let names = countryNamesByLocale.get(key);
  if (!names) {
    names = new Intl.DisplayNames(locale ? [locale] : undefined, { type: 'region', fallback: 'code' });
    countryNamesByLocale.set(key, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** How a value of a property is named on screen. The API's value stays the filter's value. */
export function valueLabel(property: FilterProperty, value: string, locale?: string): string {
  if (property === 'country') return countryName(value, locale);
  // The API says desktop, mobile, tablet: names, not identifiers, on screen.
  if (property === 'device') return value.charAt(0).toUpperCase() + value.slice(1);
  return value;
}

/** "Source is Google", for the chip that shows the filter. */
export function filterLabel(filter: Filter, locale?: string): string {
  return `${propertyLabels[filter.property]} is ${valueLabel(filter.property, filter.value, locale)}`;
}

export interface PanelRow extends BreakdownRow {
  label: string;
  /** A country's flag, else empty. */
  flag: string;
  /** Visitors as a share of the most visitors of any row, 0 to 1: the bar's width. */
  bar: number;
}

/** How many rows a panel shows before "Details". */
export const panelTop = 10;
/** Rows asked for per panel tab: the top rows and the rest behind "Details", in one request. */
export const panelLimit = 100;

/**
 * A breakdown as a panel shows it: the first `top` rows in the API's order (visitors, then value)
 * and the rest, each with its bar relative to the row with the most visitors.
 */
export function panelRows(
  property: VisitProperty,
  rows: readonly BreakdownRow[],
  top = panelTop,
  locale?: string,
): { top: PanelRow[]; rest: PanelRow[] } {
  const most = rows.reduce((max, row) => Math.max(max, row.visitors), 0);
  const shaped = rows.map((row) => ({
    ...row,
    label: valueLabel(property, row.value, locale),
    flag: property === 'country' ? flagEmoji(row.value) : '',
    bar: most > 0 ? row.visitors / most : 0,
  }));
  return { top: shaped.slice(0, top), rest: shaped.slice(top) };
}

export type PanelId = 'sources' | 'countries' | 'devices';

export interface PanelTab {
  value: VisitProperty;
  label: string;
}

export interface Panel {
  id: PanelId;
  title: string;
  tabs: PanelTab[];
  /** What a property's rows are called in the table's first column. */
  column: string;
}

export const panels: Panel[] = [
  {
    id: 'sources',
    title: 'Sources',
    column: 'Source',
    tabs: [
      { value: 'source', label: 'Sources' },
      { value: 'referrer', label: 'Referrers' },
      { value: 'utm_source', label: 'UTM source' },
      { value: 'utm_medium', label: 'UTM medium' },
      { value: 'utm_campaign', label: 'UTM campaign' },
      { value: 'utm_term', label: 'UTM term' },
      { value: 'utm_content', label: 'UTM content' },
    ],
  },
  {
    id: 'countries',
    title: 'Countries',
    column: 'Country',
    tabs: [{ value: 'country', label: 'Countries' }],
  },
  {
    id: 'devices',
    title: 'Devices',
    column: 'Device',
    tabs: [
      { value: 'browser', label: 'Browser' },
      { value: 'os', label: 'OS' },
      { value: 'device', label: 'Device' },
    ],
  },
];

/** Each panel opens on its first tab. */
export function initialPanelTabs(): Record<PanelId, VisitProperty> {
  return Object.fromEntries(panels.map((panel) => [panel.id, panel.tabs[0]!.value])) as Record<
    PanelId,
    VisitProperty
  >;
}

/** "12 bot views filtered out". */
export function botsNote(bots: number): string {
  return `${formatCount(bots)} bot ${bots === 1 ? 'view' : 'views'} filtered out`;
}
