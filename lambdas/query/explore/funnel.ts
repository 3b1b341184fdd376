/**
 * GET /funnel from the engine: SQL over the archived days (funnel-sql.ts), the open days counted
 * from their visitor-days here, added per step (a visitor-day is in one place or the other).
 */
import type { Day } from '../../core/domain/zones.js';
import { type View, type VisitorDay, visitOf, visitsOf } from '../../core/domain/visitor-day.js';
import { type Filter, keptVisits } from '../filters.js';
import { type FunnelRow, type FunnelStep, stepsReached } from '../funnel-steps.js';
import { type ExploreDeps, both, n } from './explore.js';
import { funnelSql } from './funnel-sql.js';
import type { OpenDayCount } from './open-days.js';

/** The archive's order of a day's rows (sql.ts): time, a page view before an event, event id. */
const kindOrder = (view: View) => (view.kind === 'pageview' ? 0 : 1);
const inRowOrder = (a: View, b: View) =>
  a.time - b.time || kindOrder(a) - kindOrder(b) || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);

/** Per step, the visitor-days of the open days whose kept visits reached it. */
export function openDayFunnel(
  steps: readonly FunnelStep[],
  filters: readonly Filter[],
): OpenDayCount<number[]> {
  const visitors = steps.map(() => 0);
  return {
    add(visitorDay: VisitorDay) {
      const visits = visitsOf(visitorDay.views);
      const kept = new Set(keptVisits(visitorDay, visits, filters));
      if (kept.size === 0) return;
      // The rows the archive would hold (page views and named events), each in its visit.
      const rowsByVisit = new Map<unknown, FunnelRow[]>();
      const rows = visitorDay.views
        .filter((v) => v.kind === 'pageview' || v.kind === 'event')
        .sort(inRowOrder);
      for (const view of rows) {
        const visit = visitOf(visits, view.time);
        if (!visit || !kept.has(visit)) continue;
        const row: FunnelRow = { type: view.kind as FunnelRow['type'], page: view.page, name: view.name };
        const visitRows = rowsByVisit.get(visit);
        if (visitRows) visitRows.push(row);
        else rowsByVisit.set(visit, [row]);
      }
      const reached = Math.max(
        0,
        ...[...rowsByVisit.values()].map((visitRows) => stepsReached(steps, visitRows)),
      );
      for (let i = 0; i < reached; i++) visitors[i]!++;
    },
    result: () => visitors,
  };
}

/** Visitor-days that reached each step, in the steps' order, over the days (archived and open). */
export async function exploreFunnel(
  orgId: string,
  days: readonly Day[],
  steps: readonly FunnelStep[],
  filters: readonly Filter[],
  deps: ExploreDeps,
  at: { now: number; zone: string },
): Promise<{ visitors: number[]; itemsRead: number }> {
  const { sqlRows, open, itemsRead } = await both(
    orgId,
    days,
    deps,
    at,
    (relations, dialect) => funnelSql(relations, steps, filters, dialect),
    openDayFunnel(steps, filters),
  );
  const visitors = [...open];
  for (const row of sqlRows) visitors[n(row.step) - 1]! += n(row.visitors);
  return { visitors, itemsRead };
}
