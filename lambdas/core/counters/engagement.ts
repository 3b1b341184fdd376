/**
 * Time on page and scroll depth, per page and day (GET /breakdown?property=page): the page views
 * that reported their engagement, the sum of their seconds and of their deepest points. A row's
 * averages are the sums over the views. A dimension of its own, at day resolution only, so the
 * one update an engagement costs is to a small item (a URL and three numbers per page), not to
 * the page counters' larger ones.
 */
import type { CounterDefinition, CounterRow } from './definition.js';
import { tally } from './definition.js';

export const engagementMetrics = {
  /** Page views with a reported engagement. */
  views: 'v',
  /** Sum of their seconds of the page seen. */
  seconds: 't',
  /** Sum of their deepest points, in percent of the page. */
  scrollDepth: 'sd',
} as const;

export const engagementCounter: CounterDefinition = {
  dimension: 'engagement',
  resolutions: ['day'],
  shards: { minute: 1, hour: 1, day: 32 },
  rows(day, _visits, _resolution, bucketOf) {
    const rows = new Map<string, CounterRow>();
    const m = engagementMetrics;
    for (const view of day.views) {
      if (!view.engagement) continue;
      const bucket = bucketOf(view.time);
      tally(rows, bucket, view.page, m.views);
      tally(rows, bucket, view.page, m.seconds, view.engagement.seconds);
      tally(rows, bucket, view.page, m.scrollDepth, view.engagement.scrollDepth);
    }
    return [...rows.values()];
  },
};
