/**
 * Filters of GET /stats and GET /breakdown, and what a filter means for one visit. A filter keeps
 * the visits that match; several filters must all hold.
 *
 *   filter=<property>:<value>     is        filter=source:Google
 *   filter=<property>!:<value>    is not    filter=country!:DE
 *   filter=<property>~:<text>     contains  filter=page~:/blog   (case-insensitive)
 *   values separated by `|`       any of    filter=country:DE|AT
 *
 * A visit property, its entry or exit page, is one value of the visit (a source's absence is
 * "Direct / None"); `page` and `event` are every page viewed and every custom event done in the
 * visit: "is" holds when one of them is a value, "is not" when none is; `props.<key>` is every
 * value of that event property among the visit's custom events, the same way. This file is the rule for
 * the visitor-days (open days); query/explore/sql.ts says the same in SQL for the archive, and
 * local/explore.test.ts holds the two to each other.
 */
import { visitValue } from '../core/counters/visit-properties.js';
import { canonicalPageUrl } from '../core/domain/queued-view.js';
import type { VisitProperty } from '../core/domain/visit-properties.js';
import { type View, type Visit, type VisitorDay, visitOf } from '../core/domain/visitor-day.js';
import { BadRequestError } from '../core/http/errors.js';
import { eventPropKeyPattern, eventPropKeyRule, propValue } from '../core/domain/event-props.js';
import { type FilterProperty, type PropsProperty, filterProperties, propsPrefix } from './answers.js';

export const filterOperators = ['is', 'is_not', 'contains'] as const;
export type FilterOperator = (typeof filterOperators)[number];

export interface Filter {
  property: FilterProperty | PropsProperty;
  operator: FilterOperator;
  /** Any of these (for contains: any of these texts, lower-cased). */
  values: string[];
}

/** Filters of one request at most: each is a condition over every visit of the range. */
export const maxFilters = 8;
const maxValuesPerFilter = 20;

const syntax = `filter must be <property>:<value> with a property among ${filterProperties.join(', ')} or props.<key> (an event property); <property>!:<value> is "is not", <property>~:<text> is "contains" (any case), and values separated by | mean any of them; such as source:Google or country!:DE|AT`;

export function parseFilters(texts: readonly string[]): Filter[] {
  if (texts.length > maxFilters)
    throw new BadRequestError(`At most ${maxFilters} filter parameters are accepted; got ${texts.length}.`);
  return texts.map(parseFilter);
}

/** The key of `props.<key>`, when the property is one; a malformed key is refused with the key rule. */
export function propsKeyOf(property: string): string | undefined {
  if (!property.startsWith(propsPrefix)) return undefined;
  const key = property.slice(propsPrefix.length);
  if (!eventPropKeyPattern.test(key))
    throw new BadRequestError(
      `${propsPrefix}<key> names an event property: the key must be ${eventPropKeyRule}; got ${JSON.stringify(key.slice(0, 70))}.`,
    );
  return key;
}

export function parseFilter(text: string): Filter {
  const match = /^([a-z_]+|props\.[^!~:]*)(!|~)?:(.*)$/s.exec(text);
  const property = match?.[1] as Filter['property'] | undefined;
  const values = (match?.[3] ?? '').split('|');
  const known =
    property !== undefined &&
    (propsKeyOf(property) !== undefined || (filterProperties as readonly string[]).includes(property));
  if (!match || !property || !known || values.some((v) => v === ''))
    throw new BadRequestError(`${syntax}; got ${JSON.stringify(text.slice(0, 60))}.`);
  if (values.length > maxValuesPerFilter)
    throw new BadRequestError(`A filter takes at most ${maxValuesPerFilter} values separated by |.`);
  const operator: FilterOperator = match[2] === '!' ? 'is_not' : match[2] === '~' ? 'contains' : 'is';
  if (operator === 'contains') return { property, operator, values: values.map((v) => v.toLowerCase()) };
  if (isPageProperty(property)) {
    if (!values.every((v) => URL.canParse(v) && /^https?:/.test(v)))
      throw new BadRequestError(
        `filter=${property}:<url> takes absolute http(s) URLs of pages, as GET /visits names them (or ${property}~:<text> for pages containing a text).`,
      );
    return { property, operator, values: values.map(canonicalPageUrl) };
  }
  return { property, operator, values };
}

export const isPageProperty = (property: Filter['property']) =>
  property === 'page' || property === 'entry_page' || property === 'exit_page';

/** A filter on the visit's custom events (their names or properties), not on a value of the visit. */
export const isEventLevel = (property: Filter['property']) =>
  property === 'event' || propsKeyOf(property) !== undefined;

/** An event's value of an event-level filter (`event`, `props.<key>`): its name or that property. */
export function eventValues(view: View, property: Filter['property']): string[] {
  const key = propsKeyOf(property);
  const value =
    key === undefined ? (property === 'event' ? view.name : undefined) : propValue(view.props, key);
  return value === undefined ? [] : [value];
}

/** Whether some of `candidates` (a visit's values of the property) satisfy the filter. */
export function matches(filter: Filter, candidates: readonly string[]): boolean {
  if (filter.operator === 'is_not') return !candidates.some((c) => filter.values.includes(c));
  if (filter.operator === 'is') return candidates.some((c) => filter.values.includes(c));
  return candidates.some((c) => filter.values.some((text) => c.toLowerCase().includes(text)));
}

/** A visit's values of a property: one for a visit property or an entry or exit page, all of its pages or events. */
function candidatesOf(
  day: VisitorDay,
  visits: readonly Visit[],
  visit: Visit,
  property: Filter['property'],
): string[] {
  if (property === 'page') return [...visit.pages];
  if (property === 'entry_page') return [visit.entryPage];
  if (property === 'exit_page') return [visit.exitPage];
  if (isEventLevel(property))
    return day.views
      .filter((view) => view.kind === 'event' && visitOf(visits, view.time) === visit)
      .flatMap((view) => eventValues(view, property));
  const value = visitValue(visit, property as VisitProperty);
  return value === undefined ? [] : [value];
}

/** The visits of a visitor-day that every filter keeps. */
export function keptVisits(day: VisitorDay, visits: readonly Visit[], filters: readonly Filter[]): Visit[] {
  return visits.filter((visit) =>
    filters.every((filter) => matches(filter, candidatesOf(day, visits, visit, filter.property))),
  );
}

/** How the filters read in an error or a file name: `source:Google, country!:DE`. */
export function describeFilters(filters: readonly Filter[]): string {
  const sign = { is: ':', is_not: '!:', contains: '~:' } as const;
  return filters.map((f) => `${f.property}${sign[f.operator]}${f.values.join('|')}`).join(', ');
}
