/**
 * The one place for settings that the CDK stack (infra/) and the embedded local stack (local/)
 * must agree on. Both import this module, so the queue the local poller emulates is the queue
 * the cloud deploys. Pure data: no AWS imports.
 */

/** The CloudFormation stack; `npm run org` finds a deployed stack's tables by this name. */
export const stackName = 'Pageviews';

/** The routes the ingest function answers, named for what they take in: a page view, or a custom event. */
export const writeRoutes = {
  pageviews: { method: 'POST', path: '/visits' },
  events: { method: 'POST', path: '/events' },
  engagement: { method: 'POST', path: '/engagement' },
} as const;

/** The routes the query function answers, named for the answer each serves (it reads the path to tell them apart). */
export const readRoutes = {
  visits: { method: 'GET', path: '/visits' },
  stats: { method: 'GET', path: '/stats' },
  breakdown: { method: 'GET', path: '/breakdown' },
  realtime: { method: 'GET', path: '/realtime' },
  site: { method: 'GET', path: '/site' },
  export: { method: 'GET', path: '/export' },
  funnel: { method: 'GET', path: '/funnel' },
  segments: { method: 'GET', path: '/segments' },
  funnels: { method: 'GET', path: '/funnels' },
} as const;

/**
 * The routes on which the owner changes the org's saved segments and funnels, answered by the
 * query function (GET /segments and /funnels, in readRoutes, list them): only the org's read key
 * may, never a share link.
 */
export const ownerRoutes = {
  saveSegment: { method: 'PUT', path: '/segments' },
  deleteSegment: { method: 'DELETE', path: '/segments' },
  saveFunnel: { method: 'PUT', path: '/funnels' },
  deleteFunnel: { method: 'DELETE', path: '/funnels' },
} as const;

/** The routes the query function answers: the reads, and the owner's changes to saved segments and funnels. */
export const queryRoutes = { ...readRoutes, ...ownerRoutes } as const;

/** Every route of the public API, by name. */
export const routes = { ...writeRoutes, ...queryRoutes } as const;

/** Names of resources, before a stack or test prefix is put in front. */
export const resourceNames = {
  orgsTable: 'Orgs',
  countersTable: 'Counters',
  visitsTable: 'Visits',
  queue: 'visits',
  deadLetterQueue: 'visits-dlq',
} as const;

/** Environment variables through which every handler finds its resources. */
export const envNames = {
  orgsTable: 'ORGS_TABLE',
  countersTable: 'COUNTERS_TABLE',
  visitsTable: 'VISITS_TABLE',
  queueUrl: 'QUEUE_URL',
  /** The archive's S3 bucket (AWS, LocalStack), or its folder (`npm start`, the bench): ARCHIVE_DIR wins when both are set. */
  archiveBucket: 'ARCHIVE_BUCKET',
  archiveDir: 'ARCHIVE_DIR',
  /** Athena's workgroup and the Glue database and table of the archive (AWS only). */
  athenaWorkgroup: 'ATHENA_WORKGROUP',
  archiveDatabase: 'ARCHIVE_DATABASE',
  archiveTable: 'ARCHIVE_TABLE',
  /** The origin the query function allows, where the API answers CORS through the function (the REST API of LocalStack). */
  corsAllowOrigin: 'CORS_ALLOW_ORIGIN',
  /** Ingest's per-client limit, `<views a second>/<burst>` (abuseLimits.perClient); unset: no per-client limit. */
  clientLimit: 'INGEST_CLIENT_LIMIT',
} as const;

/** CORS, the same in API Gateway (both flavours), the handlers and the local API server. */
export const cors = {
  /** Any page may send a beacon: which pages count is decided per org by its allowed domains. */
  beaconOrigin: '*',
  allowHeaders: ['content-type', 'x-api-key', 'authorization'],
  maxAgeSeconds: 86_400,
} as const;

/**
 * Resolved API keys stay cached this long in a warm function: a revoked key, a deleted org or a
 * changed domain list takes effect within it. Unknown keys are cached too, up to maxEntries.
 */
export const keyCache = { ttlMs: 60 * 1000, maxEntries: 10_000 } as const;

/** Buffered beacons are accepted this late; so a range is final (cacheable) only once it ended longer ago. */
export const lateViewMs = 24 * 60 * 60 * 1000;

/**
 * Daily salts (lambdas/core/store/salts.ts), kept this many days after their date's UTC midnight.
 * A local date ends up to 36 hours after it (UTC-12) and a view may arrive lateViewMs later: a
 * late view of any zone's day still hashes with that day's salt.
 */
export const salts = { keptDays: 3 } as const;

/** Every table has this string partition key and string sort key. */
export const tableKey = { partition: 'pk', sort: 'sk' } as const;

/** The time-to-live attribute on every table that expires items. */
export const ttlAttribute = 'expiresAt';

