/**
 * Checks that an API answer has its documented shape before a panel reads it, so a proxy's HTML
 * page or an older API cannot crash the view. Shared by the answers' own parsers.
 */

export const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Whether `item` is an object whose `names` are all counts. */
export function hasCounts(item: unknown, names: readonly string[]): boolean {
  return (
    typeof item === 'object' &&
    item !== null &&
    names.every((name) => isCount((item as Record<string, unknown>)[name]))
  );
}

/** A `{"data": [...]}` answer whose rows each have a text `value` and the `counts` named; `what` names the rows in the error. */
export function checkValueRows<Answer>(body: unknown, counts: readonly string[], what: string): Answer {
  const data = (body as { data?: unknown } | null)?.data;
  const valid =
    Array.isArray(data) &&
    data.every((row: { value?: unknown }) => hasCounts(row, counts) && typeof row.value === 'string');
  if (!valid) throw new TypeError(`The API answer has no "data" list of ${what}.`);
  return body as Answer;
}
