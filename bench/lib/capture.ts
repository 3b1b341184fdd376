/**
 * A DynamoDBDocumentClient stand-in that forwards every command to the real client and keeps
 * the account the benchmark needs: the items of every committed TransactWriteItems call (to
 * compute their write units from item sizes, since DynamoDB Local under-reports transactions),
 * the capacity DynamoDB Local reported, and the read capacity of queries.
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type DocValue, itemSize, writeUnits } from './dynamo-size.js';

export interface WriteAccount {
  transactions: number;
  /** Puts and updates committed. */
  actions: number;
  puts: number;
  updates: number;
  /** Write units computed from item sizes, as real DynamoDB charges them (2 per started KB in a transaction). */
  computedUnits: number;
  /** Of which for the raw visit records (puts). */
  computedPutUnits: number;
  /** Write units DynamoDB Local reported in ConsumedCapacity. */
  reportedUnits: number;
  /** Total bytes of the items written (after the write), to show how far they are from 1 KB. */
  putBytes: number;
  updateBytes: number;
}

export interface ReadAccount {
  queries: number;
  reportedReadUnits: number;
  /** Strongly consistent item reads (the consumer's visitor-days) and their units computed from item sizes: 1 per started 4 KB. */
  consistentGets: number;
  computedGetUnits: number;
}

export interface CapturingClient {
  doc: DynamoDBDocumentClient;
  writes: WriteAccount;
  reads: ReadAccount;
  reset(): void;
}

const emptyWrites = (): WriteAccount => ({
  transactions: 0,
  actions: 0,
  puts: 0,
  updates: 0,
  computedUnits: 0,
  computedPutUnits: 0,
  reportedUnits: 0,
  putBytes: 0,
  updateBytes: 0,
});

type Item = Record<string, DocValue>;

export function capturingClient(real: DynamoDBDocumentClient): CapturingClient {
  // The items as they stand after each committed update, so an update is charged on its real size.
  const state = new Map<string, Item>();
  const account: CapturingClient = {
    doc: undefined as unknown as DynamoDBDocumentClient,
    writes: emptyWrites(),
    reads: { queries: 0, reportedReadUnits: 0, consistentGets: 0, computedGetUnits: 0 },
    reset() {
      account.writes = emptyWrites();
      account.reads = { queries: 0, reportedReadUnits: 0, consistentGets: 0, computedGetUnits: 0 };
    },
  };
  const send = async (command: unknown, ...rest: unknown[]) => {
    if (command instanceof QueryCommand) {
      command.input.ReturnConsumedCapacity = 'TOTAL';
      const result = await (real.send as (c: unknown, ...r: unknown[]) => Promise<any>)(command, ...rest);
      account.reads.queries++;
      account.reads.reportedReadUnits += result.ConsumedCapacity?.CapacityUnits ?? 0;
      return result;
    }
    const result = await (real.send as (c: unknown, ...r: unknown[]) => Promise<any>)(command, ...rest);
    if (command instanceof BatchGetCommand) {
      // A missing item still costs one unit per key read; a found one, 1 per started 4 KB.
      const keys = Object.values(command.input.RequestItems ?? {}).reduce(
        (n, r) => n + (r.Keys?.length ?? 0),
        0,
      );
      const found = Object.values((result.Responses ?? {}) as Record<string, Item[]>).flat();
      account.reads.consistentGets += keys;
      account.reads.computedGetUnits +=
        keys - found.length + found.reduce((n, item) => n + Math.ceil(itemSize(item) / 4096), 0);
    }
    if (command instanceof TransactWriteCommand) {
      // Only a committed transaction is charged this way (a cancelled one is not counted here).
      const w = account.writes;
      w.transactions++;
      w.reportedUnits += (result.ConsumedCapacity ?? []).reduce(
        (sum: number, c: { CapacityUnits?: number }) => sum + (c.CapacityUnits ?? 0),
        0,
      );
      for (const action of command.input.TransactItems ?? []) {
        if (action.Put) {
          const size = itemSize(action.Put.Item as Item);
          const units = writeUnits(size, true);
          w.puts++;
          w.putBytes += size;
          w.computedUnits += units;
          w.computedPutUnits += units;
          state.set(stateKey(action.Put.TableName!, action.Put.Item as Item), action.Put.Item as Item);
        } else if (action.Update) {
          const key = stateKey(action.Update.TableName!, action.Update.Key as Item);
          const before = state.get(key);
          const after = applyUpdate(before ?? { ...(action.Update.Key as Item) }, action.Update);
          state.set(key, after);
          const size = Math.max(before ? itemSize(before) : 0, itemSize(after));
          w.updates++;
          w.updateBytes += itemSize(after);
          w.computedUnits += writeUnits(size, true);
        } else {
          // Delete or ConditionCheck: not used by the consumer; charge the key's size.
          const op = action.Delete ?? action.ConditionCheck;
          w.computedUnits += writeUnits(itemSize((op?.Key ?? {}) as Item), true);
        }
        w.actions++;
      }
    }
    return result;
  };
  account.doc = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'send') return send;
      return Reflect.get(target, prop, receiver);
    },
  });
  return account;
}

const stateKey = (table: string, item: Item) => `${table}|${String(item.pk)}|${String(item.sk)}`;

/** Applies the SET and ADD clauses of an update expression to a copy of the item. */
export function applyUpdate(
  item: Item,
  update: {
    UpdateExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  },
): Item {
  const next: Item = { ...item };
  const names = update.ExpressionAttributeNames ?? {};
  const values = (update.ExpressionAttributeValues ?? {}) as Record<string, DocValue>;
  const name = (token: string) => names[token] ?? token;
  const parts = (update.UpdateExpression ?? '')
    .split(/\b(SET|ADD|REMOVE|DELETE)\b/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const clause = parts[i];
    for (const assignment of parts[i + 1]!.split(',').map((s) => s.trim())) {
      if (clause === 'SET') {
        const [target, value] = assignment.split('=').map((s) => s.trim());
        next[name(target!)] = values[value!] ?? next[name(target!)];
      } else if (clause === 'ADD') {
        const [target, value] = assignment.split(/\s+/);
        const current = next[name(target!)];
        next[name(target!)] = (typeof current === 'number' ? current : 0) + Number(values[value!]);
      } else if (clause === 'REMOVE') {
        delete next[name(assignment)];
      }
    }
  }
  return next;
}