/**
 * 4 s, not 2: batches twice as large share their counter items over twice the views (with five
 * pollers 5.60 -> 4.08 WCU per view in `npm run bench`), and freshness stays within 5 s at p95.
 */
const batchingWindowSeconds = 4;
const consumerTimeoutSeconds = 30;

export const queueSettings = {
  /** Messages per consumer invocation. Large batches let one counter update cover many visits. */
  batchSize: 500,
  /** How long the event source gathers messages before invoking (seconds). Bounds freshness. */
  batchingWindowSeconds,
  /** Consumer timeout (seconds). */
  consumerTimeoutSeconds,
  /**
   * For an SQS event source AWS asks for at least six times the function timeout plus the
   * batching window (Lambda developer guide, "Configuring a queue to use with Lambda"), so a
   * batch is never handed out again while an invocation may still be working on it.
   */
  visibilityTimeoutSeconds: 6 * consumerTimeoutSeconds + batchingWindowSeconds,
  /** Deliveries before a message moves to the dead-letter queue. */
  maxReceiveCount: 5,
  /** Kept shorter than rawVisitRetentionDays so a redelivered message always finds its record. */
  retentionDays: 4,
  deadLetterRetentionDays: 14,
  /** Upper bound on concurrent consumers, which bounds the write rate on the counters table. */
  maxConcurrency: 5,
} as const;

export const retention = {
  /** Raw visit records: the exactly-once ledger and the source to rebuild counters from. */
  rawVisitDays: 30,
  /** Minute counters expire; hour and day counters are kept. */
  minuteCounterDays: 14,
} as const;

/**
 * The archive (lambdas/core/archive/): a day of a site is written to Parquet once it has closed,
 * its local midnight plus the late-view window plus what may still sit in the queue.
 */
export const archive = {
  /** `visits/org=<id>/day=<YYYY-MM-DD>/part-0.parquet`: Hive-style, as the Glue table's partition projection and DuckDB read it. */
  rowsPrefix: 'visits',
  /** `visit-pages/org=<id>/day=<YYYY-MM-DD>/part-0.parquet`: the day's visits, one row per page of each (core/archive/visits.ts). */
  visitPagesPrefix: 'visit-pages',
  /** The Glue tables over the two prefixes (AWS). */
  tables: { rows: 'visits', visitPages: 'visit_pages' },
  /** `progress/org=<id>.json`: the last day archived, so a failed run resumes after it. */
  progressPrefix: 'progress',
  closeDelayMs: lateViewMs + 15 * 60_000,
  /** How often the archiver runs (EventBridge on AWS, a timer in `npm start`). */
  everyMinutes: 60,
  /** The earliest day the archive and the Glue table's partition projection know; retention looks no further back. */
  firstDay: '2020-01-01',
} as const;

/**
 * An org's own retention (`npm run org -- set --retention <months>`): the archiver removes its
 * days older than that from the archive, the counters and the visitor-days (lambdas/archive/retention.ts).
 */
export const orgRetention = {
  minMonths: 1,
  maxMonths: 1200,
  /**
   * Work per org and run at most, an item deleted or a Query that found nothing counting one: a
   * long history goes over several hourly runs, each well inside the archiver's timeout.
   */
  workPerRun: 10_000,
} as const;

export const visitorModel = {
  /**
   * Views kept per visitor-day (lambdas/core/store/visitor-days.ts). Past it, a view still counts
   * as a page view, in no visit: a runaway client cannot grow one item (billed per KB on every
   * write) without bound.
   */
  maxViewsPerDay: 100,
  /**
   * Past maxViewsPerDay, the first event of each name is still kept, up to this many: so the
   * visitor counts among those who did it (goal visitors, conversion) and its visit is engaged.
   */
  maxEventNamesPastCap: 10,
  /**
   * Characters of event properties (as JSON) kept per visitor-day, so the item stays far from
   * DynamoDB's 400 KB: an event past it counts as an event in no visit, without its properties.
   */
  maxPropsCharsPerDay: 131_072,
  /** A visitor-day's new views planned at once: with their ledger records and counters they always fit in one 100-action transaction. */
  maxViewsPerPlan: 12,
  /** Tries per chunk (throttling, conflicts) before its messages go back to the queue. */
  maxCommitAttempts: 4,
} as const;

export const ingestLimits = {
  /** Request bodies over this many bytes are refused with 413. */
  maxBodyBytes: 4096,
  /** POST /events: room for 30 properties of 2,000 characters (event-props.ts), under SQS's 256 KB once queued. */
  maxEventBodyBytes: 65_536,
  maxUrlLength: 2048,
  maxIdentifierLength: 128,
  /** Late or buffered beacons are accepted for this long. */
  maxPastMs: lateViewMs,
  /** Clock skew allowance. */
  maxFutureMs: 5 * 60 * 1000,
} as const;

