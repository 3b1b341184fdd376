/**
 * The country of a page view, without an IP database: CloudFront's viewer-country header when a
 * request came through CloudFront, else the country of the browser's IANA time zone (as Simple
 * Analytics does), else unknown. The zone table is generated from tzdata (zone-countries.ts).
 */
import { countryCodes, zonesByCountry } from './zone-countries.js';

const validCodes = new Set(countryCodes.split(' '));
const countryOfZone = new Map(
  Object.entries(zonesByCountry).flatMap(([code, zones]) =>
    zones.split(' ').map((zone) => [zone, code] as const),
  ),
);

export function countryOf({
  viewerCountryHeader,
  tz,
}: {
  viewerCountryHeader?: string;
  tz?: string;
}): string | undefined {
  const header = viewerCountryHeader?.trim().toUpperCase();
  if (header && validCodes.has(header)) return header;
  return tz ? countryOfZone.get(tz.trim()) : undefined;
}
