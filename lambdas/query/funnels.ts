/**
 * GET, PUT and DELETE /funnels: the org's saved funnels (saved-lists.ts). A funnel's steps are
 * checked by GET /funnel's own parser and stored in their canonical text (`page:/pricing`), so a
 * saved funnel is always one GET /funnel answers.
 */
import type { SavedDeps } from '../core/store/saved.js';
import { type FunnelsAnswer, type SavedFunnel, funnelStepLimits } from './answers.js';
import { parseFunnelSteps, stepText } from './funnel-steps.js';
import { type SavedListKind, deleteNamed, listNamed, saveNamed } from './saved-lists.js';

const funnels: SavedListKind<'steps'> = {
  kind: 'funnel',
  path: '/funnels',
  field: 'steps',
  example: '["page:/pricing", "page:/signup", "event:Signup"]',
  itemName: 'step',
  minItems: funnelStepLimits.min,
  maxItems: funnelStepLimits.max,
  check: (steps) => parseFunnelSteps(steps).map(stepText),
};

export async function listFunnels(orgId: string, deps: SavedDeps): Promise<FunnelsAnswer> {
  return { funnels: await listNamed(funnels, orgId, deps) };
}

/** PUT /funnels: creates the named funnel or replaces the one of that name. */
export function saveFunnel(orgId: string, body: string, deps: SavedDeps): Promise<SavedFunnel> {
  return saveNamed(funnels, orgId, body, deps);
}

/** DELETE /funnels?name=. */
export function deleteFunnel(
  orgId: string,
  query: Record<string, string>,
  parameterCount: number,
  deps: SavedDeps,
): Promise<void> {
  return deleteNamed(funnels, orgId, query, parameterCount, deps);
}
