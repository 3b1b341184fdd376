/**
 * A goal's properties (issue 22): when the view is filtered to one goal (a goal clicked in the
 * Goals panel), each property key that goal's events carry, with its values. The keys come from
 * GET /breakdown?property=props, the values from property=props.<key>, both with the view's
 * filters, whose event:<goal> makes only that goal's events count. Pure functions, unit-tested.
 */
import type { PropRow, PropsAnswer } from '../../../lambdas/query/answers.js';
import type { Filter } from './filter.js';
import { checkValueRows } from './answer-shape.js';
import { formatCount } from './format.js';

export type { PropRow };

/** Keys shown per goal, and values per key: the most used first (the API sorts by visitors). */
export const goalPropertyLimits = { keys: 10, values: 10 } as const;

const propCounts = ['visitors', 'visits', 'events'] as const satisfies readonly (keyof PropRow)[];

/** Checks the body has the documented shape, so a proxy's HTML page cannot crash the panel. */
export function parsePropsAnswer(body: unknown): PropsAnswer {
  return checkValueRows(body, propCounts, 'event properties');
}

/** The one goal the view is filtered to (`event is <name>`, a clicked goal), whose properties the Goals panel shows. */
export function goalOfFilters(filters: readonly Filter[] | undefined): string | undefined {
  const goals = (filters ?? []).filter((f) => f.property === 'event' && f.operator === 'is');
  return goals.length === 1 && goals[0]!.values.length === 1 ? goals[0]!.values[0] : undefined;
}

export interface GoalPropertyRow extends PropRow {
  /** Visitors as a share of the key's most visitors, 0 to 1: the bar's width. */
  bar: number;
  visitorsText: string;
  eventsText: string;
}

export interface GoalProperty {
  key: string;
  rows: GoalPropertyRow[];
}

/** Reads the goal's keys, then each key's values, in parallel. */
export async function readGoalProperties(
  fetchProps: (property: 'props' | `props.${string}`) => Promise<PropsAnswer>,
): Promise<GoalProperty[]> {
  const keys = (await fetchProps('props')).data.slice(0, goalPropertyLimits.keys).map((row) => row.value);
  const answers = await Promise.all(keys.map((key) => fetchProps(`props.${key}`)));
  return keys.map((key, i) => ({
    key,
    rows: shapeRows(answers[i]!.data.slice(0, goalPropertyLimits.values)),
  }));
}

function shapeRows(rows: readonly PropRow[]): GoalPropertyRow[] {
  const most = rows.reduce((max, row) => Math.max(max, row.visitors), 0);
  return rows.map((row) => ({
    ...row,
    bar: most > 0 ? row.visitors / most : 0,
    visitorsText: formatCount(row.visitors),
    eventsText: formatCount(row.events),
  }));
}
