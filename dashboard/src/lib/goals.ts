/**
 * The Goals panel: GET /breakdown?property=event rows, one per custom event name
 * (`window.pv.event(name)`), checked and shaped for the table. Pure functions, unit-tested.
 */
import type { GoalRow, GoalsAnswer } from '../../../lambdas/query/answers.js';
import { checkValueRows } from './answer-shape.js';
import { formatCount, formatPercent } from './format.js';

export type { GoalRow };

const goalCounts = ['visitors', 'events', 'conversion_rate'] as const satisfies readonly (keyof GoalRow)[];

/** Checks the body has the documented shape, so a proxy's HTML page cannot crash the panel. */
export function parseGoalsAnswer(body: unknown): GoalsAnswer {
  return checkValueRows(body, goalCounts, 'goals');
}

export interface GoalPanelRow extends GoalRow {
  /** Visitors as a share of the most visitors of any goal, 0 to 1: the bar's width. */
  bar: number;
  /** As shown: "1,234", "1,500", "12.5%". */
  visitorsText: string;
  eventsText: string;
  conversionText: string;
}

/** The goals in the API's order (visitors, then name), the first `top` and the rest, each with its bar. */
export function goalRows(
  rows: readonly GoalRow[],
  top: number,
): { top: GoalPanelRow[]; rest: GoalPanelRow[] } {
  const most = rows.reduce((max, row) => Math.max(max, row.visitors), 0);
  const shaped = rows.map((row) => ({
    ...row,
    bar: most > 0 ? row.visitors / most : 0,
    visitorsText: formatCount(row.visitors),
    eventsText: formatCount(row.events),
    conversionText: formatPercent(row.conversion_rate),
  }));
  return { top: shaped.slice(0, top), rest: shaped.slice(top) };
}
