/**
 * 7. Cost per 1M page views on AWS, from the measured write units and bundle sizes, and a
 * documented price table. Where a figure cannot be measured on one laptop (a Lambda's duration
 * in AWS), the assumption is stated next to it.
 */
export const prices = {
  region: 'us-east-1',
  asOf: '2026-11-25 (list prices as published on aws.amazon.com/*/pricing; not re-checked online from this machine)',
  httpApiPerMillion: 1.0,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  sqsPerMillionRequests: 0.4,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  cloudFrontPer10kHttpsRequests: 0.01,
  cloudFrontPerGbOut: 0.085,
  cloudWatchLogsPerGbIngested: 0.5,
} as const;

export const assumptions = {
  /** Ingest: key and salt cached in a warm function, one SendMessage (~10 ms in region). */
  ingestMs: 15,
  ingestMemoryGb: 0.5,
  /** Consumer: per TransactWriteItems of up to 100 actions in AWS, plus the batch's own work. */
  msPerTransaction: 25,
  consumerOverheadMs: 10,
  consumerMemoryGb: 1,
  /** One tracker.js download per this many page views (cached by the browser and CloudFront). */
  pageViewsPerTrackerRequest: 5,
  /** Response headers and TLS framing on top of the gzip body. */
  trackerOverheadBytes: 500,
  /** Dashboard reads per 1M page views, and the counters each reads. */
  queriesPerMillion: 1000,
  itemsPerQuery: 500,
  counterItemBytes: 130,
  /** Raw visit records are kept 30 days: storage billed for a month. */
  rawVisitRetentionMonths: 1,
  /** Lambda's START / END / REPORT platform lines per invocation. */
  logBytesPerInvocation: 350,
} as const;

export interface CostInputs {
  shape: string;
  wcuPerVisit: number;
  /** The consumer's strongly consistent reads of visitor-days. */
  rcuPerVisit: number;
  meanBatch: number;
  transactionsPerBatch: number;
  rawVisitBytes: number;
  trackerGzipBytes: number;
  /** Requests and queue messages per page view: 2 with tracker.full.js (the view, then its engagement). */
  messagesPerVisit?: number;
}

export interface CostLine {
  item: string;
  basis: string;
  dollars: number;
}

export interface CostResult {
  shape: string;
  lines: CostLine[];
  total: number;
}

const M = 1_000_000;

