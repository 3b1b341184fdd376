import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { StackConfig } from './config.js';
import { inlineScriptHashes } from './csp.js';
import { Consume } from './constructs/consume.js';
import { HttpPublicApi, RestPublicApi } from './constructs/api.js';
import { Content } from './constructs/content.js';
import { DemoOrg } from './constructs/demo-org.js';
import { CdnHosting, type HostingOutputs, WebsiteHosting } from './constructs/hosting.js';
import { Ingest } from './constructs/ingest.js';
import { Monitoring } from './constructs/monitoring.js';
import { Query } from './constructs/query.js';
import { Storage } from './constructs/storage.js';
import { acknowledgeFindings } from './nag.js';
import type { WebAssets } from './web-assets.js';

export interface AnalyticsStackProps extends StackProps {
  readonly config: StackConfig;
  readonly web: WebAssets;
}

/**
 * One stack composed of capability constructs that hand typed outputs to each other:
 * Storage -> Ingest (API route, function, queue) -> Consume (consumer) ; Query ;
 * Hosting (+ demo org + content) ; Monitoring.
 */
export class AnalyticsStack extends Stack {
  readonly config: StackConfig;
  readonly storage: Storage;
  readonly api: HttpPublicApi | RestPublicApi;
  readonly ingest: Ingest;
  readonly consume: Consume;
  readonly query: Query;
  readonly hosting: HostingOutputs & Construct;
  readonly demoOrg?: DemoOrg;
  readonly content: Content;
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
        : new RestPublicApi(this, 'Api', { logRemovalPolicy: removalPolicy, localstackHost: config.localstackHost });
    this.api = api;

    this.ingest = new Ingest(this, 'Ingest', { api, orgsTable: tables.orgs });
    this.consume = new Consume(this, 'Consume', {
      queue: this.ingest.queue,
      countersTable: tables.counters,
      visitsTable: tables.visits,
    });
    this.query = new Query(this, 'Query', { api, orgsTable: tables.orgs, countersTable: tables.counters });

    this.hosting =
      api instanceof HttpPublicApi
        ? new CdnHosting(this, 'Hosting', {
            apiDomainName: api.domainName,
            apiUrl: api.url,
            removalPolicy,
            customDomains: config.customDomains,
            siteScriptHashes: inlineScriptHashes(props.web.siteDir),
            dashboardScriptHashes: inlineScriptHashes(props.web.dashboardDir),
          })
        : new WebsiteHosting(this, 'Hosting', {
            removalPolicy,
            localstackHost: config.localstackHost,
            apiUrl: api.url,
          });

    if (this.hosting instanceof WebsiteHosting) this.query.allowOrigin(this.hosting.dashboardOrigin);

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
      trackerApiUrl: api.url,
      dashboardApiUrl: this.hosting.dashboardApiUrl,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      api,
      queue: this.ingest.queue,
      deadLetterQueue: this.ingest.deadLetterQueue,
      functions: {
        Ingest: this.ingest.function,
        Consume: this.consume.function,
        Query: this.query.function,
      },
      alarmEmail: config.alarmEmail,
    });

    const output = (outputId: string, value: string, description: string) =>
      new CfnOutput(this, outputId, { value, description });
    output('DashboardUrl', this.hosting.dashboardUrl, 'The dashboard: sign in with an org read key');
    output('SiteUrl', this.hosting.siteUrl, 'The demo site, counted into the demo org');
    output('ApiUrl', api.url, 'The API: POST /visits, GET /visits');
    output('TrackerUrl', this.hosting.trackerUrl, 'tracker.js');
    output(
      'TrackerSnippet',
      `<script defer src="${this.hosting.trackerUrl}" data-key="YOUR_SITE_KEY" data-api="${api.url}"></script>`,
      'Paste into your pages; YOUR_SITE_KEY comes from: npm run org -- create --name <name> --domain <host>',
    );
    output('OrgsTableName', tables.orgs.tableName, 'Orgs and hashed keys (ORGS_TABLE for npm run org)');
    output('CountersTableName', tables.counters.tableName, 'Counters (COUNTERS_TABLE)');
    output('VisitsTableName', tables.visits.tableName, 'Raw visits ledger (VISITS_TABLE)');
    output('QueueUrl', this.ingest.queue.queueUrl, 'Visit queue (QUEUE_URL)');
    output('DeadLetterQueueUrl', this.ingest.deadLetterQueue.queueUrl, 'Visits that could not be counted');
    output(
      'MonitoringDashboardUrl',
      `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.monitoring.dashboard.dashboardName}`,
      'CloudWatch dashboard',
    );
    if (this.demoOrg) {
      output('DemoOrgId', this.demoOrg.orgId, 'The demo org; get a read key: npm run org -- add-key');
      output('DemoSiteKey', this.demoOrg.siteKey, 'The demo site key (public: it is in every page of the site)');
    }

    acknowledgeFindings(this);
  }
}
