/**
 * Custom events (POST /events) per hour and day: how often each happened, the visitor-days that
 * did it (for conversion rates), and the visits it happened in with their page views, bounces
 * and durations (GET /stats?filter=event:<name>). An event belongs to the last visit that began
 * at or before it.
 */
import { isEvent, visitOf } from '../domain/visitor-day.js';
import type { CounterDefinition, CounterRow } from './definition.js';
import { tally } from './definition.js';

export const eventMetrics = {
  events: 'e',
  /** Visitor-days that did the event (in the bucket of the event). */
  visitors: 'u',
  /** Visits the event happened in, and their page views, bounces and durations (in the bucket of the visit). */
  visits: 's',
  pageviews: 'n',
  bounces: 'b',
  duration: 'd',
} as const;

export const eventCounter: CounterDefinition = {
  dimension: 'event',
  resolutions: ['hour', 'day'],
  shards: { minute: 1, hour: 1, day: 1 },
  rows(day, visits, _resolution, bucketOf) {
    const rows = new Map<string, CounterRow>();
    const m = eventMetrics;
    const once = new Set<string>();
    const first = (key: string) => !once.has(key) && once.add(key) !== undefined;
    for (const view of day.views) {
      if (!isEvent(view) || view.name === undefined) continue;
      tally(rows, bucketOf(view.time), view.name, m.events);
      // Past the cap an event counts as an event only.
      if (view.kind !== 'event') continue;
      if (first(`u\u0000${bucketOf(view.time)}\u0000${view.name}`)) tally(rows, bucketOf(view.time), view.name, m.visitors);
      const visit = visitOf(visits, view.time);
      if (!visit || !first(`v\u0000${visit.start}\u0000${view.name}`)) continue;
      const bucket = bucketOf(visit.start);
      tally(rows, bucket, view.name, m.visits);
      tally(rows, bucket, view.name, m.pageviews, visit.pageviews);
      if (visit.pageviews === 1) tally(rows, bucket, view.name, m.bounces);
      tally(rows, bucket, view.name, m.duration, visit.durationSeconds);
    }
    return [...rows.values()];
  },
};
