/**
 * Generated visits and the batches Lambda's SQS event source would hand the consumer.
 *
 * The event source gathers messages until a batch is full (batchSize) or the batching window
 * has passed since the first message of the batch, whichever comes first. With several pollers
 * (Lambda starts with five for a standard queue) messages are shared among them and each
 * gathers its own, smaller batches.
 */
import { randomUUID } from 'node:crypto';
import type { QueueRecord } from '../../lambdas/consume/consume.js';
import type { QueuedView } from '../../lambdas/core/domain/queued-view.js';
import { visitorIdFromIdentifier } from '../../lambdas/core/domain/visitor.js';

export interface TimedVisit {
  /** When the message reaches the queue (ms since epoch). */
  arrival: number;
  visit: QueuedView;
}

export const pagesOf = (count: number, host = 'www.example-shop.com') =>
  Array.from({ length: count }, (_, i) =>
    i === 0 ? `https://${host}/` : `https://${host}/products/item-${i}`,
  );

/** What ingest derives for a visitor's views: the same browser and country every time, a source on the first. */
const profiles = [
  { browser: 'Chrome', os: 'Windows', device: 'desktop', country: 'US' },
  { browser: 'Safari', os: 'iOS', device: 'mobile', country: 'GB' },
  { browser: 'Chrome', os: 'Android', device: 'mobile', country: 'IN' },
  { browser: 'Firefox', os: 'Linux', device: 'desktop', country: 'DE' },
  { browser: 'Edge', os: 'Windows', device: 'desktop', country: 'FR' },
  { browser: 'Safari', os: 'macOS', device: 'desktop', country: 'US' },
] as const;
const sources = [
  { source: 'Google', referrer: 'google.com', channel: 'Organic Search' },
  { source: 'Hacker News', referrer: 'news.ycombinator.com/item', channel: 'Organic Social' },
  {
    source: 'Newsletter',
    utm_source: 'Newsletter',
    utm_medium: 'email',
    utm_campaign: 'launch',
    channel: 'Email',
  },
  {},
] as const;

/** A visitor's view with everything ingest derives (every counter on): device and country always, a source on a visitor's first view. */
export function makeVisit(
  orgId: string,
  pageUrl: string,
  time: number,
  visitor: number,
  first = false,
  withDims = true,
): QueuedView {
  return {
    orgId,
    eventId: randomUUID(),
    pageUrl,
    visitedAt: new Date(time).toISOString(),
    visitorId: visitorIdFromIdentifier(orgId, `visitor-${visitor}`),
    ...(withDims ? profiles[visitor % profiles.length]! : {}),
    ...(withDims && first ? sources[visitor % sources.length]! : {}),
  };
}

export const toRecord = (visit: QueuedView): QueueRecord => ({
  messageId: randomUUID(),
  body: JSON.stringify(visit),
});

/** Splits arrivals (sorted by time) into the batches the event source would invoke the consumer with. */
export function eventSourceBatches(
  visits: TimedVisit[],
  options: { batchSize: number; windowMs: number; pollers?: number },
): QueuedView[][] {
  const pollers = options.pollers ?? 1;
  const sorted = [...visits].sort((a, b) => a.arrival - b.arrival);
  const batches: QueuedView[][] = [];
  for (let p = 0; p < pollers; p++) {
    const mine = sorted.filter((_, i) => i % pollers === p);
    let current: QueuedView[] = [];
    let opened = 0;
    for (const v of mine) {
      if (
        current.length > 0 &&
        (current.length >= options.batchSize || v.arrival - opened >= options.windowMs)
      ) {
        batches.push(current);
        current = [];
      }
      if (current.length === 0) opened = v.arrival;
      current.push(v.visit);
    }
    if (current.length > 0) batches.push(current);
  }
  return batches;
}
