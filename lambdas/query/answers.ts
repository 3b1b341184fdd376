/**
 * The shapes of the read API's answers, and the few rules of its contract both sides apply (the
 * filter properties, conversion rates, the first day a filtered breakdown answers): one definition
 * that the query function returns and the dashboard reads, so neither side restates the other.
 */
import type { Aggregation } from '../core/domain/buckets.js';
import { visitProperties } from '../core/domain/visit-properties.js';
import { type Day, addDays, localDayOf } from '../core/domain/zones.js';
import { retention } from '../core/settings.js';

export type { Aggregation };

/** GET /visits: the original service's contract, byte for byte. */
export interface VisitsAnswer {
  data: Record<string, { timeframe: string; visit_count: number }[]>;
}

/** GET /stats totals over the whole range. */
export interface StatsTotals {
  /** Sum of the daily visitors of the days that overlap the range (a visitor is one id on one day). */
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  /** round(100 x bounces / visits) */
  bounce_rate: number;
  /** round(sum of visit durations in seconds / visits) */
  visit_duration: number;
  /** round(pageviews / visits, 2) */
  views_per_visit: number;
  /** Views by crawlers and scripts in the days that overlap the range: filtered out of every other figure. */
  bots: number;
}

/** One bucket of GET /stats; empty buckets are left out. */
export interface StatsPoint {
  timeframe: string;
  visitors: number;
  visits: number;
  pageviews: number;
  bounces: number;
  /** round(sum of durations of the visits that started in this bucket / those visits) */
  visit_duration: number;
}

export interface StatsAnswer {
  totals: StatsTotals;
  series: StatsPoint[];
}

export const breakdownProperties = ['page', 'entry_page', 'exit_page', ...visitProperties, 'event'] as const;

/** What GET /stats and GET /breakdown filter by: a visit property, a page (the visits that viewed it), a visit's entry or exit page, or a custom event. */
export const filterProperties = [...visitProperties, 'page', 'entry_page', 'exit_page', 'event'] as const;
export type FilterProperty = (typeof filterProperties)[number];

/**
 * An event property, `props.<key>` (issue 22): a breakdown by its values and a filter like the
 * others; bare `props` breaks down by the keys. Answered by the engine (archive + open days).
 */
export const propsPrefix = 'props.';
export type PropsProperty = `props.${string}`;
export const propsKeysProperty = 'props';
export type BreakdownProperty = (typeof breakdownProperties)[number];

/** One row of GET /breakdown, sorted by visitors (descending), then value. */
export interface BreakdownRow {
  value: string;
  visitors: number;
  visits: number;
  pageviews: number;
}

/** A row of GET /breakdown?property=page (unfiltered): with the page's engagement, null when no view reported one. */
export interface PageRow extends BreakdownRow {
  /** round(seconds the page was seen / the page views that reported it) */
  time_on_page: number | null;
  /** round(deepest point reached, percent of the page / the page views that reported it) */
  scroll_depth: number | null;
}

export interface BreakdownAnswer {
  data: BreakdownRow[];
}

/** One row of GET /breakdown?property=event: a custom event (a goal). */
export interface GoalRow {
  value: string;
  /** Visitor-days that did the event. */
  visitors: number;
  events: number;
  /** round(100 x visitors with the event / visitors, 1) */
  conversion_rate: number;
}

export interface GoalsAnswer {
  data: GoalRow[];
}

/** One row of GET /breakdown?property=props.<key> (a value of the property) or property=props (a key). */
export interface PropRow {
  value: string;
  /** Visitor-days with an event that had it. */
  visitors: number;
  /** Visits with an event that had it. */
  visits: number;
  /** Events that had it. */
  events: number;
}

export interface PropsAnswer {
  data: PropRow[];
}

/**
 * The first day GET /breakdown answers with a filter: it counts from the visitor-days, which are
 * kept `retention.rawVisitDays` days. The dashboard asks it too, to know when its tables can follow a filter.
 */
export function firstFilteredDay(now: number, zone: string): Day {
  return addDays(localDayOf(now, zone), 1 - retention.rawVisitDays);
}

/** round(100 x part / whole, `places`), 0 when the whole is 0. */
export function percentOf(part: number, whole: number, places: number): number {
  const scale = 10 ** places;
  return whole === 0 ? 0 : Math.round((100 * scale * part) / whole) / scale;
}

/** `conversion_rate`: round(100 x the visitors who did the event / `visitors`, 1), 0 when there were none. */
export const conversionRate = (eventVisitors: number, visitors: number) =>
  percentOf(eventVisitors, visitors, 1);

/** GET /site: what the dashboard needs to know of the site before it asks for a range. */
export interface SiteAnswer {
  /** The IANA zone its days and months are counted in (UTC unless set with `npm run org -- set --timezone`). */
  timezone: string;
  /** The org's name and allowed domains: which site the dashboard shows. */
  name: string;
  domains: string[];
}

/** GET /realtime: the last few minutes, for "N current visitors". */
export interface RealtimeAnswer {
  /** Distinct visitors with a page view in the window (exact). */
  visitors: number;
  pageviews: number;
  /** Each visitor on the page of their latest view, sorted by visitors, then page. */
  pages: { value: string; visitors: number }[];
}

/** GET /funnel: steps of a funnel, 2 to 8 (`page:/pricing`, `page:https://example.com/pricing`, `event:Signup`). */
export const funnelStepLimits = { min: 2, max: 8 } as const;

/** One step of GET /funnel, in the order asked. */
export interface FunnelStepRow {
  /** The step as the funnel names it: `page:/pricing` or `event:Signup`. */
  step: string;
  /** Visitor-days with a visit that went through every step up to this one, in order. */
  visitors: number;
  /** round(100 x visitors / the first step's visitors, 2), 0 when the first step has none. */
  conversion_rate: number;
  /** Visitors of the step before who did not reach this one (0 for the first step). */
  dropoff: number;
}

export interface FunnelAnswer {
  steps: FunnelStepRow[];
}

/** A saved funnel: a name and its steps, each a GET /funnel `step` (`page:/pricing`, `event:Signup`). */
export interface SavedFunnel {
  name: string;
  steps: string[];
  updatedAt: string;
}

/** GET /funnels: the org's saved funnels, by name. PUT /funnels answers the one saved. */
export interface FunnelsAnswer {
  funnels: SavedFunnel[];
}

/** A saved segment: a named set of filters (GET /stats's and GET /breakdown's `filter` texts) the owner re-applies. */
export interface Segment {
  name: string;
  /** Each a `filter` parameter: `source:Google`, `country!:DE|AT`, `page~:/blog`. */
  filters: string[];
  updatedAt: string;
}

/** GET /segments: the org's segments, by name. PUT /segments answers the one saved. */
export interface SegmentsAnswer {
  segments: Segment[];
}
