/**
 * Event properties (`props` of POST /events): what was bought, which link was clicked. One
 * check for the ingest body and the queued view, so nothing the API would refuse reaches the
 * consumer. Numbers and booleans are turned into strings, as Plausible does; anything else is
 * refused with a message that names the key and the rule.
 */

export const eventPropsLimits = {
  maxEntries: 30,
  maxKeyLength: 64,
  maxValueLength: 2000,
} as const;

export type EventProps = Record<string, string>;

/** A property's key: also what `props.<key>` names in GET /breakdown and its filters. */
export const eventPropKeyPattern = new RegExp(`^[A-Za-z0-9_-]{1,${eventPropsLimits.maxKeyLength}}$`);
/** The rule of a key, in the words of every error about one. */
export const eventPropKeyRule = `1 to ${eventPropsLimits.maxKeyLength} letters, digits, "_" or "-"`;

/** The properties as strings, or the first rule they break, in words a person can act on. */
export function readEventProps(input: unknown): { props: EventProps } | { error: string } {
  const { maxEntries, maxKeyLength, maxValueLength } = eventPropsLimits;
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { error: 'props must be an object of property names to values, such as {"plan": "pro"}' };
  const entries = Object.entries(input);
  if (entries.length > maxEntries)
    return { error: `props has ${entries.length} entries; at most ${maxEntries} are accepted` };
  const props: EventProps = {};
  for (const [key, raw] of entries) {
    if (!eventPropKeyPattern.test(key))
      return { error: `props key "${key.slice(0, maxKeyLength + 8)}" must be ${eventPropKeyRule}` };
    const value = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw;
    if (typeof value !== 'string') return { error: `props.${key} must be a string, a number or a boolean` };
    if (value.length < 1 || value.length > maxValueLength)
      return { error: `props.${key} must be 1 to ${maxValueLength} characters; it has ${value.length}` };
    props[key] = value;
  }
  return { props };
}

/** The property's value, if the event has it (own keys only: `constructor` is a key like any other). */
export const propValue = (props: EventProps | undefined, key: string): string | undefined =>
  props && Object.hasOwn(props, key) ? props[key] : undefined;
