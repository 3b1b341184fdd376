import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { consumerMetrics, ingestMetrics, queueSettings } from '../../lambdas/core/settings.js';
import type { PublicApi } from './api.js';

export interface MonitoringProps {
  readonly api: PublicApi;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  /** The functions graphed on the dashboard, by a short name. */
  readonly functions: Record<string, IFunction>;
  /** The consumer, whose errors and throttles are alarmed on (the API functions' show as API 5xx). */
  readonly consumer: IFunction;
  /** The scheduled archiver: nothing else would notice that closed days stopped reaching the archive. */
  readonly archiver: IFunction;
  /** When set, this address is subscribed to the alarm topic (it must confirm the e-mail SNS sends). */
  readonly alarmEmail?: string;
  /** The CloudWatch dashboard (3 USD a month past an account's free three); LocalStack's free plan has none. */
  readonly dashboard: boolean;
}

/**
 * The age at which the oldest queued visit is worth a page: the consumer normally drains the
 * queue within a batching window, so a few minutes means it is failing or cannot keep up.
 */
export const oldestMessageAlarmSeconds = Math.max(300, queueSettings.visibilityTimeoutSeconds * 2);

/**
 * Monitoring promises: alarms on any message in the DLQ (a visit that could not be counted), on
 * the age of the oldest queued visit, on the consumer's errors and throttles, on API 5xx (where
 * the ingest and query functions' errors, timeouts and throttles show), and on views refused by
 * an org's daily limit; every alarm notifies one SNS topic, always there, which CloudWatch is
 * allowed to publish to and `alarmEmail` (context) subscribes to. The CloudWatch dashboard is
 * optional (`dashboard`). Six alarms: each costs 0.10 USD a month, the idle month's largest item.
 */
export class Monitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard?: Dashboard;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Page-view analytics alarms',
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    // enforceSSL gives the topic a policy of its own, which replaces the default one that let
    // the account's services publish: without this statement no alarm would ever reach it.
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    const alarm = (alarmId: string, description: string, metric: IMetric, threshold: number) => {
      const created = new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(this.topic));
      this.alarms.push(created);
      return created;
    };

    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    const dlqDepth = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: minute,
      statistic: 'Maximum',
    });
    const oldest = props.queue.metricApproximateAgeOfOldestMessage({ period: minute, statistic: 'Maximum' });
    const queueDepth = props.queue.metricApproximateNumberOfMessagesVisible({
      period: minute,
      statistic: 'Maximum',
    });

    alarm(
      'DeadLetters',
      'Visits reached the dead-letter queue: they were not counted. Inspect and redrive them.',
      dlqDepth,
      1,
    );
    alarm(
      'OldestVisit',
      `The oldest queued visit is over ${oldestMessageAlarmSeconds} s old: the consumer is failing or falling behind.`,
      oldest,
      oldestMessageAlarmSeconds,
    );
    alarm(
      'ConsumeErrors',
      'The consumer reported errors: visits are retried, and reach the dead-letter queue after repeated failures.',
      props.consumer.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      1,
    );
    alarm(
      'ConsumeThrottles',
      'The consumer was throttled: its reserved concurrency is below the event source maximum, or was removed.',
      props.consumer.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
      1,
    );
    alarm(
      'ArchiverErrors',
      'The archiver failed: closed days are not reaching the archive (it resumes where it stopped on its next run).',
      props.archiver.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      1,
    );
    alarm(
      'DailyLimitReached',
      "An org reached its daily limit of accepted views: POST /visits answers 429 until the site's midnight. Raise it with npm run org -- set --org <id> --daily-limit <n> if the traffic is real.",
      new Metric({
        namespace: ingestMetrics.namespace,
        metricName: ingestMetrics.names.dailyLimit,
        dimensionsMap: { service: ingestMetrics.service },
        period: fiveMinutes,
        statistic: 'Sum',
      }),
      1,
    );
    alarm(
      'Api5xx',
      'The API answered with server errors (5xx): the ingest or query function failed, timed out or was throttled.',
      props.api.metricServerErrors(),
      1,
    );

    if (props.dashboard) this.dashboard = this.createDashboard(props, { queueDepth, dlqDepth, oldest });
  }

  private createDashboard(
    props: MonitoringProps,
    metrics: { queueDepth: IMetric; dlqDepth: IMetric; oldest: IMetric },
  ): Dashboard {
    const { queueDepth, dlqDepth, oldest } = metrics;
    const fiveMinutes = Duration.minutes(5);
    const dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    const fns = Object.entries(props.functions);
    dashboard.addWidgets(
      new TextWidget({
        markdown: '# Page-view analytics\nAPI -> ingest -> SQS -> consume -> DynamoDB; query reads counters.',
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and errors',
        left: [props.api.metricCount()],
        right: [props.api.metricClientErrors(), props.api.metricServerErrors()],
        width: 12,
      }),
      new GraphWidget({
        title: 'Queue depth and dead letters',
        left: [queueDepth],
        right: [dlqDepth],
        width: 6,
      }),
      new GraphWidget({ title: 'Oldest queued visit (s)', left: [oldest], width: 6 }),
    );
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Invocations',
        left: fns.map(([, fn]) => fn.metricInvocations({ period: fiveMinutes })),
        width: 6,
      }),
      new GraphWidget({
        title: 'Errors',
        left: fns.map(([, fn]) => fn.metricErrors({ period: fiveMinutes })),
        width: 6,
      }),
      new GraphWidget({
        title: 'Throttles',
        left: fns.map(([, fn]) => fn.metricThrottles({ period: fiveMinutes })),
        width: 6,
      }),
      new GraphWidget({
        title: 'Duration p99 (ms)',
        left: fns.map(([, fn]) => fn.metricDuration({ period: fiveMinutes, statistic: 'p99' })),
        width: 6,
      }),
    );
    // What the consumer itself reports: visits counted, duplicates dropped, malformed and retried messages.
    const consumerMetric = (metricName: string) =>
      new Metric({
        namespace: consumerMetrics.namespace,
        metricName,
        dimensionsMap: { service: consumerMetrics.service },
        period: fiveMinutes,
        statistic: 'Sum',
      });
    dashboard.addWidgets(
      new GraphWidget({
        title: 'Visits counted and duplicates dropped',
        left: Object.values(consumerMetrics.names).map(consumerMetric),
        width: 24,
      }),
    );
    return dashboard;
  }
}
