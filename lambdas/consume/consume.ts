/**
 * Counts a batch of queued views exactly once, in three steps:
 *
 * 1. parse and dedupe (pure): malformed messages are set aside, copies of one event merged;
 * 2. plan and pack (pure): each visitor-day as last stored plus its new views gives the
 *    visitor-day's next state and the counter changes (counters/changes.ts); visitor-days are
 *    packed into transactions of at most 100 actions, each counter item updated once per
 *    transaction with the sum of its changes;
 * 3. commit (I/O): one TransactWriteItems per chunk, each visitor-day written only if its
 *    version is still the one read. A view already in the stored visitor-day was counted
 *    before (SQS redelivers, browsers re-send) and is dropped. A chunk that loses a race with
 *    another consumer, or is throttled, is read and planned again; one that keeps failing goes
 *    back to the queue.
 */
import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type CounterChanges, counterChanges, mergeChanges } from '../core/counters/changes.js';
import type { CounterDefinition } from '../core/counters/definition.js';
import { counterDefinitions } from '../core/counters/index.js';
import type { View, ViewKind, VisitorDay } from '../core/domain/visitor-day.js';
import { localDayOf, utc } from '../core/domain/zones.js';
import { type QueuedView, dimsOf, queuedViewSchema } from '../core/domain/queued-view.js';
import { visitorModel } from '../core/settings.js';
import { type TransactItem, counterUpdate, termsOf } from '../core/store/counters.js';
import {
  type StoredVisitorDay,
  type VisitorDayKey,
  eventHash,
  ledgerPut,
  readVisitorDays,
  visitorDayId,
  visitorDayPut,
} from '../core/store/visitor-days.js';

/** Past the cap a page view counts as a page view and an event as an event, in no visit; a bot view stays a bot view. */
const pastTheCap: Partial<Record<ViewKind, ViewKind>> = { pageview: 'extra', event: 'extra-event' };

/** DynamoDB allows 100 actions per transaction. */
const MAX_TRANSACTION_ITEMS = 100;
/** An update expression may be 4 KB: this many `#aN :aN` terms stay well inside it. */
const MAX_TERMS_PER_ITEM = 200;

export interface ConsumeDeps {
  doc: DynamoDBDocumentClient;
  countersTable: string;
  visitsTable: string;
  /** Tries per chunk for throttling and conflicts before its messages go back to the queue. */
  maxAttempts?: number;
  /** The counters to write; all of them by default (the bench prices subsets). */
  definitions?: readonly CounterDefinition[];
  sleep?: (ms: number) => Promise<void>;
}

export interface QueueRecord {
  messageId: string;
  body: string;
}

export interface ConsumeOutcome {
  /** Messages to hand back to the queue (they will be retried, then dead-lettered). */
  failedMessageIds: string[];
  /** Views counted for the first time (page views and bot views). */
  counted: number;
  duplicates: number;
  invalid: number;
  /** Puts and updates committed: one per visitor-day written plus one per counter item of its transaction. */
  writeActions: number;
  /** Write capacity units as DynamoDB reported them (DynamoDB Local under-reports transactions). */
  reportedWriteUnits: number;
}

/** One event of the batch, with every message that carried it. */
export interface PendingView {
  messageIds: string[];
  queued: QueuedView;
  view: View;
  eventId: string;
}

/** The views of one visitor-day that this batch brings. */
interface DayGroup {
  key: VisitorDayKey;
  views: PendingView[];
  /** Failed commits so far. */
  attempts: number;
}

/** What committing one visitor-day's new views means, computed from its stored state. */
interface DayPlan {
  group: DayGroup;
  actions: TransactItem[];
  /** Roles of `actions`, in order, so a cancellation reason maps back to its view. */
  roles: ({ role: 'visitor-day' } | { role: 'ledger'; view: PendingView })[];
  changes: CounterChanges;
  added: PendingView[];
  duplicates: PendingView[];
}

