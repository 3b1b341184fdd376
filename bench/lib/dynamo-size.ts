/**
 * DynamoDB's documented item-size rules, to compute the capacity a write really costs.
 *
 * DynamoDB Local reports 2 write units per table per TransactWriteItems call, however many items
 * the transaction holds, so its figure cannot be used for transactions. Real DynamoDB charges a
 * standard write 1 WCU and a transactional write 2 WCU per started 1 KB of item size; an update
 * is charged on the larger of the item before and after. The size of an item is the sum of its
 * attribute names' and values' sizes (developer guide, "Item sizes and formats"):
 *   string: UTF-8 bytes; binary: bytes; number: 1 byte per two significant digits + 1;
 *   boolean / null: 1; list / map: 3 bytes + 1 byte per element + the elements;
 *   sets: the sum of their elements.
 */
export type DocValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Uint8Array
  | DocValue[]
  | Set<unknown>
  | { [name: string]: DocValue };

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

export function numberSize(n: number | bigint): number {
  // Significant digits: no sign, no decimal point, no leading or trailing zeros.
  const digits = String(n)
    .replace(/^-/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

function valueSize(value: DocValue): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce<number>((sum, v) => sum + valueSize(v as DocValue), 0);
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, v) => sum + 1 + valueSize(v), 0);
  return 3 + Object.entries(value).reduce((sum, [name, v]) => sum + 1 + utf8(name) + valueSize(v), 0);
}

/** Size in bytes of an item given as a plain object (the DocumentClient's shape). */
export function itemSize(item: Record<string, DocValue>): number {
  return Object.entries(item).reduce(
    (sum, [name, v]) => (v === undefined ? sum : sum + utf8(name) + valueSize(v)),
    0,
  );
}

/** Write capacity units of one write of an item of `bytes` bytes. */
export function writeUnits(bytes: number, transactional: boolean): number {
  return Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? 2 : 1);
}
