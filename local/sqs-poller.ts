/**
 * Feeds the consumer the way Lambda's SQS event source mapping does: it gathers up to
 * `batchSize` messages for at most `batchingWindowSeconds`, invokes the handler with a real SQS
 * event, deletes what succeeded and leaves the `batchItemFailures` (or, if the handler throws,
 * the whole batch) to reappear after the visibility timeout. The queue's redrive policy moves a
 * message that keeps failing to the dead-letter queue.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { type SqsHandler, lambdaContext } from './lambda-runtime.js';

export type { SqsHandler };

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  deadLetterQueueUrl: string;
  handler: SqsHandler;
  batchSize: number;
  batchingWindowSeconds: number;
  /** Called when messages arrive in the dead-letter queue, and with each batch's outcome. */
  onEvent?: (event: PollerEvent) => void;
}

export type PollerEvent =
  | { type: 'batch'; received: number; failed: number; error?: string }
  | { type: 'dead-letters'; count: number };

export interface Poller {
  /** Resolves once the queue is empty and no batch is in flight (or the timeout passes). */
  drain(timeoutMs: number): Promise<boolean>;
  /** Stops taking batches (the one in flight finishes) until resume(): the bench measures ingest alone this way. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export function startPoller(options: PollerOptions): Poller {
  let running = true;
  let paused = false;
  let busy = false;
  let deadLetters = 0;
  const queueArn = `arn:aws:sqs:us-east-1:000000000000:${options.queueUrl.split('/').pop()}`;

  async function receiveBatch(): Promise<Message[]> {
    const messages: Message[] = [];
    let deadline = Infinity;
    while (running && messages.length < options.batchSize && Date.now() < deadline) {
      const { Messages = [] } = await options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, options.batchSize - messages.length),
          // Long-poll while nothing has arrived; once a batch has begun, only top it up.
          WaitTimeSeconds: messages.length === 0 ? 1 : 0,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      // An empty long poll ends the call, so the loop looks at the dead-letter queue on an idle queue too.
      if (Messages.length === 0 && messages.length === 0) return messages;
      if (Messages.length > 0 && deadline === Infinity)
        deadline = Date.now() + options.batchingWindowSeconds * 1000;
      if (Messages.length === 0 && messages.length > 0) await sleep(50);
      messages.push(...Messages);
    }
    return messages;
  }

  async function invoke(messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queueArn)) };
    let failedIds: string[];
    let error: string | undefined;
    try {
      const response = await options.handler(event, lambdaContext());
      failedIds = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
    } catch (e) {
      // Like Lambda: a function error returns the whole batch to the queue.
      failedIds = messages.map((m) => m.MessageId!);
      error = (e as Error).message;
    }
    const failed = new Set(failedIds);
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    for (let i = 0; i < done.length; i += 10) {
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    options.onEvent?.({
      type: 'batch',
      received: messages.length,
      failed: failed.size,
      ...(error ? { error } : {}),
    });
  }

  async function watchDeadLetters(): Promise<void> {
    const count = await approximateCount(options.sqs, options.deadLetterQueueUrl);
    if (count !== deadLetters) {
      deadLetters = count;
      if (count > 0) options.onEvent?.({ type: 'dead-letters', count });
    }
  }

  const loop = (async () => {
    let lastWatch = 0;
    while (running) {
      if (paused) {
        await sleep(50);
        continue;
      }
      try {
        const messages = await receiveBatch();
        if (messages.length > 0) {
          busy = true;
          await invoke(messages);
        }
        if (Date.now() - lastWatch > 2000) {
          lastWatch = Date.now();
          await watchDeadLetters();
        }
      } catch (error) {
        if (running)
          options.onEvent?.({ type: 'batch', received: 0, failed: 0, error: (error as Error).message });
        await sleep(500);
      } finally {
        busy = false;
      }
    }
  })();

  return {
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const waiting = await approximateCount(options.sqs, options.queueUrl, true);
        if (waiting === 0 && !busy) return true;
        await sleep(100);
      }
      return false;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** Messages in a queue; with `includeInFlight`, also those received and not yet deleted. */
export async function approximateCount(
  sqs: SQSClient,
  queueUrl: string,
  includeInFlight = false,
): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    (includeInFlight ? Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) : 0)
  );
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const a = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
