/**
 * The whole site per bucket: page views, visitors, visits, bounces, visit durations and bot
 * views. One small item per bucket; GET /stats reads it.
 */
import type { CounterDefinition, CounterRow } from './definition.js';
import { tally, tallyOnce, tallyVisit, visitMetrics } from './definition.js';
import { isPageview, latestPageview } from '../domain/visitor-day.js';

/** Visitors here are the visitor-days with at least one page view in the bucket. */
export const siteMetrics = {
  ...visitMetrics,
  /** Views by crawlers and scripts: counted once, never as page views. */
  bots: 'r',
  /**
   * Page views past a visitor-day's cap (settings.visitorModel): page views in no visit, left out
   * of views per visit. Absent from the items of sites without runaway clients, so free there.
   */
  pastCap: 'x',
  /**
   * Minute counters only: visitor-days whose latest page view is in the minute. Summed over the
   * last minutes, the exact number of distinct visitors seen in them (GET /realtime): a
   * visitor's next view moves them, -1 in the old minute, +1 in the new.
   */
  current: 'c',
} as const;

export const siteCounter: CounterDefinition = {
  dimension: 'site',
  resolutions: ['minute', 'hour', 'day'],
  shards: { minute: 1, hour: 1, day: 1 },
  rows(day, visits, resolution, bucketOf) {
    const rows = new Map<string, CounterRow>();
    const m = siteMetrics;
    const once = tallyOnce(rows);
    for (const view of day.views) {
      const bucket = bucketOf(view.time);
      if (view.kind === 'bot') {
        tally(rows, bucket, '', m.bots);
        continue;
      }
      if (!isPageview(view)) continue;
      tally(rows, bucket, '', m.pageviews);
      // A page view beyond the views kept per visitor-day is counted as a page view only.
      if (view.kind === 'pageview') once(bucket, '', m.visitors);
      else tally(rows, bucket, '', m.pastCap);
    }
    const latest = latestPageview(day.views);
    if (resolution === 'minute' && latest) tally(rows, bucketOf(latest.time), '', m.current);
    for (const visit of visits) tallyVisit(rows, bucketOf(visit.start), '', visit);
    return [...rows.values()];
  },
};
