/**
 * What a visit is broken down by, taken from its first view: where it came from and on what.
 * A module of its own, with no imports, so the dashboard bundles the list without the schemas.
 */
export const visitProperties = [
  'source',
  'referrer',
  'channel',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'country',
  'browser',
  'os',
  'device',
] as const;
export type VisitProperty = (typeof visitProperties)[number];
export type VisitDims = Partial<Record<VisitProperty, string>>;
