/**
 * `npm run org -- redrive`: sends the visits in the dead-letter queue back to the visit queue,
 * once whatever made them fail is fixed. Each is sent, then deleted from the dead-letter queue;
 * if the command dies between the two, the visit is sent again next time and the consumer drops
 * the copy by its event id, so every visit is still counted exactly once.
 *
 * Receive, send and delete rather than SQS's StartMessageMoveTask: the same three calls work
 * on AWS, on the local stack's emulator and on LocalStack.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

export interface RedriveDeps {
  sqs: SQSClient;
  queueUrl: string;
  deadLetterQueueUrl: string;
}

/** Moves dead letters back until the dead-letter queue answers empty; returns how many moved. */
export async function redriveDeadLetters(deps: RedriveDeps, options: { max?: number } = {}): Promise<number> {
  const max = options.max ?? Number.POSITIVE_INFINITY;
  let moved = 0;
  while (moved < max) {
    const { Messages = [] } = await deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deps.deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(10, max - moved),
        WaitTimeSeconds: 1,
        // Long enough to send and delete a batch; a message not deleted by then is received again.
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) break;
    const sent = await deps.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: deps.queueUrl,
        Entries: Messages.map((message, i) => ({
          Id: String(i),
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
        })),
      }),
    );
    const ok = new Set((sent.Successful ?? []).map((entry) => Number(entry.Id)));
    if (ok.size > 0) {
      await deps.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deps.deadLetterQueueUrl,
          Entries: Messages.filter((_, i) => ok.has(i)).map((message, i) => ({
            Id: String(i),
            ReceiptHandle: message.ReceiptHandle!,
          })),
        }),
      );
    }
    moved += ok.size;
    if (sent.Failed?.length)
      throw new Error(
        `${sent.Failed.length} dead letter(s) could not be sent back (${sent.Failed[0]!.Message ?? sent.Failed[0]!.Code}); ${moved} were. Run redrive again.`,
      );
  }
  return moved;
}
