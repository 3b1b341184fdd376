/**
 * One AWS service spoken in its JSON protocol (`X-Amz-Target`, `application/x-amz-json-1.0`:
 * DynamoDB, and SQS since 2023) over node:http(s), signed with SigV4, with what the AWS SDK's
 * standard mode does that ingest relies on: keep-alive connections, up to 3 attempts with
 * exponential backoff and full jitter on throttling, 5xx and dropped connections, a retry quota
 * so that a failing service is not hammered, and errors named by the service's error code (an
 * SDK error's `name`), so the logic above tells them apart the same way.
 */
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { type Credentials, signRequest } from './sigv4.js';

export interface JsonServiceConfig {
  /** The signing name: `dynamodb`, `sqs`. */
  service: string;
  /** `DynamoDB_20120810`, `AmazonSQS`: the target is `<prefix>.<Action>`. */
  targetPrefix: string;
  endpoint: URL;
  region: string;
  credentials: Credentials;
  /** Attempts per call, the first included (the SDK's default: 3). */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => Date;
}

/** A service's refusal or failure, shaped as the SDK shapes its errors. */
export class AwsServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: {
    httpStatusCode?: number;
    requestId?: string;
    attempts: number;
    totalRetryDelay: number;
  };
  constructor(
    name: string,
    message: string,
    fault: 'client' | 'server',
    metadata: AwsServiceError['$metadata'],
  ) {
    super(message);
    this.name = name;
    this.$fault = fault;
    this.$metadata = metadata;
  }
}

// The SDK's lists (@smithy/service-error-classification): codes it backs off from and retries.
const throttlingCodes = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const transientCodes = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const transientStatuses = new Set([500, 502, 503, 504]);
const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

const baseDelayMs = 100;
const throttledBaseDelayMs = 500;
const maxDelayMs = 20_000;
// The retry quota (the SDK's standard mode): a retry spends tokens, a success without one gives one back.
const quotaTokens = 500;
const retryCost = 5;
const timeoutRetryCost = 10;

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

export type JsonCall = (action: string, input: object) => Promise<Record<string, unknown>>;

/** `call(action, input)`: the action's output, or an AwsServiceError once retries are spent. */
export function createJsonService(config: JsonServiceConfig): JsonCall {
  const secure = config.endpoint.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  // Keep-alive, as the SDK's handler: a warm function reuses its TLS connections.
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: 50 })
    : new HttpAgent({ keepAlive: true, maxSockets: 50 });
  const maxAttempts = config.maxAttempts ?? 3;
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = config.random ?? Math.random;
  const now = config.now ?? (() => new Date());
  const contentType = 'application/x-amz-json-1.0';
  let quota = quotaTokens;

  function exchange(action: string, body: string): Promise<Answer> {
    const headers = signRequest(
      {
        method: 'POST',
        url: config.endpoint,
        headers: { 'content-type': contentType, 'x-amz-target': `${config.targetPrefix}.${action}` },
        body,
      },
      config,
      now(),
    );
    return new Promise((resolve, reject) => {
      const req = send(
        config.endpoint,
        { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  return async function call(action, input) {
    const body = JSON.stringify(input);
    let totalRetryDelay = 0;
    let lastCost = 0;
    for (let attempt = 1; ; attempt++) {
      let error: AwsServiceError;
      let cost = retryCost;
      let throttled = false;
      try {
        const answer = await exchange(action, body);
        if (answer.status >= 200 && answer.status < 300) {
          // A success gives back its last retry's tokens, or one token when it needed none.
          quota = Math.min(quotaTokens, quota + (lastCost || 1));
          return answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : {};
        }
        error = serviceError(answer, attempt, totalRetryDelay);
        throttled = answer.status === 429 || throttlingCodes.has(error.name);
        const retryable =
          throttled ||
          transientCodes.has(error.name) ||
          transientStatuses.has(answer.status) ||
          answer.status >= 500;
        if (!retryable) throw error;
      } catch (thrown) {
        if (thrown instanceof AwsServiceError) throw thrown;
        const code = (thrown as NodeJS.ErrnoException).code ?? '';
        if (!networkCodes.has(code)) throw thrown;
        if (code === 'ETIMEDOUT') cost = timeoutRetryCost;
        error = new AwsServiceError(code, (thrown as Error).message, 'client', {
          attempts: attempt,
          totalRetryDelay,
        });
      }
      if (attempt >= maxAttempts || quota < cost) throw error;
      quota -= cost;
      lastCost = cost;
      const delay = Math.floor(
        Math.min(maxDelayMs, random() * 2 ** attempt * (throttled ? throttledBaseDelayMs : baseDelayMs)),
      );
      totalRetryDelay += delay;
      await sleep(delay);
    }
  };
}

/** The error an answer carries: its code from `__type` (`com.amazonaws.dynamodb.v20120810#Code`) or the header. */
function serviceError(answer: Answer, attempts: number, totalRetryDelay: number): AwsServiceError {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = answer.body ? JSON.parse(answer.body) : {};
  } catch {
    // A proxy's HTML page, say: the status alone tells what happened.
  }
  const header = String(answer.headers['x-amzn-errortype'] ?? '').split(':')[0];
  const type = String(parsed.__type ?? parsed.code ?? header ?? '');
  const name = type.split('#').pop() || `Http${answer.status}`;
  const message = String(parsed.message ?? parsed.Message ?? `${name} (HTTP ${answer.status})`);
  const requestId = answer.headers['x-amzn-requestid'] as string | undefined;
  return new AwsServiceError(name, message, answer.status >= 500 ? 'server' : 'client', {
    httpStatusCode: answer.status,
    ...(requestId ? { requestId } : {}),
    attempts,
    totalRetryDelay,
  });
}

/** The region, credentials and endpoint of a service from the environment, as the SDK reads them in Lambda. */
export function serviceEnvironment(
  endpointName: string,
  host: string,
  env: NodeJS.ProcessEnv = process.env,
): Pick<JsonServiceConfig, 'endpoint' | 'region' | 'credentials'> {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('Environment variable AWS_REGION is required but not set');
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw new Error(
      'Environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are required (Lambda sets them from the role)',
    );
  const override = env[`AWS_ENDPOINT_URL_${endpointName}`] ?? env.AWS_ENDPOINT_URL;
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return {
    region,
    credentials: {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    },
    endpoint: new URL(override ?? `https://${host}.${region}.${domain}`),
  };
}
