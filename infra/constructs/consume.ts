import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { consumerMetrics, queueSettings } from '../../lambdas/core/settings.js';
import { handlerEntries } from '../paths.js';
import { AppFunction, bindTable, tableAccess } from './function.js';

export interface ConsumeProps {
  /** The visit queue (VisitQueue) it reads. */
  readonly queue: IQueue;
  readonly countersTable: ITableV2;
  readonly visitsTable: ITableV2;
  /** Reserved concurrency, at least the event source's maximum concurrency so no delivery is throttled. */
  readonly reservedConcurrency?: number;
}

/**
 * Consume promises: lambdas/consume/handler.ts reads the visit queue through an event source
 * mapping with the settings module's batch size, batching window and maximum concurrency, and
 * `ReportBatchItemFailures`, so only the messages of a failed chunk return to the queue. It may
 * read visitor-days (BatchGetItem) and write them and the counters (TransactWriteItems), and nothing else.
 */
export class Consume extends Construct {
  readonly function: IFunction;
  readonly appFunction: AppFunction;

  constructor(scope: Construct, id: string, props: ConsumeProps) {
    super(scope, id);
    this.appFunction = new AppFunction(this, 'Consume', {
      entry: handlerEntries.consume,
      serviceName: consumerMetrics.service,
      description: 'SQS batch of visits -> idempotent counter increments in DynamoDB',
      timeout: Duration.seconds(queueSettings.consumerTimeoutSeconds),
      memorySize: 1024,
      reservedConcurrentExecutions: props.reservedConcurrency,
    });
    const fn = this.appFunction.fn;
    bindTable(fn, 'countersTable', props.countersTable, tableAccess.transactWrite);
    bindTable(fn, 'visitsTable', props.visitsTable, tableAccess.readThenTransactWrite);
    fn.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: queueSettings.batchSize,
        maxBatchingWindow: Duration.seconds(queueSettings.batchingWindowSeconds),
        reportBatchItemFailures: true,
        // Bounds concurrent consumers, and with them the write rate on the counters table.
        maxConcurrency: queueSettings.maxConcurrency,
      }),
    );
    this.function = fn;
  }
}
