/**
 * Counts a batch of queued visits exactly once.
 *
 * SQS delivers at least once, and a consumer can die after writing but before the batch is
 * acknowledged. So each chunk of visits is committed in one DynamoDB transaction together with
 * a raw record per visit, written only if absent: a visit seen before fails that condition, is
 * dropped from the chunk and the rest is committed again. Counters are summed in memory first,
 * so a chunk writes one increment per (page, bucket), not one per visit.
 */
import { type DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type Resolution, resolutions } from '../core/domain/buckets.js';
import { counterKey } from '../core/store/counters.js';
import { retention, ttlAttribute } from '../core/settings.js';
import { type Visit, queuedVisitSchema } from '../core/domain/visit.js';

/** DynamoDB allows 100 actions per transaction. */
const MAX_TRANSACTION_ITEMS = 100;
const DAY_SECONDS = 86_400;

export interface ConsumeDeps {
  doc: DynamoDBDocumentClient;
  countersTable: string;
  visitsTable: string;
  /** Tries per chunk for throttling and conflicts before its messages go back to the queue. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface QueueRecord {
  messageId: string;
  body: string;
}

export interface ConsumeOutcome {
  /** Messages to hand back to the queue (they will be retried, then dead-lettered). */
  failedMessageIds: string[];
  counted: number;
  duplicates: number;
  invalid: number;
  /** Puts and updates committed: one per new visit plus one per distinct counter of its chunk. */
  writeActions: number;
  /** Write capacity units as DynamoDB reported them (DynamoDB Local under-reports transactions). */
  reportedWriteUnits: number;
}

interface PendingVisit {
  messageIds: string[];
  visit: Visit;
  time: number;
}

export async function consumeBatch(records: QueueRecord[], deps: ConsumeDeps): Promise<ConsumeOutcome> {
  const outcome: ConsumeOutcome = { failedMessageIds: [], counted: 0, duplicates: 0, invalid: 0, writeActions: 0, reportedWriteUnits: 0 };
  const byEvent = new Map<string, PendingVisit>();
  for (const record of records) {
    const visit = parseRecord(record.body);
    if (!visit) {
      // Cannot succeed on any retry: report it so it reaches the dead-letter queue, where it is seen.
      outcome.invalid++;
      outcome.failedMessageIds.push(record.messageId);
      continue;
    }
    const id = visitKey(visit);
    const seen = byEvent.get(id);
    if (seen) {
      // The same event twice in one batch: one record, and its copies share its fate.
      seen.messageIds.push(record.messageId);
    } else {
      byEvent.set(id, { messageIds: [record.messageId], visit, time: Date.parse(visit.visitedAt) });
    }
  }

  for (const chunk of chunkVisits([...byEvent.values()])) {
    const result = await commitChunk(chunk, deps);
    outcome.counted += result.committed.length;
    outcome.duplicates += copies(result.committed) - result.committed.length + copies(result.seenBefore);
    outcome.writeActions += result.writeActions;
    outcome.reportedWriteUnits += result.reportedWriteUnits;
    outcome.failedMessageIds.push(...result.failed.flatMap((p) => p.messageIds));
  }
  return outcome;
}