export async function consumeBatch(records: QueueRecord[], deps: ConsumeDeps): Promise<ConsumeOutcome> {
  const outcome: ConsumeOutcome = {
    failedMessageIds: [],
    counted: 0,
    duplicates: 0,
    invalid: 0,
    writeActions: 0,
    reportedWriteUnits: 0,
  };
  const { views, invalidMessageIds } = parseBatch(records);
  outcome.invalid = invalidMessageIds.length;
  // Cannot succeed on any retry: reported so that they reach the dead-letter queue, where they are seen.
  outcome.failedMessageIds.push(...invalidMessageIds);

  const maxAttempts = deps.maxAttempts ?? visitorModel.maxCommitAttempts;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const knownDuplicates = new Set<PendingView>();
  let pending = groupByVisitorDay(views);
  for (let round = 1; pending.length > 0; round++) {
    if (pending.some((g) => g.attempts > 0)) await sleep(25 * 2 ** Math.min(round, 6) + Math.random() * 25);
    // A visitor-day with more new views than one transaction can hold is written over several rounds.
    const now = pending.map((g) => ({ ...g, views: g.views.slice(0, visitorModel.maxViewsPerPlan) }));
    const later = pending
      .filter((g) => g.views.length > visitorModel.maxViewsPerPlan)
      .map((g) => ({ ...g, views: g.views.slice(visitorModel.maxViewsPerPlan) }));
    const stored = await readVisitorDays(
      deps,
      now.map((g) => g.key),
    );
    const plans = now.map((group) =>
      planDay(
        group,
        stored.get(visitorDayId(group.key))!,
        knownDuplicates,
        deps.visitsTable,
        deps.definitions,
      ),
    );
    const retry: DayGroup[] = [];
    for (const chunk of packPlans(plans)) {
      const committed = await commitChunk(chunk, deps, knownDuplicates);
      if (committed.ok) {
        for (const plan of chunk.plans) settle(plan, outcome);
        outcome.writeActions += committed.actions;
        outcome.reportedWriteUnits += committed.reportedWriteUnits;
      } else {
        for (const plan of chunk.plans) {
          // Finding views counted before is progress, not a failure: the next plan leaves them out.
          const group = {
            ...plan.group,
            attempts: plan.group.attempts + (committed.foundDuplicates ? 0 : 1),
          };
          if (group.attempts < maxAttempts) retry.push(group);
          else outcome.failedMessageIds.push(...group.views.flatMap((v) => v.messageIds));
        }
      }
    }
    // Plans with nothing to write (every view a duplicate) are settled here.
    for (const plan of plans) if (plan.actions.length === 0) settle(plan, outcome);
    pending = mergeGroups([...retry, ...later]);
  }
  return outcome;
}

const copiesOf = (views: readonly PendingView[]) => views.reduce((n, v) => n + v.messageIds.length, 0);

/** A plan done with: its new views counted once each, every other message that carried one a duplicate. */
function settle(plan: DayPlan, outcome: ConsumeOutcome): void {
  outcome.counted += plan.added.length;
  outcome.duplicates += copiesOf(plan.added) - plan.added.length + copiesOf(plan.duplicates);
}

/** Step 1: parse, set malformed messages aside, merge copies of one event. */
function parseBatch(records: readonly QueueRecord[]): {
  views: PendingView[];
  invalidMessageIds: string[];
} {
  const invalidMessageIds: string[] = [];
  const byEvent = new Map<string, PendingView>();
  for (const record of records) {
    const queued = parseRecord(record.body);
    if (!queued) {
      invalidMessageIds.push(record.messageId);
      continue;
    }
    // An engagement is known by its page view: one per view, however often it is sent.
    const eventId = queued.engagement ? `${queued.engagement.viewId}#engagement` : queued.eventId;
    const id = `${queued.orgId}#${eventId}`;
    const seen = byEvent.get(id);
    if (seen) {
      // The same event twice in one batch: one view, and its copies share its fate.
      seen.messageIds.push(record.messageId);
      continue;
    }
    const dims = dimsOf(queued);
    const kind: ViewKind = queued.bot
      ? 'bot'
      : queued.engagement
        ? 'engagement'
        : queued.name !== undefined
          ? 'event'
          : 'pageview';
    const view: View = {
      time: Date.parse(queued.visitedAt),
      page: queued.pageUrl,
      hash: eventHash(queued.orgId, eventId),
      kind,
      ...(dims ? { dims } : {}),
      ...(kind === 'event' ? { name: queued.name } : {}),
      ...(kind === 'event' && queued.props ? { props: queued.props } : {}),
      ...(kind === 'engagement'
        ? { engagement: { seconds: queued.engagement!.seconds, scrollDepth: queued.engagement!.scrollDepth } }
        : {}),
    };
    byEvent.set(id, { messageIds: [record.messageId], queued, view, eventId });
  }
  return { views: [...byEvent.values()], invalidMessageIds };
}

