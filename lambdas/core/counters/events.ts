/**
 * Custom events (POST /events) per hour and day: how often each happened, the visitor-days that
 * did it (for conversion rates), and the visits it happened in with their page views, bounces
 * and durations (GET /stats?filter=event:<name>). An event belongs to the last visit that began
 * at or before it.
 */
import { isEvent, visitOf } from '../domain/visitor-day.js';
import type { CounterDefinition, CounterRow } from './definition.js';
import { tally, tallyOnce, tallyVisit, visitMetrics } from './definition.js';

/**
 * Visitors are the visitor-days that did the event (in the bucket of the event); visits are the
 * visits it happened in, with their page views, bounces and durations (in the bucket of the visit).
 */
export const eventMetrics = { ...visitMetrics, events: 'e' } as const;

export const eventCounter: CounterDefinition = {
  dimension: 'event',
  resolutions: ['hour', 'day'],
  shards: { minute: 1, hour: 1, day: 1 },
  rows(day, visits, _resolution, bucketOf) {
    const rows = new Map<string, CounterRow>();
    const m = eventMetrics;
    const once = tallyOnce(rows);
    const counted = new Set<string>();
    for (const view of day.views) {
      if (!isEvent(view) || view.name === undefined) continue;
      tally(rows, bucketOf(view.time), view.name, m.events);
      // Past the cap an event counts as an event only.
      if (view.kind !== 'event') continue;
      once(bucketOf(view.time), view.name, m.visitors);
      // Each visit once per event name, however often the event happened in it.
      const visit = visitOf(visits, view.time);
      if (!visit || counted.has(`${visit.start}\u0000${view.name}`)) continue;
      counted.add(`${visit.start}\u0000${view.name}`);
      const bucket = bucketOf(visit.start);
      tallyVisit(rows, bucket, view.name, visit);
      tally(rows, bucket, view.name, m.pageviews, visit.pageviews);
    }
    return [...rows.values()];
  },
};
