import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueSettings, routes } from '../../lambdas/core/settings.js';
import { handlerEntries } from '../paths.js';
import type { PublicApi } from './api.js';
import { AppFunction, bindQueueSender, bindTable, tableAccess } from './function.js';

export interface IngestProps {
  readonly api: PublicApi;
  readonly orgsTable: ITableV2;
}

/**
 * Ingest promises: `POST /visits` on the public API, handled by lambdas/ingest/handler.ts, which
 * validates, resolves the site key and enqueues one message per accepted visit. The queue and its
 * dead-letter queue take every number from the settings module: visibility timeout (six times the
 * consumer's timeout, AWS's guidance), max receive count, retention. Both enforce TLS and are
 * encrypted with SQS-managed keys.
 */
export class Ingest extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: IFunction;
  readonly appFunction: AppFunction;

  constructor(scope: Construct, id: string, props: IngestProps) {
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

    this.appFunction = new AppFunction(this, 'Ingest', {
      entry: handlerEntries.ingest,
      serviceName: 'ingest',
      description: 'POST /visits: validate a page view, resolve its site key, enqueue it',
      timeout: Duration.seconds(5),
      memorySize: 512,
    });
    const fn = this.appFunction.fn;
    // GetItem resolves site keys; PutItem creates the daily visitor-id salt item.
    bindTable(fn, 'orgsTable', props.orgsTable, tableAccess.readCreate);
    bindQueueSender(fn, this.queue);
    this.function = fn;

    props.api.addLambdaRoute('Ingest', routes.ingest, fn);
  }
}
