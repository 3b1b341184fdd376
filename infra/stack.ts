import { Aspects, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StackConfig } from './config.js';
import { inlineScriptHashes } from './csp.js';
import { Archive } from './constructs/archive.js';
import { Consume } from './constructs/consume.js';
import { HttpPublicApi, RestPublicApi } from './constructs/api.js';
import { Content } from './constructs/content.js';
import { DemoOrg } from './constructs/demo-org.js';
import { CdnHosting } from './constructs/cdn-hosting.js';
import type { HostingOutputs } from './constructs/hosting.js';
import { Ingest } from './constructs/ingest.js';
import { Monitoring } from './constructs/monitoring.js';
import { Query } from './constructs/query.js';
import { VisitQueue } from './constructs/queue.js';
import { Storage } from './constructs/storage.js';
import { WebsiteHosting } from './constructs/website-hosting.js';
import { CustomResourceTimeouts } from './custom-resource-timeouts.js';
import { localstackOutputs } from './localstack/outputs.js';
import { LogGroupsForEveryFunction } from './log-groups.js';
import { acknowledgeFindings } from './nag.js';
import { reservedConcurrency } from '../lambdas/core/settings.js';
import type { WebAssets } from './web-assets.js';

export interface AnalyticsStackProps extends StackProps {
  readonly config: StackConfig;
  readonly web: WebAssets;
}

/**
 * One stack composed of capability constructs that hand typed outputs to each other:
 * Storage ; VisitQueue -> Ingest (API routes, function) and Consume (consumer) ; Query ;
 * Hosting (+ demo org + content on AWS) ; Monitoring.
 *
 * The LocalStack target uses only what LocalStack's free plan deploys: no custom resource, no
 * Lambda layer, no CloudWatch dashboard (infra/localstack/free-plan-types.json lists the types
 * it may use). The demo org and the content are made after the deploy through the AWS SDK.
 */
export class AnalyticsStack extends Stack {
  readonly config: StackConfig;
  readonly storage: Storage;
  readonly api: HttpPublicApi | RestPublicApi;
  readonly visitQueue: VisitQueue;
  readonly ingest: Ingest;
  readonly consume: Consume;
  readonly query: Query;
  readonly archive: Archive;
  readonly hosting: HostingOutputs & Construct;
  readonly demoOrg?: DemoOrg;
  readonly content?: Content;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: AnalyticsStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    const removalPolicy = config.destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;

    this.storage = new Storage(this, 'Storage', { removalPolicy });
    const { tables } = this.storage;

    const api =
      config.target === 'aws'
        ? new HttpPublicApi(this, 'Api', { logRemovalPolicy: removalPolicy })
        : new RestPublicApi(this, 'Api', {
            logRemovalPolicy: removalPolicy,
            localstackHost: config.localstackHost,
          });
    this.api = api;

    this.visitQueue = new VisitQueue(this, 'VisitQueue');
    const reserved = config.reservedConcurrency ? reservedConcurrency : undefined;
    this.ingest = new Ingest(this, 'Ingest', {
      api,
      orgsTable: tables.orgs,
      queue: this.visitQueue.queue,
      clientLimit: config.clientLimit,
      reservedConcurrency: reserved?.ingest,
      // LocalStack's target keeps beacons on its REST API (the post-deploy step and site know that URL).
      functionUrl: config.target === 'aws',
    });
    const { beaconUrl } = this.ingest;
    this.consume = new Consume(this, 'Consume', {
      queue: this.visitQueue.queue,
      countersTable: tables.counters,
      visitsTable: tables.visits,
      reservedConcurrency: reserved?.consume,
    });
    this.query = new Query(this, 'Query', {
      api,
      orgsTable: tables.orgs,
      countersTable: tables.counters,
      visitsTable: tables.visits,
      reservedConcurrency: reserved?.query,
    });

    this.hosting =
      api instanceof HttpPublicApi
        ? new CdnHosting(this, 'Hosting', {
            apiDomainName: api.domainName,
            beaconUrl,
            removalPolicy,
            customDomains: config.customDomains,
            siteScriptHashes: inlineScriptHashes(props.web.siteDir),
            dashboardScriptHashes: inlineScriptHashes(props.web.dashboardDir),
            waf: config.waf,
          })
        : new WebsiteHosting(this, 'Hosting', {
            removalPolicy,
            localstackHost: config.localstackHost,
            apiUrl: api.url,
          });

    if (this.hosting instanceof WebsiteHosting) this.query.allowOrigin(this.hosting.dashboardOrigin);

    // The archive and its engine: Athena and Glue on AWS; on LocalStack's free plan (S3, no Athena
    // or Glue) the bucket and the archiver only, and filtered questions reach back 30 days.
    this.archive = new Archive(this, 'Archive', {
      removalPolicy,
      orgsTable: tables.orgs,
      visitsTable: tables.visits,
      countersTable: tables.counters,
      accessLogsBucket: this.hosting instanceof CdnHosting ? this.hosting.logBucket : undefined,
      engine: config.target === 'aws',
    });
    this.archive.bindEngine(this.query.appFunction.fn);