export function costPerMillion(inputs: CostInputs): CostResult {
  const p = prices;
  const a = assumptions;
  const messages = M * (inputs.messagesPerVisit ?? 1);
  const perView = messages / M;
  const batches = messages / inputs.meanBatch;
  const consumerMs = inputs.transactionsPerBatch * a.msPerTransaction + a.consumerOverheadMs;
  const sqsCallsPerBatch = 2 * Math.ceil(inputs.meanBatch / 10);
  const trackerRequests = M / a.pageViewsPerTrackerRequest;
  const readUnitsPerQuery = Math.ceil((a.itemsPerQuery * a.counterItemBytes) / 4096) * 0.5;
  const lines: CostLine[] = [
    {
      item: 'Beacon endpoint',
      basis: `${perView === 1 ? '1 POST /visits' : `${perView} POSTs (/visits, /engagement)`} per page view to the ingest function URL: no request price (through the HTTP API it would be $${(perView * p.httpApiPerMillion).toFixed(2)})`,
      dollars: 0,
    },
    {
      item: 'Lambda ingest',
      basis: `${perView}M requests + ${perView}M x ${a.ingestMs} ms x ${a.ingestMemoryGb} GB (duration assumed)`,
      dollars:
        perView * p.lambdaPerMillionRequests +
        (messages * a.ingestMs * a.ingestMemoryGb * p.lambdaArmPerGbSecond) / 1000,
    },
    {
      item: 'SQS',
      basis: `${perView} SendMessage per visit + ${sqsCallsPerBatch} Receive/DeleteMessageBatch calls (10 messages each) per batch of ${inputs.meanBatch.toFixed(0)}`,
      dollars: ((messages + batches * sqsCallsPerBatch) / M) * p.sqsPerMillionRequests,
    },
    {
      item: 'Lambda consume',
      basis: `${Math.round(batches)} batches x (${inputs.transactionsPerBatch.toFixed(1)} transactions x ${a.msPerTransaction} ms + ${a.consumerOverheadMs} ms) x ${a.consumerMemoryGb} GB (duration assumed)`,
      dollars:
        (batches / M) * p.lambdaPerMillionRequests +
        (batches * consumerMs * a.consumerMemoryGb * p.lambdaArmPerGbSecond) / 1000,
    },
    {
      item: 'DynamoDB writes',
      basis: `${inputs.wcuPerVisit.toFixed(2)} WCU per visit (measured, computed from item sizes)`,
      dollars: inputs.wcuPerVisit * p.dynamoPerMillionWriteUnits,
    },
    {
      item: 'DynamoDB consumer reads',
      basis: `${inputs.rcuPerVisit.toFixed(2)} RCU per visit: visitor-days read strongly consistent before each write (measured, from item sizes)`,
      dollars: inputs.rcuPerVisit * p.dynamoPerMillionReadUnits,
    },
    {
      item: 'DynamoDB storage',
      basis: `visitor-day items, at most ${inputs.rawVisitBytes.toFixed(0)} B (+100 B overhead) per view, kept ${a.rawVisitRetentionMonths} month`,
      dollars:
        ((M * (inputs.rawVisitBytes + 100)) / 1024 ** 3) *
        p.dynamoStoragePerGbMonth *
        a.rawVisitRetentionMonths,
    },
    {
      item: 'DynamoDB reads',
      basis: `${a.queriesPerMillion} dashboard queries x ${a.itemsPerQuery} counters (${readUnitsPerQuery} RRU each, assumed)`,
      dollars: (a.queriesPerMillion * readUnitsPerQuery * p.dynamoPerMillionReadUnits) / M,
    },
    {
      item: 'CloudFront tracker.js',
      basis: `${trackerRequests.toLocaleString('en-US')} requests (1 per ${a.pageViewsPerTrackerRequest} views) + ${inputs.trackerGzipBytes} B gzip + ${a.trackerOverheadBytes} B headers each`,
      dollars:
        (trackerRequests / 10_000) * p.cloudFrontPer10kHttpsRequests +
        ((trackerRequests * (inputs.trackerGzipBytes + a.trackerOverheadBytes)) / 1024 ** 3) *
          p.cloudFrontPerGbOut,
    },
    {
      item: 'CloudWatch Logs',
      basis: `Lambda platform lines, ${a.logBytesPerInvocation} B per consumer invocation (${Math.round(batches).toLocaleString('en-US')}); ingest's 1M are left out (JSON log format, system log level WARN)`,
      dollars: ((batches * a.logBytesPerInvocation) / 1024 ** 3) * p.cloudWatchLogsPerGbIngested,
    },
  ];
  return { shape: inputs.shape, lines, total: lines.reduce((sum, l) => sum + l.dollars, 0) };
}

/** The traffic shapes of section 1 that section 7 prices. */
export const pricedShapes: readonly string[] = [
  'trickle',
  'steady',
  'steady, visitor model only',
  'steady, engagement on',
  'steady, 5 pollers',
  'burst',
];

/** serverless-website-analytics' published worst case, per 1M page views. */
export const swaWorstCase = 10.18;
/**
 * The most 1M page views may cost, per traffic shape: issue 25's $4.00 with Lambda's five pollers
 * (what owners pay by default), $3.50 with one, $8.00 for a quiet site; issue 12's $5.00 for the
 * visitor model alone.
 */
export const costBudgets: Readonly<Record<string, number>> = {
  'steady, 5 pollers': 4,
  steady: 3.5,
  trickle: 8,
  'steady, visitor model only': 5,
};
/** The compass for every shape: what it would take is written in the report. */
export const costGoal = 3;
