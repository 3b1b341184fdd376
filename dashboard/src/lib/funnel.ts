/**
 * The Funnels panel's reads and writes (GET /funnel, GET, PUT and DELETE /funnels) and what it
 * shows of an answer: per step its visitors, conversion from the first step, and the drop-off
 * from the step before, as texts and bar widths. Plain functions, tested in funnel.test.ts.
 */
import type { FunnelAnswer, FunnelsAnswer, SavedFunnel } from '../../../lambdas/query/answers.js';
import { funnelStepLimits } from '../../../lambdas/query/answers.js';
import { type FetchOptions, apiUrlOf, getJson } from './api.js';
import type { Filter } from './filter.js';
import { formatCount, formatPercent } from './format.js';

export { funnelStepLimits };
export type { SavedFunnel };

export interface FunnelQuery {
  steps: readonly string[];
  from: number;
  to: number;
  /** The view's filters (all must hold), if any. */
  filters?: readonly Filter[] | undefined;
}

const isCount = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;

export function parseFunnelAnswer(body: unknown): FunnelAnswer {
  const steps = (body as FunnelAnswer | undefined)?.steps;
  if (
    !Array.isArray(steps) ||
    !steps.every(
      (s) =>
        typeof s?.step === 'string' &&
        isCount(s.visitors) &&
        isCount(s.conversion_rate) &&
        isCount(s.dropoff),
    )
  )
    throw new Error(
      'GET /funnel answered something other than {"steps": [{step, visitors, conversion_rate, dropoff}]}.',
    );
  return { steps };
}

const isSavedFunnel = (f: SavedFunnel | undefined) =>
  typeof f?.name === 'string' && Array.isArray(f.steps) && f.steps.every((s) => typeof s === 'string');

export function parseFunnelsAnswer(body: unknown): FunnelsAnswer {
  const funnels = (body as FunnelsAnswer | undefined)?.funnels;
  if (!Array.isArray(funnels) || !funnels.every(isSavedFunnel))
    throw new Error('GET /funnels answered something other than {"funnels": [{name, steps}]}.');
  return { funnels };
}

export function fetchFunnel(apiUrl: string, readKey: string, query: FunnelQuery, options: FetchOptions = {}) {
  const params = {
    dateFrom: new Date(query.from).toISOString(),
    dateTo: new Date(query.to).toISOString(),
    step: query.steps,
  };
  return getJson(
    apiUrlOf(apiUrl, '/funnel', params, query.filters),
    apiUrl,
    readKey,
    parseFunnelAnswer,
    options,
  );
}

export function fetchSavedFunnels(apiUrl: string, readKey: string, options: FetchOptions = {}) {
  return getJson(apiUrlOf(apiUrl, '/funnels', {}), apiUrl, readKey, parseFunnelsAnswer, options);
}

/** PUT /funnels: saves (or replaces) the named funnel; a 400 says which step is wrong. */
export function saveFunnel(apiUrl: string, readKey: string, funnel: { name: string; steps: string[] }) {
  return getJson(apiUrlOf(apiUrl, '/funnels', {}), apiUrl, readKey, (body) => body as SavedFunnel, {
    method: 'PUT',
    body: JSON.stringify(funnel),
  });
}

export function deleteFunnel(apiUrl: string, readKey: string, name: string) {
  return getJson(apiUrlOf(apiUrl, '/funnels', { name }), apiUrl, readKey, () => undefined, {
    method: 'DELETE',
  });
}

/** A step as the panel names it: "Visited /pricing", "Signup". */
export function stepLabel(step: string): string {
  if (step.startsWith('page:')) return `Visited ${step.slice(5)}`;
  if (step.startsWith('event:')) return step.slice(6);
  return step;
}

export interface FunnelStepView {
  step: string;
  label: string;
  visitors: number;
  visitorsText: string;
  conversionText: string;
  /** Bar width: the step's visitors as a percent of the first step's. */
  bar: number;
  /** From the step before: who did not go on (absent for the first step). */
  dropoffText?: string;
}

export function funnelView(answer: FunnelAnswer): FunnelStepView[] {
  return answer.steps.map((row, i) => {
    const before = answer.steps[i - 1]?.visitors ?? 0;
    const lostShare = before === 0 ? 0 : Math.round((1000 * row.dropoff) / before) / 10;
    return {
      step: row.step,
      label: stepLabel(row.step),
      visitors: row.visitors,
      visitorsText: formatCount(row.visitors),
      conversionText: formatPercent(row.conversion_rate),
      bar: row.conversion_rate,
      ...(i > 0
        ? { dropoffText: `${formatCount(row.dropoff)} dropped off (${formatPercent(lostShare)})` }
        : {}),
    };
  });
}