/** The widest range a query may span, per aggregation, in buckets of that aggregation. */
/**
 * The years a read range may name. Nothing older can have been counted, and the zone arithmetic
 * of far years breaks (Intl writes year 999 as "999", and Date.UTC takes 0-99 as 1900-1999): a
 * range outside is a 400 that names these bounds, never a 500.
 */
export const queryDates = { firstYear: 2000, lastYear: 2999 } as const;

export const queryLimits = {
  minute: { maxBuckets: 24 * 60, label: '24 hours' },
  hour: { maxBuckets: 31 * 24, label: '31 days' },
  day: { maxBuckets: 400, label: '400 days' },
  month: { maxBuckets: 36, label: '36 months' },
} as const;

/**
 * Throttling at the API, enforced by API Gateway in AWS and by local/ on one machine. The stage's
 * numbers hold for the POST routes (beacons); the GET routes (the dashboard's reads) have their
 * own, so a flood of posts cannot spend the reads' share.
 */
export const throttling = {
  rateLimitPerSecond: 1000,
  burstLimit: 2000,
  reads: { rateLimitPerSecond: 200, burstLimit: 400 },
} as const;

/**
 * Abuse limits inside the ingest logic (lambdas/ingest/), so they hold on whatever path a request
 * takes to ingest. A site key is public: anyone can post with it.
 */
export const abuseLimits = {
  /**
   * Accepted views (page views, events and bot views) per org per day of the site's zone, unless
   * the org sets its own (`npm run org -- set --org <id> --daily-limit <n>`): past it, 429.
   */
  defaultDailyViews: 1_000_000,
  /**
   * How often a warm ingest function adds its accepted views to the org's count of the day
   * (one DynamoDB update): after this many views, or this long after its last look, whichever
   * comes first. Past the limit, an org can overshoot by at most one batch per running instance.
   */
  dailyUsageFlush: { views: 100, ms: 60_000 },
  /** Usage items expire this long after their day (kept a little for `org list`). */
  dailyUsageKeptDays: 3,
  /**
   * Per client (source IP + User-Agent), per warm function: a token bucket. On in AWS (this
   * default, or `-c clientLimit=<rate>/<burst>|off`); off in `npm start` unless
   * PAGEVIEWS_CLIENT_LIMIT is set, since a laptop is one client and the load tests post from it.
   */
  perClient: { ratePerSecond: 5, burst: 60 },
  /** Clients remembered per warm function; past it the memory is cleared (a flood of addresses cannot grow it). */
  maxClientsTracked: 20_000,
} as const;

/**
 * The optional WAF (`-c waf=true`, infra/constructs/waf.ts): an IP past this many requests in
 * five minutes is blocked at CloudFront. An open dashboard asks about 4 requests every 5 s (240
 * in five minutes); a person browsing the site far fewer, so many people behind one address fit.
 */
export const wafSettings = { requestsPerIpPer5Minutes: 3000 } as const;

/**
 * Reserved concurrency per function (AWS target; `-c reservedConcurrency=false` leaves it out
 * for accounts whose concurrency quota is below 100 + their sum). The consumer's equals the
 * event source's maximum concurrency, so a burst of ingest can never take its instances and no
 * delivery is throttled (a throttled delivery counts toward the receives before the DLQ); the
 * query keeps the dashboard answering; ingest's is a ceiling on what a flood can spend.
 */
export const reservedConcurrency = {
  ingest: 100,
  consume: queueSettings.maxConcurrency,
  query: 20,
} as const;

/**
 * Custom metrics the consumer publishes (CloudWatch embedded metric format), with the dimension
 * `service` = the function's POWERTOOLS_SERVICE_NAME. The monitoring construct graphs them.
 */
export const consumerMetrics = {
  namespace: 'Pageviews',
  service: 'consume',
  names: {
    counted: 'VisitsCounted',
    duplicates: 'DuplicatesDropped',
    malformed: 'MalformedMessages',
    retried: 'MessagesRetried',
  },
} as const;

/**
 * What ingest publishes (embedded metric format, only when it refuses a request): views refused
 * by an org's daily limit and by the per-client limit. An alarm watches the first.
 */
export const ingestMetrics = {
  namespace: 'Pageviews',
  service: 'ingest',
  names: { dailyLimit: 'ViewsRefusedDailyLimit', clientLimit: 'ViewsRefusedClientLimit' },
} as const;

/** Ports of the embedded local stack, as in the original service. */
export const localPorts = {
  dashboard: 3000,
  site: 3001,
  api: 8080,
} as const;

/**
 * A desktop browser's User-Agent, for the clients of this project that post as a visitor would
 * (the soak test, the benchmark, headless Chromium in tests): Node's and HeadlessChrome's own are
 * counted as bots, not page views.
 */
export const browserUserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