function parseRecord(body: string): Visit | undefined {
  try {
    const parsed = queuedVisitSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const copies = (visits: PendingVisit[]) => visits.reduce((n, p) => n + p.messageIds.length, 0);
const visitKey = (visit: Visit) => `${visit.orgId}#${visit.eventId}`;

function counterKeysOf(p: PendingVisit) {
  return resolutions.map((resolution) => ({ resolution, ...counterKey(p.visit.orgId, resolution, p.time, p.visit.pageUrl) }));
}

/**
 * Packs visits into transactions of at most 100 actions: one per visit plus one per distinct
 * counter. Sorting by org, page and time first puts visits that share counters together.
 */
export function chunkVisits(visits: PendingVisit[]): PendingVisit[][] {
  const sorted = [...visits].sort((a, b) =>
    a.visit.orgId.localeCompare(b.visit.orgId) || a.visit.pageUrl.localeCompare(b.visit.pageUrl) || a.time - b.time,
  );
  const chunks: PendingVisit[][] = [];
  let current: PendingVisit[] = [];
  let counters = new Set<string>();
  for (const p of sorted) {
    const keys = counterKeysOf(p).map((k) => `${k.pk}|${k.sk}`);
    const added = keys.filter((k) => !counters.has(k)).length;
    if (current.length > 0 && current.length + 1 + counters.size + added > MAX_TRANSACTION_ITEMS) {
      chunks.push(current);
      current = [];
      counters = new Set();
    }
    current.push(p);
    for (const k of keys) counters.add(k);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

function transactionFor(chunk: PendingVisit[], deps: ConsumeDeps): TransactItem[] {
  const increments = new Map<string, { pk: string; sk: string; resolution: Resolution; bucketTime: number; count: number }>();
  for (const p of chunk) {
    for (const k of counterKeysOf(p)) {
      const id = `${k.pk}|${k.sk}`;
      const entry = increments.get(id);
      if (entry) entry.count++;
      else increments.set(id, { pk: k.pk, sk: k.sk, resolution: k.resolution, bucketTime: Date.parse(k.sk.slice(0, 24)), count: 1 });
    }
  }
  const puts = chunk.map((p): TransactItem => ({
    Put: {
      TableName: deps.visitsTable,
      Item: { pk: visitKey(p.visit), sk: 'visit', ...p.visit, [ttlAttribute]: Math.floor(p.time / 1000) + retention.rawVisitDays * DAY_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  const updates = [...increments.values()].map((c): TransactItem => ({
    Update: {
      TableName: deps.countersTable,
      Key: { pk: c.pk, sk: c.sk },
      ...(c.resolution === 'minute'
        ? {
            UpdateExpression: 'ADD #n :n SET #ttl = :ttl',
            ExpressionAttributeNames: { '#n': 'n', '#ttl': ttlAttribute },
            ExpressionAttributeValues: { ':n': c.count, ':ttl': Math.floor(c.bucketTime / 1000) + retention.minuteCounterDays * DAY_SECONDS },
          }
        : { UpdateExpression: 'ADD #n :n', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':n': c.count } }),
    },
  }));
  return [...puts, ...updates];
}

async function commitChunk(chunk: PendingVisit[], deps: ConsumeDeps) {
  const maxAttempts = deps.maxAttempts ?? 4;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const outcome = { committed: [] as PendingVisit[], seenBefore: [] as PendingVisit[], failed: [] as PendingVisit[], writeActions: 0, reportedWriteUnits: 0 };
  let pending = chunk;
  for (let attempt = 1; pending.length > 0; ) {
    try {
      const TransactItems = transactionFor(pending, deps);
      const result = await deps.doc.send(new TransactWriteCommand({ TransactItems, ReturnConsumedCapacity: 'TOTAL' }));
      outcome.writeActions += TransactItems.length;
      outcome.reportedWriteUnits += (result.ConsumedCapacity ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      outcome.committed = pending;
      return outcome;
    } catch (error) {
      const recorded = alreadyRecorded(error, pending.length);
      if (recorded.size > 0) {
        // Counted by an earlier delivery: drop them and commit the rest without counting again.
        outcome.seenBefore.push(...pending.filter((_, i) => recorded.has(i)));
        pending = pending.filter((_, i) => !recorded.has(i));
        continue;
      }
      if (attempt >= maxAttempts) {
        outcome.failed = pending;
        return outcome;
      }
      // Throttled or in conflict with a concurrent transaction: back off and try again.
      await sleep(25 * 2 ** attempt + Math.random() * 25);
      attempt++;
    }
  }
  return outcome;
}

/** Indexes of raw-visit puts that were cancelled because the record already exists. */
function alreadyRecorded(error: unknown, putCount: number): Set<number> {
  const reasons = (error as TransactionCanceledException).CancellationReasons;
  if ((error as Error).name !== 'TransactionCanceledException' || !reasons) return new Set();
  const indexes = new Set<number>();
  reasons.forEach((reason, i) => {
    if (i < putCount && reason.Code === 'ConditionalCheckFailed') indexes.add(i);
  });
  return indexes;
}
