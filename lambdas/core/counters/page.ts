/**
 * Pages per bucket. At every resolution, page views (GET /visits). At hour and day resolution
 * also the page's visitors, and the visits that viewed it with their bounces and durations
 * (GET /stats?filter=page:...). At day resolution, what the entry-page and exit-page breakdowns
 * need: the visits that started or ended on the page, with their visitors and page views.
 */
import type { CounterDefinition, CounterRow } from './definition.js';
import { tally } from './definition.js';
import { isPageview, latestPageview } from '../domain/visitor-day.js';

export const pageMetrics = {
  pageviews: 'n',
  visitors: 'u',
  /** Visits that viewed the page, in the bucket of their first view. */
  visits: 's',
  /** Of those, visits of one page view. */
  bounces: 'b',
  /** Their durations in seconds. */
  duration: 'd',
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
    for (const view of day.views) if (isPageview(view)) tally(rows, bucketOf(view.time), view.page, m.pageviews);
    if (resolution === 'minute') {
      const latest = latestPageview(day.views);
      if (latest) tally(rows, bucketOf(latest.time), latest.page, m.current);
      return [...rows.values()];
    }

    const once = new Set<string>();
    const distinct = (bucket: number, page: string, metric: string) => {
      const key = `${bucket}\u0000${page}\u0000${metric}`;
      if (once.has(key)) return;
      once.add(key);
      tally(rows, bucket, page, metric);
    };
    for (const view of day.views) if (view.kind === 'pageview') distinct(bucketOf(view.time), view.page, m.visitors);
    for (const visit of visits) {
      const bucket = bucketOf(visit.start);
      for (const page of visit.pages) {
        tally(rows, bucket, page, m.visits);
        if (visit.pageviews === 1) tally(rows, bucket, page, m.bounces);
        tally(rows, bucket, page, m.duration, visit.durationSeconds);
      }
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
