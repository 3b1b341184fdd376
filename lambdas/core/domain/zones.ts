/**
 * A site's time zone: an IANA name such as Europe/Berlin, UTC by default. Its days and months
 * are cut at local midnight, which moves with daylight saving (a day may last 23 or 25 hours)
 * and may sit on a half or quarter hour of UTC (Asia/Kolkata is +05:30). Only the runtime's
 * time zone data (Intl) is used, in the Lambdas and in the dashboard alike.
 */
export const utc = 'UTC';

/** A calendar day as written, `2026-11-25`, with no zone: the zone decides when it starts. */
export type Day = string;

const MINUTE = 60_000;
const DAY = 86_400_000;

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const wallFormats = new Map<string, Intl.DateTimeFormat>();

function cached(
  formats: Map<string, Intl.DateTimeFormat>,
  zone: string,
  make: () => Intl.DateTimeFormat,
): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = make();
    formats.set(zone, format);
  }
  return format;
}

/**
 * The zone named, or undefined when the runtime knows no such zone. A name that differs from
 * the runtime's only in case is spelt its way (europe/berlin -> Europe/Berlin); otherwise the
 * name is kept as given: the runtime's own spelling may be an old alias (Asia/Calcutta for
 * Asia/Kolkata).
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() || resolved === utc ? resolved : name;
  } catch {
    return undefined;
  }
}

const known = new Set<string>([utc]);
/** Whether `name` is a zone the runtime knows (answers are remembered: queue messages carry a few). */
export function isKnownTimeZone(name: string): boolean {
  if (known.has(name)) return true;
  if (canonicalTimeZone(name) === undefined) return false;
  known.add(name);
  return true;
}

/** The day it is at `ms` in `zone`. */
export function localDayOf(ms: number, zone: string): Day {
  if (zone === utc) return new Date(ms).toISOString().slice(0, 10);
  // en-CA writes dates as YYYY-MM-DD.
  return cached(
    dayFormats,
    zone,
    () =>
      new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(ms);
}

/** How far `zone`'s wall clock is ahead of UTC at `ms`. */
export function offsetAt(ms: number, zone: string): number {
  if (zone === utc) return 0;
  const format = cached(
    wallFormats,
    zone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
  );
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(ms)) parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * An instant as `zone`'s wall clock with its offset, to the second: `2026-12-01T00:00:00+01:00`
 * (`...Z` in UTC). What a spreadsheet of a Paris site shows, and still the same instant.
 */
export function localIso(ms: number, zone: string): string {
  const offset = offsetAt(ms, zone);
  const wall = new Date(ms + offset).toISOString().slice(0, 19);
  if (offset === 0 && zone === utc) return `${wall}Z`;
  const minutes = Math.abs(offset) / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${wall}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

/**
 * The instant at which the clocks of `zone` show `wall` (a wall time written as if it were UTC
 * milliseconds): shifted by the zone's offset, then once more in case that crossed a
 * daylight-saving change.
 */
export function instantOfWallTime(wall: number, zone: string): number {
  return zone === utc ? wall : wall - offsetAt(wall - offsetAt(wall, zone), zone);
}

/** The instant `day` begins in `zone`: local midnight, or the first instant of the day where clocks skip midnight. */
export function startOfLocalDay(day: Day, zone: string): number {
  const asUtc = Date.parse(`${day}T00:00:00Z`);
  if (zone === utc) return asUtc;
  let start = instantOfWallTime(asUtc, zone);
  // Where a change skips midnight (America/Santiago, 00:00 -> 01:00), that lands on the day
  // before: step to the change. Changes fall on whole quarter hours.
  for (let i = 0; i < 12 && localDayOf(start, zone) < day; i++) start += 15 * MINUTE;
  return start;
}

/** The day `count` days after `day` (calendar arithmetic: no zone is involved). */
export function addDays(day: Day, count: number): Day {
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * DAY).toISOString().slice(0, 10);
}

/** The first day of the month `monthsLater` months after the month of `day`. */
export function firstOfMonth(day: Day, monthsLater = 0): Day {
  const d = new Date(`${day}T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsLater, 1)).toISOString().slice(0, 10);
}

/** The same day of the month `count` months after `day`, or that month's last day when it is shorter (Mar 31 - 1 month = Feb 28). */
export function addMonths(day: Day, count: number): Day {
  const first = firstOfMonth(day, count);
  const last = addDays(firstOfMonth(day, count + 1), -1);
  const wanted = `${first.slice(0, 8)}${day.slice(8)}`;
  return wanted > last ? last : wanted;
}

/** Whole calendar days from `from` to `to`. */
export function daysBetween(from: Day, to: Day): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}
