/**
 * How the dashboard names things on screen: properties, their values (countries by name with a
 * flag, devices capitalised) and a filter ("Source is Google"). The API's values stay the
 * filter's values. Pure functions, unit-tested.
 */
import type { FilterProperty } from '../../../lambdas/query/answers.js';
import type { Filter } from './filter.js';

/** What a property is called on screen. */
export const propertyLabels: Record<FilterProperty, string> = {
  source: 'Source',
  referrer: 'Referrer',
  channel: 'Channel',
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

const operatorLabels = { is: 'is', is_not: 'is not', contains: 'contains' } as const;

/** "Source is Google", "Country is not Germany or Austria", "Page contains /blog": a filter's chip. */
export function filterLabel(filter: Filter, locale?: string): string {
  // A contains filter's values are texts, not values to name (a country code's text is not a country).
  const values = filter.values.map((value) =>
    filter.operator === 'contains' ? value : valueLabel(filter.property, value, locale),
  );
  return `${propertyLabels[filter.property]} ${operatorLabels[filter.operator]} ${values.join(' or ')}`;
}
