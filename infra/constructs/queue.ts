import { Duration } from 'aws-cdk-lib';
import { type CfnQueue, type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueSettings } from '../../lambdas/core/settings.js';

/**
 * The CloudFormation logical ids the two queues had when they lived inside the Ingest construct
 * (`Ingest/Queue`, `Ingest/DeadLetterQueue`). A new logical id would make CloudFormation replace
 * a queue, dropping the visits in it, so they are pinned here; a test holds them.
 */
export const queueLogicalIds = {
  queue: 'IngestQueue95F6DB49',
  deadLetterQueue: 'IngestDeadLetterQueueE8016E9B',
} as const;

/** What the ingest side (sender) and the consume side (reader) of the queue get. */
export interface VisitQueueOutputs {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
}

/**
 * The visit queue and its dead-letter queue, shared by Ingest (sends), Consume (reads) and
 * Monitoring (watches). Every number comes from the settings module, which the local poller
 * reads too: visibility timeout (six times the consumer's timeout plus its batching window, as
 * AWS asks for an SQS event source), max receive count, retention. Both queues enforce TLS and
 * are encrypted with SQS-managed keys.
 */
export class VisitQueue extends Construct implements VisitQueueOutputs {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(queueSettings.deadLetterRetentionDays),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(queueSettings.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(queueSettings.retentionDays),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: queueSettings.maxReceiveCount },
    });
    (this.queue.node.defaultChild as CfnQueue).overrideLogicalId(queueLogicalIds.queue);
    (this.deadLetterQueue.node.defaultChild as CfnQueue).overrideLogicalId(queueLogicalIds.deadLetterQueue);
  }
}
