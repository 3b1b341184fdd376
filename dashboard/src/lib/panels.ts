/**
 * The dashboard's tables as panel entries: the pages table, the Sources, Countries and Devices
 * panels and the Goals panel, each with the breakdowns its tabs offer; and how a breakdown becomes
 * rows with bars. Every panel reads the same way (usePanelRead). Pure data and functions, unit-tested.
 */
import type { BreakdownProperty, BreakdownRow } from '../../../lambdas/query/answers.js';
import type { VisitProperty } from '../../../lambdas/core/domain/visit-properties.js';
import { flagEmoji, valueLabel } from './labels.js';

export interface PanelRow extends BreakdownRow {
  label: string;
  /** A country's flag, else empty. */
  flag: string;
  /** Visitors as a share of the most visitors of any row, 0 to 1: the bar's width. */
  bar: number;
}

/** How many rows a panel shows before "Details". */
export const panelTop = 10;
/**
 * Rows asked for per table (the pages table, each panel tab, the goals): the top rows and the
 * rest behind "Details", in one request. The API's default limit too.
 */
export const tableRowLimit = 100;

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

export type PageProperty = 'page' | 'entry_page' | 'exit_page';

export interface PanelTab<Property extends BreakdownProperty> {
  value: Property;
  label: string;
  /** What the tab's figures mean, said under the heading. */
  note?: string;
}

interface PanelOf<Kind extends string, Id extends string, Property extends BreakdownProperty> {
  /** Which table shows it: the sortable pages table, a panel with bars, or the goals. */
  kind: Kind;
  id: Id;
  title: string;
  tabs: PanelTab<Property>[];
}

export type Panel =
  | PanelOf<'pages', 'pages', PageProperty>
  | PanelOf<'breakdown', 'sources' | 'countries' | 'devices', VisitProperty>
  | PanelOf<'goals', 'goals', 'event'>;
export type PanelId = Panel['id'];
/** The open tab of each panel. */
export type PanelTabs = { [P in Panel as P['id']]: P['tabs'][number]['value'] };

export const panels: Panel[] = [
  {
    kind: 'pages',
    id: 'pages',
    title: 'Pages',
    tabs: [
      {
        value: 'page',
        label: 'Pages',
        note: 'Visitors and visits that viewed each page, and its page views.',
      },
      {
        value: 'entry_page',
        label: 'Entry pages',
        note: 'Visits that started on each page, and all the page views of those visits.',
      },
      {
        value: 'exit_page',
        label: 'Exit pages',
        note: 'Visits that ended on each page, and all the page views of those visits.',
      },
    ],
  },
  {
    kind: 'breakdown',
    id: 'sources',
    title: 'Sources',
    tabs: [
      { value: 'source', label: 'Sources' },
      { value: 'channel', label: 'Channels' },
      { value: 'referrer', label: 'Referrers' },
      { value: 'utm_source', label: 'UTM source' },
      { value: 'utm_medium', label: 'UTM medium' },
      { value: 'utm_campaign', label: 'UTM campaign' },
      { value: 'utm_term', label: 'UTM term' },
      { value: 'utm_content', label: 'UTM content' },
    ],
  },
  {
    kind: 'breakdown',
    id: 'countries',
    title: 'Countries',
    tabs: [{ value: 'country', label: 'Countries' }],
  },
  {
    kind: 'breakdown',
    id: 'devices',
    title: 'Devices',
    tabs: [
      { value: 'browser', label: 'Browser' },
      { value: 'os', label: 'OS' },
      { value: 'device', label: 'Device' },
    ],
  },
  { kind: 'goals', id: 'goals', title: 'Goals', tabs: [{ value: 'event', label: 'Goals' }] },
];

/** Each panel opens on its first tab. */
export function initialPanelTabs(): PanelTabs {
  return Object.fromEntries(panels.map((panel) => [panel.id, panel.tabs[0]!.value])) as PanelTabs;
}
