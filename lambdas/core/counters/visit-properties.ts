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
export const directSource = 'Direct / None';

/** A visit with no channel came straight to the site: ingest leaves the most common value out. */
export const directChannel = 'Direct';

/** A visit property's value in a visit, as counted: undefined when unknown, except a source or channel. */
export function visitValue(visit: Visit, property: VisitProperty): string | undefined {
  return (
    visit.dims[property] ??
    (property === 'source' ? directSource : property === 'channel' ? directChannel : undefined)
  );
}

/**
 * Every property's values share the visit items of a bucket (store/counters.ts, hostDimensions):
 * one item an hour, two a day (a day gathers more values). A batch that touches a visit rewrites
 * these few items instead of one or more per property; `npm run bench` measured 7.09 -> 5.60 WCU
 * per view with five pollers, 22.57 -> 12.70 for a quiet site (DECISIONS.md, issue 25). The
 * channel lives in the site's items instead, one a bucket.
 */
const sharedShards = { minute: 1, hour: 1, day: 2 } as const;
const siteItemShards = { minute: 1, hour: 1, day: 1 } as const;

function visitPropertyCounter(property: VisitProperty): CounterDefinition {
  return {
    dimension: property,
    resolutions: ['hour', 'day'],
    shards: property === 'channel' ? siteItemShards : sharedShards,
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
