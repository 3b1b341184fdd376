/**
 * GET, PUT and DELETE /funnels: the org's saved funnels (saved-lists.ts). A funnel's steps are
 * checked by GET /funnel's own parser and stored in their canonical text (`page:/pricing`), so a
 * saved funnel is always one GET /funnel answers.
 */
import { funnelStepLimits } from './answers.js';
import { parseFunnelSteps, stepText } from './funnel-steps.js';
import type { SavedListKind } from './saved-lists.js';

/** `{"funnels": [{name, steps, updatedAt}]}`: the SavedFunnel of answers.ts. */
export const funnels: SavedListKind<'steps'> = {
  kind: 'funnel',
  path: '/funnels',
  field: 'steps',
  example: '["page:/pricing", "page:/signup", "event:Signup"]',
  itemName: 'step',
  minItems: funnelStepLimits.min,
  maxItems: funnelStepLimits.max,
  check: (steps) => parseFunnelSteps(steps).map(stepText),
};
