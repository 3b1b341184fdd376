/**
 * The owner's named lists over HTTP (GET, PUT and DELETE /segments and /funnels), on the generic
 * saved-items store: one body shape `{"name", "<field>": [...]}`, one way to list, save and
 * delete, each kind saying only its route, its field and how its list is checked (the same parser
 * as the read route that applies it, so a saved list is always one the dashboard can use).
 */
import { BadRequestError, NotFoundError, PayloadTooLargeError } from '../core/http/errors.js';
import {
  type SavedDeps,
  type SavedKind,
  deleteSaved,
  listSaved,
  putSaved,
  savedLimits,
} from '../core/store/saved.js';
import { checkParameters } from './params.js';

export interface SavedListKind<Field extends string> {
  kind: SavedKind;
  /** `/segments`, `/funnels`. */
  path: string;
  /** The body's and the answer's name for the list: `filters`, `steps`. */
  field: Field;
  /** An example list, for the messages: `["source:Google", "country!:DE", ...]`. */
  example: string;
  /** What one item is called: `filter`, `step`. */
  itemName: string;
  /** The list as stored, or the 400 of the read route that applies it. */
  check(list: string[]): string[];
  minItems: number;
  maxItems: number;
}

/** A body far larger than a name and a few short texts is not a saved list. */
export const maxSavedBodyBytes = 16 * 1024;

export type NamedList<Field extends string> = { name: string; updatedAt: string } & Record<Field, string[]>;

const named = <Field extends string>(
  field: Field,
  saved: { name: string; items: string[]; updatedAt: string },
) => ({ name: saved.name, [field]: saved.items, updatedAt: saved.updatedAt }) as NamedList<Field>;

export async function listNamed<Field extends string>(
  kind: SavedListKind<Field>,
  orgId: string,
  deps: SavedDeps,
): Promise<NamedList<Field>[]> {
  return (await listSaved<string>(deps, orgId, kind.kind)).map((saved) => named(kind.field, saved));
}

/** PUT: creates the named list or replaces the one of that name. */
export async function saveNamed<Field extends string>(
  kind: SavedListKind<Field>,
  orgId: string,
  body: string,
  deps: SavedDeps,
): Promise<NamedList<Field>> {
  const { name, items } = parseSavedBody(kind, body);
  return named(kind.field, await putSaved(deps, orgId, kind.kind, { name, items }));
}

/** DELETE ?name=: a 404 names the list when there is none of that name. */
export async function deleteNamed(
  kind: SavedListKind<string>,
  orgId: string,
  query: Record<string, string>,
  parameterCount: number,
  deps: SavedDeps,
): Promise<void> {
  checkParameters(`DELETE ${kind.path}`, ['name'], query, parameterCount);
  if (query.name === undefined)
    throw new BadRequestError(`DELETE ${kind.path} needs name=<the ${kind.kind} to delete>.`);
  if (!(await deleteSaved(deps, orgId, kind.kind, query.name)))
    throw new NotFoundError(
      `No ${kind.kind} is named ${JSON.stringify(query.name.slice(0, 80))}; GET ${kind.path} lists them.`,
    );
}

/** The name and list of a PUT body, the list checked by the kind. */
export function parseSavedBody(kind: SavedListKind<string>, body: string): { name: string; items: string[] } {
  const shape = `{"name": "<1 to ${savedLimits.nameLength} characters>", "${kind.field}": ${kind.example}} with ${kind.minItems} to ${kind.maxItems} ${kind.field}`;
  if (Buffer.byteLength(body) > maxSavedBodyBytes)
    throw new PayloadTooLargeError(`A ${kind.kind}'s body is at most ${maxSavedBodyBytes} bytes: ${shape}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadRequestError(`PUT ${kind.path} takes a JSON body: ${shape}.`);
  }
  const { name, [kind.field]: list, ...rest } = (parsed ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (typeof parsed !== 'object' || Array.isArray(parsed) || unknown.length > 0)
    throw new BadRequestError(
      `PUT ${kind.path} takes ${shape}${unknown.length > 0 ? `; unknown field ${JSON.stringify(unknown[0]!.slice(0, 40))}` : ''}.`,
    );
  if (
    !Array.isArray(list) ||
    list.length < kind.minItems ||
    list.length > kind.maxItems ||
    !list.every((item) => typeof item === 'string')
  )
    throw new BadRequestError(
      `A ${kind.kind}'s ${kind.field} must be a list of ${kind.minItems} to ${kind.maxItems} ${kind.itemName} texts: ${shape}.`,
    );
  return { name: name as string, items: kind.check(list) };
}
