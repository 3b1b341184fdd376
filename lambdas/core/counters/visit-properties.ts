/**
 * Where visits come from and what they use, per hour and day: one counter per visit property
 * (source, referrer, UTM tags, country, browser, OS, device), each value with the visitor-days
 * that had a visit with it, those visits, their page views, bounces and durations: a breakdown
 * row, and the series of GET /stats?filter=<property>:<value>. A visit's properties are its
 * first view's; all of it is counted in the bucket of the visit's first view.
 */
import { type VisitProperty, visitProperties } from '../domain/visit-properties.js';
import type { Visit } from '../domain/visitor-day.js';
import type { CounterDefinition, CounterRow } from './definition.js';
import { tally, tallyOnce, tallyVisit, visitMetrics } from './definition.js';

/** Visitors are the visitor-days with at least one visit with the value; page views are all the page views of those visits. */
export const visitPropertyMetrics = visitMetrics;

/** A visit with no source came straight to the site (typed, bookmarked, or its referrer hidden). */
const directSource = 'Direct / None';

/** A visit with no channel came straight to the site: ingest leaves the most common value out. */
export const directChannel = 'Direct';

/** A visit property's value in a visit, as counted: undefined when unknown, except a source or channel. */
export function visitValue(visit: Visit, property: VisitProperty): string | undefined {
  return (
    visit.dims[property] ??
    (property === 'source' ? directSource : property === 'channel' ? directChannel : undefined)
  );
}

/** Few values (about 250 countries, a few dozen browsers) fit one item; sources and campaigns are spread over more. */
const fewValues: ReadonlySet<VisitProperty> = new Set(['country', 'browser', 'os', 'device', 'channel']);

function visitPropertyCounter(property: VisitProperty): CounterDefinition {
  const shards = fewValues.has(property) ? 1 : 4;
  return {
    dimension: property,
    resolutions: ['hour', 'day'],
    shards: { minute: shards, hour: shards, day: shards },
    rows(_day, visits, _resolution, bucketOf) {
      const rows = new Map<string, CounterRow>();
      const m = visitPropertyMetrics;
      const once = tallyOnce(rows);
      for (const visit of visits) {
        const value = visitValue(visit, property);
        if (value === undefined) continue;
        const bucket = bucketOf(visit.start);
        tallyVisit(rows, bucket, value, visit);
        tally(rows, bucket, value, m.pageviews, visit.pageviews);
        once(bucket, value, m.visitors);
      }
      return [...rows.values()];
    },
  };
}

export const visitPropertyCounters: readonly CounterDefinition[] = visitProperties.map(visitPropertyCounter);