    // AWS: the demo org is a custom resource and BucketDeployments fill the buckets. LocalStack's
    // free plan runs neither, so there the post-deploy step does both through the AWS SDK.
    if (this.hosting instanceof CdnHosting) {
      let siteKey = config.siteKey;
      if (!siteKey) {
        this.demoOrg = new DemoOrg(this, 'DemoOrg', {
          orgsTable: tables.orgs,
          domains: this.hosting.siteDomain ? [this.hosting.siteDomain] : [],
        });
        siteKey = this.demoOrg.siteKey;
      }
      this.content = new Content(this, 'Content', {
        hosting: this.hosting,
        web: props.web,
        siteKey,
        trackerApiUrl: beaconUrl,
        dashboardApiUrl: this.hosting.dashboardApiUrl,
      });
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      api,
      queue: this.visitQueue.queue,
      deadLetterQueue: this.visitQueue.deadLetterQueue,
      functions: {
        Ingest: this.ingest.function,
        Consume: this.consume.function,
        Query: this.query.function,
        Archiver: this.archive.archiver.fn,
      },
      consumer: this.consume.function,
      archiver: this.archive.archiver.fn,
      alarmEmail: config.alarmEmail,
      // LocalStack's free plan has no AWS::CloudWatch::Dashboard.
      dashboard: config.monitoringDashboard && config.target === 'aws',
    });

    const output = (outputId: string, value: string, description: string) =>
      new CfnOutput(this, outputId, { value, description });
    output('DashboardUrl', this.hosting.dashboardUrl, 'The dashboard: sign in with an org read key');
    output('SiteUrl', this.hosting.siteUrl, 'The demo site, counted into the demo org');
    output('ApiUrl', api.url, 'The API: POST /visits, GET /visits');
    output('BeaconUrl', beaconUrl, 'Where tracker.js posts page views (data-api of the script tag)');
    output('TrackerUrl', this.hosting.trackerUrl, 'tracker.js');
    output(
      'TrackerSnippet',
      `<script defer src="${this.hosting.trackerUrl}" data-key="YOUR_SITE_KEY" data-api="${beaconUrl}"></script>`,
      'Paste into your pages; YOUR_SITE_KEY comes from: npm run org -- create --name <name> --domain <host>',
    );
    output('OrgsTableName', tables.orgs.tableName, 'Orgs and hashed keys (ORGS_TABLE for npm run org)');
    output('CountersTableName', tables.counters.tableName, 'Counters (COUNTERS_TABLE)');
    output('VisitsTableName', tables.visits.tableName, 'Raw visits ledger (VISITS_TABLE)');
    output(
      'ArchiveBucketName',
      this.archive.bucket.bucketName,
      'The Parquet archive (ARCHIVE_BUCKET for npm run org -- import)',
    );
    if (this.archive.workgroup)
      output(
        'AthenaWorkGroup',
        this.archive.workgroup.name,
        'Query the archive in the Athena console with this workgroup',
      );
    output('QueueUrl', this.visitQueue.queue.queueUrl, 'Visit queue (QUEUE_URL)');
    output(
      'DeadLetterQueueUrl',
      this.visitQueue.deadLetterQueue.queueUrl,
      'Visits that could not be counted',
    );
    output('AlarmTopicArn', this.monitoring.topic.topicArn, 'Every alarm notifies this SNS topic');
    output(
      'AlarmSubscribeCommand',
      `aws sns subscribe --topic-arn ${this.monitoring.topic.topicArn} --protocol email --notification-endpoint you@example.com`,
      config.alarmEmail
        ? `${config.alarmEmail} is subscribed (confirm the e-mail SNS sent); another address: run this`
        : 'No one receives the alarms yet: run this with your address, then confirm the e-mail SNS sends',
    );
    if (this.monitoring.dashboard) {
      output(
        'MonitoringDashboardUrl',
        `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.monitoring.dashboard.dashboardName}`,
        'CloudWatch dashboard',
      );
    }
    if (this.hosting instanceof WebsiteHosting) {
      output(
        localstackOutputs.siteBucket,
        this.hosting.siteBucket.bucketName,
        'The site website bucket (filled by the post-deploy step)',
      );
      output(
        localstackOutputs.dashboardBucket,
        this.hosting.dashboardBucket.bucketName,
        'The dashboard website bucket (filled by the post-deploy step)',
      );
      if (config.siteKey)
        output(localstackOutputs.siteKey, config.siteKey, 'The site key the demo site uses (-c siteKey)');
    }
    if (this.demoOrg) {
      output('DemoOrgId', this.demoOrg.orgId, 'The demo org; get a read key: npm run org -- add-key');
      output(
        'DemoSiteKey',
        this.demoOrg.siteKey,
        'The demo site key (public: it is in every page of the site)',
      );
    }

    Aspects.of(this).add(new CustomResourceTimeouts());
    Aspects.of(this).add(new LogGroupsForEveryFunction(removalPolicy));
    acknowledgeFindings(this);
  }
}
