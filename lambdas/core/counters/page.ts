/**
 * Pages per bucket. At every resolution, page views (GET /visits). At hour and day resolution
 * also the page's visitors, and the visits that viewed it with their bounces and durations
 * (GET /stats?filter=page:...). At day resolution, what the entry-page and exit-page breakdowns
 * need: the visits that started or ended on the page, with their visitors and page views.
 */
import type { CounterDefinition, CounterRow } from './definition.js';
import { tally, tallyOnce, tallyVisit, visitMetrics } from './definition.js';
import { isPageview, latestPageview } from '../domain/visitor-day.js';

/** Visits here are the visits that viewed the page, with their bounces and durations. */
export const pageMetrics = {
  ...visitMetrics,
  entryVisitors: 'eu',
  entryVisits: 'es',
  /** All the page views of the visits that started on the page. */
  entryPageviews: 'ep',
  exitVisitors: 'xu',
  exitVisits: 'xs',
  exitPageviews: 'xp',
  /** Minute counters only: visitor-days whose latest page view is this page, in this minute (GET /realtime). */
  current: 'c',
} as const;

export const pageCounter: CounterDefinition = {
  dimension: 'page',
  resolutions: ['minute', 'hour', 'day'],
  shards: { minute: 4, hour: 8, day: 32 },
  rows(day, visits, resolution, bucketOf) {
    const rows = new Map<string, CounterRow>();
    const m = pageMetrics;
    for (const view of day.views)
      if (isPageview(view)) tally(rows, bucketOf(view.time), view.page, m.pageviews);
    if (resolution === 'minute') {
      const latest = latestPageview(day.views);
      if (latest) tally(rows, bucketOf(latest.time), latest.page, m.current);
      return [...rows.values()];
    }

    const distinct = tallyOnce(rows);
    for (const view of day.views)
      if (view.kind === 'pageview') distinct(bucketOf(view.time), view.page, m.visitors);
    for (const visit of visits) {
      const bucket = bucketOf(visit.start);
      for (const page of visit.pages) tallyVisit(rows, bucket, page, visit);
      if (resolution !== 'day') continue;
      tally(rows, bucket, visit.entryPage, m.entryVisits);
      tally(rows, bucket, visit.entryPage, m.entryPageviews, visit.pageviews);
      distinct(bucket, visit.entryPage, m.entryVisitors);
      tally(rows, bucket, visit.exitPage, m.exitVisits);
      tally(rows, bucket, visit.exitPage, m.exitPageviews, visit.pageviews);
      distinct(bucket, visit.exitPage, m.exitVisitors);
    }
    return [...rows.values()];
  },
};
