/**
 * A funnel's steps: what `step=` (GET /funnel) and a saved funnel accept, and which row of a visit
 * a step matches. One rule for the open days (here) and the archive (explore/funnel-sql.ts).
 *
 *   page:/pricing                     a page view whose path is /pricing, on any of the org's hosts
 *   page:https://example.com/pricing  a page view of that page exactly
 *   event:Signup                      a custom event of that name
 *
 * Pages are matched as the page breakdown names them: canonical URLs (query and fragment dropped,
 * a `#/` route kept, core/domain/queued-view.ts canonicalPageUrl), shown as their path when the
 * site has one host. So `page:/pricing?plan=pro` is the page /pricing, as the tracker counts it.
 */
import { canonicalPageUrl, maxEventNameLength, reservedEventName } from '../core/domain/queued-view.js';
import { hasControlCharacter } from '../core/domain/text.js';
import { BadRequestError } from '../core/http/errors.js';
import { funnelStepLimits } from './answers.js';

export type FunnelStep =
  | { kind: 'page'; match: 'path'; value: string }
  | { kind: 'page'; match: 'url'; value: string }
  | { kind: 'event'; value: string };

/** What one row of a visit says about itself: a page view's page, or an event's name. */
export interface FunnelRow {
  type: 'pageview' | 'event';
  page: string;
  name?: string;
}

const maxStepLength = 2_000;
const accepted = `page:<path> such as page:/pricing, page:<absolute http(s) URL> such as page:https://example.com/pricing, or event:<name> such as event:Signup`;

/** The steps of one funnel, in order, or a 400 that names the bad step and what is accepted. */
export function parseFunnelSteps(texts: readonly string[]): FunnelStep[] {
  const { min, max } = funnelStepLimits;
  if (texts.length < min || texts.length > max)
    throw new BadRequestError(
      `A funnel has ${min} to ${max} steps, each a step parameter (${accepted}); got ${texts.length}.`,
    );
  return texts.map((text, i) => parseFunnelStep(text, `step ${i + 1} of ${texts.length}`));
}

export function parseFunnelStep(text: string, which: string): FunnelStep {
  const shown = JSON.stringify(text.slice(0, 80));
  const refuse = (rule: string) => new BadRequestError(`${which} (${shown}) ${rule}`);
  if (text.length > maxStepLength) throw refuse(`is longer than ${maxStepLength} characters.`);
  if (hasControlCharacter(text)) throw refuse('contains control characters; steps are printable text.');
  const colon = text.indexOf(':');
  const kind = colon === -1 ? '' : text.slice(0, colon);
  const value = text.slice(colon + 1);
  if (kind === 'event') {
    if (value.length < 1 || value.length > maxEventNameLength || value === reservedEventName)
      throw refuse(
        `names an event of 1 to ${maxEventNameLength} characters other than "${reservedEventName}", such as event:Signup.`,
      );
    return { kind: 'event', value };
  }
  if (kind === 'page') {
    if (value.startsWith('/') && !value.startsWith('//'))
      return { kind: 'page', match: 'path', value: pathOf(canonicalPageUrl(`https://host.invalid${value}`)) };
    if (/^https?:\/\//i.test(value) && URL.canParse(value))
      return { kind: 'page', match: 'url', value: canonicalPageUrl(value) };
    throw refuse(
      'names a page by its path starting with / (page:/pricing) or its absolute http(s) URL (page:https://example.com/pricing).',
    );
  }
  throw refuse(`must be ${accepted}.`);
}

/** How the answer and a saved funnel name a step: its canonical text. */
export const stepText = (step: FunnelStep) => `${step.kind}:${step.value}`;

/** A canonical page URL's path and route: what follows its host. */
export function pathOf(pageUrl: string): string {
  const afterScheme = pageUrl.slice(pageUrl.indexOf('://') + 3);
  const slash = afterScheme.indexOf('/');
  return slash === -1 ? '/' : afterScheme.slice(slash);
}

export function stepMatches(step: FunnelStep, row: FunnelRow): boolean {
  if (step.kind === 'event') return row.type === 'event' && row.name === step.value;
  if (row.type !== 'pageview') return false;
  return step.match === 'url' ? row.page === step.value : pathOf(row.page) === step.value;
}

/**
 * How far one visit's rows (in the project's order) went: the number of steps done in order,
 * other rows in between allowed. Taking each step at its first chance after the one before is
 * never worse than any other choice, so this is the furthest any matching reaches.
 */
export function stepsReached(steps: readonly FunnelStep[], rows: Iterable<FunnelRow>): number {
  let reached = 0;
  for (const row of rows) {
    if (reached === steps.length) break;
    if (stepMatches(steps[reached]!, row)) reached++;
  }
  return reached;
}
