/**
 * Display formats. Every time on screen is the wall time of the site's zone (GET /site), the
 * zone its days are counted in: a "day" shown in the browser's own zone would not be the day
 * that was counted. The zone is named once on screen, beside the range picker.
 */
import type { Aggregation } from '../../../lambdas/core/domain/buckets.js';
import { localDayOf, offsetAt } from '../../../lambdas/core/domain/zones.js';

const pad = (n: number) => String(n).padStart(2, '0');
const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What the clocks of `zone` show at `ms`. */
function parts(ms: number, zone: string) {
  // The wall time written as if it were UTC, read back with the UTC getters.
  const d = new Date(ms + offsetAt(ms, zone));
  return {
    year: d.getUTCFullYear(),
    month: monthNames[d.getUTCMonth()] ?? '',
    day: d.getUTCDate(),
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    seconds: pad(d.getUTCSeconds()),
  };
}

/** A bucket as a person reads it in `zone`, at the precision of its aggregation, e.g. "25 Nov 14:05". */
export function formatBucket(bucketStart: number, aggregation: Aggregation, zone: string): string {
  const p = parts(bucketStart, zone);
  switch (aggregation) {
    case 'minute':
    case 'hour':
      return `${p.day} ${p.month} ${p.time}`;
    case 'day':
      return `${p.day} ${p.month} ${p.year}`;
    case 'month':
      return `${p.month} ${p.year}`;
  }
}

/** A moment with date, time and zone, e.g. "25 Nov 2026 15:05 Europe/Berlin". */
export function formatMoment(ms: number, zone: string): string {
  const p = parts(ms, zone);
  return `${p.day} ${p.month} ${p.year} ${p.time} ${zone}`;
}

/** Whole days [from, to) of `zone` as a person reads them: "25 Nov 2026", or "1 Nov 2026 – 7 Nov 2026". */
export function formatDays(from: number, to: number, zone: string): string {
  const day = (ms: number) => {
    const p = parts(ms, zone);
    return `${p.day} ${p.month} ${p.year}`;
  };
  // The last day by its date, not 24 hours back: a day where clocks change lasts 23 or 25 hours.
  const last = to - 1;
  return localDayOf(last, zone) === localDayOf(from, zone) ? day(from) : `${day(from)} – ${day(last)}`;
}

/** A time of day with seconds in `zone`, e.g. "14:05:09": when the numbers were last refreshed. */
export function formatClock(ms: number, zone: string): string {
  const p = parts(ms, zone);
  return `${p.time}:${p.seconds}`;
}

const numberFormat = new Intl.NumberFormat('en-US');
export function formatCount(n: number): string {
  return numberFormat.format(n);
}

/** A visit duration in seconds, as Plausible writes it: "45s", "1m 05s", "1h 02m 05s". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** A whole percentage, e.g. the bounce rate: "42%". */
export function formatPercent(n: number): string {
  return `${numberFormat.format(n)}%`;
}

const ratioFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
/** A ratio such as views per visit: "1.5", "2", "1.25". */
export function formatRatio(n: number): string {
  return ratioFormat.format(n);
}

/** Decodes one punycode label (RFC 3492), e.g. "mnchen-3ya" -> "münchen"; undefined if it is not valid. */
function decodePunycode(input: string): string | undefined {
  const base = 36,
    tMin = 1,
    tMax = 26,
    skew = 38,
    damp = 700;
  const basic = input.lastIndexOf('-');
  const output = basic > 0 ? [...input.slice(0, basic)].map((c) => c.codePointAt(0)!) : [];
  let n = 128,
    i = 0,
    bias = 72;
  const adapt = (delta: number, points: number, first: boolean) => {
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / points);
    let k = 0;
    for (; delta > ((base - tMin) * tMax) >> 1; k += base) delta = Math.floor(delta / (base - tMin));
    return k + Math.floor(((base - tMin + 1) * delta) / (delta + skew));
  };
  for (let pos = basic > 0 ? basic + 1 : 0; pos < input.length; ) {
    const old = i;
    for (let w = 1, k = base; ; k += base) {
      if (pos >= input.length) return undefined;
      const c = input.charCodeAt(pos++);
      const digit = c - 48 < 10 ? c - 22 : c - 65 < 26 ? c - 65 : c - 97 < 26 ? c - 97 : base;
      if (digit >= base) return undefined;
      i += digit * w;
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
      if (digit < t) break;
      w *= base - t;
    }
    bias = adapt(i - old, output.length + 1, old === 0);
    n += Math.floor(i / (output.length + 1));
    i %= output.length + 1;
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

/** A host as people write it: international domain names decoded from punycode ("xn--mnchen-3ya.de" -> "münchen.de"). */
export function displayHost(host: string): string {
  return host
    .split('.')
    .map((label) =>
      label.toLowerCase().startsWith('xn--')
        ? (decodePunycode(label.slice(4).toLowerCase()) ?? label)
        : label,
    )
    .join('.');
}

/**
 * The part of a page URL that tells pages of one site apart, as people write it: the path,
 * the query, and a `#/route` or `#!/route` fragment (the API counts those apart), with
 * percent-encoded letters decoded ("/caf%C3%A9" -> "/café"). Escapes that would change the
 * meaning (%2F, %3F, %23, ...) stay as they are.
 */
export function displayPath(pageUrl: string): string {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return pageUrl;
  }
  const raw = `${url.pathname}${url.search}${url.hash}`;
  try {
    return decodeURI(raw);
  } catch {
    return raw; // a malformed escape: shown as sent
  }
}

/** The one host all these pages are on, as people write it; undefined when there are several. */
export function commonHost(pageUrls: string[]): string | undefined {
  const hosts = new Set(pageUrls.map((page) => (URL.canParse(page) ? new URL(page).host : page)));
  return hosts.size === 1 ? displayHost([...hosts][0]!) : undefined;
}

/**
 * A page as a short label: its path when the page is on `host` (shown once, elsewhere), else
 * host and path, e.g. "example.com/pricing".
 */
export function shortPageLabel(pageUrl: string, host?: string): string {
  if (!URL.canParse(pageUrl)) return pageUrl;
  const pageHost = displayHost(new URL(pageUrl).host);
  return pageHost === host ? displayPath(pageUrl) : `${pageHost}${displayPath(pageUrl)}`;
}

const bucketSeconds: Record<Aggregation, number> = {
  minute: 60,
  hour: 3_600,
  day: 86_400,
  month: 28 * 86_400,
};
const tickSteps = [
  60,
  300,
  900,
  1_800,
  3_600,
  3 * 3_600,
  6 * 3_600,
  12 * 3_600,
  86_400,
  2 * 86_400,
  7 * 86_400,
  14 * 86_400,
  28 * 86_400,
  91 * 86_400,
  365 * 86_400,
];

/** Tick spacings (seconds) for a time axis, never finer than one bucket: a day chart has no hour ticks. */
export function timeTickIncrements(aggregation: Aggregation): number[] {
  return tickSteps.filter((step) => step >= bucketSeconds[aggregation]);
}

/**
 * A chart axis tick in `zone`, 24-hour clock: the month where a month starts, the date where a
 * day starts, otherwise the time, so a tick never needs more than one short line.
 */
export function formatTimeTick(ms: number, zone: string): string {
  const p = parts(ms, zone);
  if (p.time !== '00:00') return p.time;
  return p.day === 1 ? `${p.month} ${p.year}` : `${p.day} ${p.month}`;
}

/** "12 bot views filtered out". */
export function botsNote(bots: number): string {
  return `${formatCount(bots)} bot ${bots === 1 ? 'view' : 'views'} filtered out`;
}