function parseRecord(body: string): QueuedView | undefined {
  try {
    const parsed = queuedViewSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** A retried part and a deferred part of one visitor-day become one group again. */
function mergeGroups(groups: readonly DayGroup[]): DayGroup[] {
  const byKey = new Map<string, DayGroup>();
  for (const group of groups) {
    const id = visitorDayId(group.key);
    const seen = byKey.get(id);
    if (seen)
      byKey.set(id, {
        ...seen,
        views: [...seen.views, ...group.views],
        attempts: Math.max(seen.attempts, group.attempts),
      });
    else byKey.set(id, group);
  }
  return [...byKey.values()];
}

function groupByVisitorDay(views: readonly PendingView[]): DayGroup[] {
  const groups = new Map<string, DayGroup>();
  for (const view of views) {
    // The site's zone as ingest saw it: every copy of a message names the same visitor-day.
    const zone = view.queued.siteZone ?? utc;
    const key = {
      orgId: view.queued.orgId,
      day: localDayOf(view.view.time, zone),
      zone,
      visitorId: view.queued.visitorId,
    };
    const id = visitorDayId(key);
    const group = groups.get(id) ?? { key, views: [], attempts: 0 };
    group.views.push(view);
    groups.set(id, group);
  }
  return [...groups.values()];
}

/**
 * Step 2a: the visitor-day's next state and what it changes in the counters. Views already in
 * the stored visitor-day are duplicates. Past the cap, a view is counted as a page view only,
 * with a ledger record of its own for exactly-once; the first event of each name is still kept
 * (a few names at most), so its visitor counts as having done it.
 */
function planDay(
  group: DayGroup,
  stored: StoredVisitorDay,
  knownDuplicates: ReadonlySet<PendingView>,
  visitsTable: string,
  definitions: readonly CounterDefinition[] = counterDefinitions,
): DayPlan {
  const have = new Set(stored.day.views.map((v) => v.hash));
  const added: PendingView[] = [];
  const duplicates: PendingView[] = [];
  const kept: View[] = [...stored.day.views];
  const extra: PendingView[] = [];
  let propsChars = kept.reduce((sum, view) => sum + propsCharsOf(view), 0);
  for (const pending of [...group.views].sort((a, b) => a.view.time - b.view.time)) {
    if (have.has(pending.view.hash) || knownDuplicates.has(pending)) {
      duplicates.push(pending);
      continue;
    }
    have.add(pending.view.hash);
    added.push(pending);
    const chars = propsCharsOf(pending.view);
    const fits = propsChars + chars <= visitorModel.maxPropsCharsPerDay;
    if (fits && (kept.length < visitorModel.maxViewsPerDay || isFirstEventPastCap(kept, pending.view))) {
      kept.push(pending.view);
      propsChars += chars;
    } else extra.push(pending);
  }
  const plan: DayPlan = { group, actions: [], roles: [], changes: new Map(), added, duplicates };
  if (added.length === 0) return plan;

  const next: VisitorDay = { ...stored.day, views: kept };
  if (kept.length > stored.day.views.length) {
    plan.changes = counterChanges(stored.version === 0 ? undefined : stored.day, next, definitions);
    plan.actions.push(visitorDayPut(visitsTable, next, stored.version));
    plan.roles.push({ role: 'visitor-day' });
  }
  if (extra.length > 0) {
    const extraDay: VisitorDay = {
      ...stored.day,
      views: extra.map((p) => ({ ...p.view, kind: pastTheCap[p.view.kind] ?? p.view.kind })),
    };
    mergeChanges(plan.changes, counterChanges(undefined, extraDay, definitions));
    for (const pending of extra) {
      plan.actions.push(ledgerPut(visitsTable, pending.queued.orgId, pending.eventId, pending.view.time));
      plan.roles.push({ role: 'ledger', view: pending });
    }
  }
  return plan;
}

/** An event whose name the full visitor-day has not kept yet, while there is room for one more name. */
function isFirstEventPastCap(kept: readonly View[], view: View): boolean {
  return (
    view.kind === 'event' &&
    kept.length < visitorModel.maxViewsPerDay + visitorModel.maxEventNamesPastCap &&
    !kept.some((v) => v.kind === 'event' && v.name === view.name)
  );
}

const propsCharsOf = (view: View) => (view.props ? JSON.stringify(view.props).length : 0);

/** Plans committed together, with the sum of their counter changes (one update per item). */
export interface Chunk {
  plans: DayPlan[];
  changes: CounterChanges;
  actions: number;
}

/**
 * Step 2b: packs plans into transactions of at most 100 actions: each plan's own writes plus one
 * update per counter item the chunk touches. Plans of one org, day and page share most counter
 * items, so they are packed together.
 */
function packPlans(plans: readonly DayPlan[]): Chunk[] {
  const firstPage = (plan: DayPlan) => plan.added[0]?.view.page ?? '';
  const sorted = plans
    .filter((p) => p.actions.length > 0)
    .sort(
      (a, b) =>
        a.group.key.orgId.localeCompare(b.group.key.orgId) ||
        a.group.key.day.localeCompare(b.group.key.day) ||
        firstPage(a).localeCompare(firstPage(b)),
    );
  const chunks: Chunk[] = [];
  let current: Chunk | undefined;
  for (const plan of sorted) {
    if (!current || !fits(current, plan)) {
      current = { plans: [], changes: new Map(), actions: 0 };
      chunks.push(current);
    }
    current.plans.push(plan);
    current.actions += plan.actions.length;
    mergeChanges(current.changes, plan.changes);
  }
  return chunks;
}

/** Whether a plan joins a chunk within the limits: 100 actions, and update expressions of at most MAX_TERMS_PER_ITEM terms. */
function fits(chunk: Chunk, plan: DayPlan): boolean {
  let newItems = 0;
  for (const [id, change] of plan.changes) {
    const held = chunk.changes.get(id);
    if (!held) newItems++;
    // Counted as if no amount cancelled out: an upper bound, so a chunk never outgrows an expression.
    let terms = held ? termsOf(held) : 0;
    for (const [metric, byValue] of change.amounts)
      for (const value of byValue.keys()) if (!held?.amounts.get(metric)?.has(value)) terms++;
    if (terms > MAX_TERMS_PER_ITEM) return false;
  }
  return chunk.actions + plan.actions.length + chunk.changes.size + newItems <= MAX_TRANSACTION_ITEMS;
}

/** The whole transaction of a chunk: the plans' own writes, then one update per counter item. */
function transactionOf(chunk: Chunk, countersTable: string): TransactItem[] {
  const updates = [...chunk.changes.values()]
    .filter((c) => termsOf(c) > 0)
    .map((c) => counterUpdate(countersTable, c));
  return [...chunk.plans.flatMap((p) => p.actions), ...updates];
}

/**
 * Step 3: commits a chunk. When it must be planned again, says whether that is because some of
 * its past-the-cap views were counted before (now remembered in `knownDuplicates`), or because
 * another consumer wrote one of its visitor-days first, or DynamoDB throttled or refused it.
 */
async function commitChunk(chunk: Chunk, deps: ConsumeDeps, knownDuplicates: Set<PendingView>) {
  const TransactItems = transactionOf(chunk, deps.countersTable);
  try {
    const result = await deps.doc.send(
      new TransactWriteCommand({ TransactItems, ReturnConsumedCapacity: 'TOTAL' }),
    );
    return {
      ok: true as const,
      actions: TransactItems.length,
      reportedWriteUnits: (result.ConsumedCapacity ?? []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0),
    };
  } catch (error) {
    const reasons = (error as TransactionCanceledException).CancellationReasons;
    let foundDuplicates = false;
    if ((error as Error).name === 'TransactionCanceledException' && reasons) {
      const roles = chunk.plans.flatMap((p) => p.roles);
      reasons.forEach((reason, i) => {
        const role = roles[i];
        if (
          reason.Code === 'ConditionalCheckFailed' &&
          role?.role === 'ledger' &&
          !knownDuplicates.has(role.view)
        ) {
          knownDuplicates.add(role.view);
          foundDuplicates = true;
        }
      });
    }
    return { ok: false as const, foundDuplicates };
  }
}
