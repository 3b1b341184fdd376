/**
 * The whole product on one machine: DynamoDB Local and the SQS emulator, the tables and queues
 * of the CDK stack, the real handlers behind a local API Gateway, a poller in place of Lambda's
 * event source mapping, the demo site and the dashboard. `npm start` runs it; the end-to-end
 * tests start it on free ports.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type OrgsDeps, createOrg, getOrg } from '../lambdas/core/store/orgs.js';
import { archive, envNames, localPorts, queueSettings } from '../lambdas/core/settings.js';
import { createApiListener } from './api-server.js';
import { type SqsHandler, lambdaContext, loadHandlers } from './lambda-runtime.js';
import { lockDataDir } from './data-dir.js';
import { startDurableQueueProxy } from './durable-queue.js';
import { bindHost, startDynamoLocal, startSqsEmulator } from './emulators.js';
import { type StackResources, createResources, handlerEnvironment } from './resources.js';
import { type Poller, type PollerEvent, startPoller } from './sqs-poller.js';

export interface LocalStackOptions {
  /**
   * Folder for DynamoDB Local's files, the queue journal and the demo org's keys; omitted:
   * everything in memory. One stack at a time may use a folder (a lock file says which).
   */
  dataDir?: string;
  /** 0 picks a free port. Defaults: the original service's ports (API 8080, site 3001, dashboard 3000). */
  ports?: { api?: number; site?: number; dashboard?: number };
  /** Ports for emulators the stack starts itself. Defaults: free ports. */
  emulatorPorts?: { dynamo?: number; sqs?: number };
  /** Use emulators that are already running (the test suite shares one of each). */
  emulators?: { dynamoEndpoint: string; sqsEndpoint: string };
  /** Put in front of every table and queue name, so several stacks can share emulators. */
  prefix?: string;
  serveSite?: boolean;
  serveDashboard?: boolean;
  quiet?: boolean;
  /** Shorter than in AWS for fault tests, so a failed message comes back in seconds. */
  visibilityTimeoutSeconds?: number;
  /** Wraps the consumer, so fault tests can make it fail in chosen ways. */
  wrapConsumer?: (handler: SqsHandler) => SqsHandler;
  throttle?: { rateLimitPerSecond: number; burstLimit: number };
  /**
   * Ingest's per-client limit, `<views a second>/<burst>`; unset, none: a laptop is one client,
   * and the load tests post from it. `npm start` takes it from PAGEVIEWS_CLIENT_LIMIT.
   */
  clientLimit?: string;
  onPollerEvent?: (event: PollerEvent) => void;
}

export interface LocalStack {
  apiUrl: string;
  siteUrl: string;
  dashboardUrl: string;
  demo: { orgId: string; siteKey: string; readKey: string };
  resources: StackResources;
  endpoints: { dynamo: string; sqs: string };
  /** The environment the handlers run with (tables, queue, endpoints). */
  env: Record<string, string>;
  doc: DynamoDBDocumentClient;
  sqs: SQSClient;
  /** The archive's folder (`<data folder>/archive`, or a temporary one without a data folder). */
  archiveDir: string;
  /** Runs the archiver now, as its schedule does (then the orgs' retention). */
  archive(): Promise<{ days: number; rows: number; removedDays: number }>;
  /** Waits until every queued visit has been counted. */
  drain(timeoutMs?: number): Promise<boolean>;
  /** Holds the consumer (visits stay queued) until releaseConsumer(): to measure ingest apart from it. */
  holdConsumer(): void;
  releaseConsumer(): void;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    return await start(options, cleanups, stopAll);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function start(
  options: LocalStackOptions,
  cleanups: (() => Promise<void>)[],
  stopAll: () => Promise<void>,
): Promise<LocalStack> {
  const log = options.quiet ? () => undefined : (line: string) => console.log(line);
  if (options.dataDir) {
    await mkdir(join(options.dataDir, 'dynamodb'), { recursive: true });
    const unlock = lockDataDir(options.dataDir);
    cleanups.push(async () => unlock());
  }

  const endpoints = options.emulators
    ? { dynamo: options.emulators.dynamoEndpoint, sqs: options.emulators.sqsEndpoint }
    : await startOwnEmulators(options, cleanups);
  // With a data folder, the queue is journalled there (durable-queue.ts): the handlers and the
  // poller talk to the journalling proxy, which takes the SQS port the stack was given.
  const queueProxy = options.dataDir
    ? await startDurableQueueProxy({
        upstream: endpoints.sqs,
        journalDir: options.dataDir,
        host: bindHost,
        port: options.emulatorPorts?.sqs,
      })
    : undefined;
  if (queueProxy) {
    cleanups.push(() => queueProxy.stop());
    endpoints.sqs = queueProxy.endpoint;
  }

  const awsEnv = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamo,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const clientConfig = {
    region: awsEnv.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const dynamo = new DynamoDBClient({ ...clientConfig, endpoint: endpoints.dynamo });
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ ...clientConfig, endpoint: endpoints.sqs, useQueueUrlAsEndpoint: false });

  const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? queueSettings.visibilityTimeoutSeconds;
  const resources = await createResources(dynamo, sqs, {
    prefix: options.prefix ?? '',
    visibilityTimeoutSeconds,
  });
  const replayed = await queueProxy?.replay([resources.queueUrl, resources.deadLetterQueueUrl]);
  if (replayed)
    log(
      `Queued again ${replayed} visit(s) accepted before the last stop and not yet confirmed counted (duplicates are dropped).`,
    );
  const ports = {
    api: localPorts.api,
    site: localPorts.site,
    dashboard: localPorts.dashboard,
    ...options.ports,
  };
  // The archive's Parquet files: in the data folder, or a temporary folder removed on stop.
  const archiveDir = options.dataDir
    ? join(options.dataDir, 'archive')
    : await mkdtemp(join(tmpdir(), 'archive-'));
  if (!options.dataDir) cleanups.push(() => rm(archiveDir, { recursive: true, force: true }));
  const env: Record<string, string> = {
    ...awsEnv,
    ...handlerEnvironment(resources),
    [envNames.archiveDir]: archiveDir,
    POWERTOOLS_SERVICE_NAME: 'pageviews-local',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // The consumer's metrics would print a JSON line per batch; CloudWatch is not here to read them.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    ...(options.clientLimit ? { [envNames.clientLimit]: options.clientLimit } : {}),
  };
  const handlers = await loadHandlers(env);

  const demo = await demoOrg({ doc, orgsTable: resources.orgsTable }, options.dataDir);

  // Listen first, so that the URLs (and the dashboard's origin, which the API allows) are known.
  const apiServer = createServer();
  const siteServer = createServer();
  const dashboardServer = createServer();
  const apiUrl = await listen(apiServer, ports.api, cleanups);
  const siteUrl = options.serveSite === false ? '' : await listen(siteServer, ports.site, cleanups);
  const dashboardUrl =
    options.serveDashboard === false ? '' : await listen(dashboardServer, ports.dashboard, cleanups);

  apiServer.on(
    'request',
    createApiListener({
      ingest: handlers.ingest,
      query: handlers.query,
      queryOrigins: dashboardUrl ? [dashboardUrl, dashboardUrl.replace('localhost', '127.0.0.1')] : [],
      ...options.throttle,
    }),
  );

  if (siteUrl) {
    const [{ buildTracker }, { createSiteHandler }] = await Promise.all([
      import('../tracker/build.js'),
      import('../site/server.js'),
    ]);
    const [tracker, fullTracker] = await Promise.all([buildTracker(), buildTracker({ full: true })]);
    siteServer.on(
      'request',
      createSiteHandler({
        siteKey: demo.siteKey,
        apiUrl,
        trackerCode: tracker.code,
        fullTrackerCode: fullTracker.code,
      }),
    );
  }
  if (dashboardUrl) {
    const { buildDashboard, createDashboardHandler } = await import('../dashboard/server.js');
    await buildDashboard();
    dashboardServer.on('request', createDashboardHandler({ apiUrl }));
  }

  const poller: Poller = startPoller({
    sqs,
    queueUrl: resources.queueUrl,
    deadLetterQueueUrl: resources.deadLetterQueueUrl,
    handler: options.wrapConsumer ? options.wrapConsumer(handlers.consume) : handlers.consume,
    batchSize: queueSettings.batchSize,
    // A batch is gathered while its first messages are invisible: AWS asks for a visibility timeout
    // of six times the function's plus the window. A fault test's one-second timeout shortens the
    // window with it, or messages would come back while their batch is still being gathered.
    batchingWindowSeconds: Math.min(queueSettings.batchingWindowSeconds, visibilityTimeoutSeconds / 2),
    onEvent: (event) => {
      options.onPollerEvent?.(event);
      if (event.type === 'dead-letters')
        log(
          `! ${event.count} message(s) in the dead-letter queue ${resources.deadLetterQueueUrl}: they failed ${queueSettings.maxReceiveCount} times.`,
        );
      if (event.type === 'batch' && event.error)
        log(`! consumer error: ${event.error} (the batch goes back to the queue)`);
    },
  });
  cleanups.push(async () => {
    // Take no more visits and answer those in flight, then let the queue empty. (What does not
    // drain in time is still in the journal, with a data folder, and is replayed on the next start.)
    await closeServer(apiServer, 5_000);
    await poller.drain(10_000);
    await poller.stop();
  });

  // The archiver's schedule (EventBridge on AWS): with a data folder (`npm start`), once at start
  // to catch up, then every so often. Tests without one run it when they choose (`archive()`).
  const runArchiver = () => handlers.archive({}, lambdaContext('archive'));
  if (options.dataDir) {
    const archiving = () =>
      runArchiver().catch((error: Error) =>
        log(`! archiver error: ${error.message} (it resumes on its next run)`),
      );
    let lastRun = archiving();
    const archiveTimer = setInterval(() => {
      lastRun = archiving();
    }, archive.everyMinutes * 60_000);
    archiveTimer.unref();
    cleanups.push(async () => {
      clearInterval(archiveTimer);
      await lastRun;
    });
  }

  return {
    apiUrl,
    siteUrl,
    dashboardUrl,
    demo,
    resources,
    endpoints,
    env,
    doc,
    sqs,
    archiveDir,
    archive: runArchiver,
    drain: (timeoutMs = 15_000) => poller.drain(timeoutMs),
    holdConsumer: () => poller.pause(),
    releaseConsumer: () => poller.resume(),
    stop: stopAll,
  };
}

async function startOwnEmulators(options: LocalStackOptions, cleanups: (() => Promise<void>)[]) {
  const [dynamo, sqs] = await Promise.allSettled([
    startDynamoLocal({
      port: options.emulatorPorts?.dynamo,
      ...(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}),
    }),
    // With a data folder the journalling proxy takes the given SQS port and the emulator any.
    startSqsEmulator({ port: options.dataDir ? undefined : options.emulatorPorts?.sqs }),
  ]);
  // Whichever started is stopped again if the other did not (say, Java is missing).
  for (const started of [dynamo, sqs])
    if (started.status === 'fulfilled') cleanups.push(() => started.value.stop());
  if (dynamo.status === 'rejected') throw dynamo.reason;
  if (sqs.status === 'rejected') throw sqs.reason;
  return { dynamo: dynamo.value.endpoint, sqs: sqs.value.endpoint };
}

/** The demo org: made on first start; with a data folder its keys are kept there for later starts. */
async function demoOrg(deps: OrgsDeps, dataDir: string | undefined) {
  const file = dataDir ? join(dataDir, 'demo-org.json') : undefined;
  if (file && existsSync(file)) {
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      orgId: string;
      siteKey: string;
      readKey: string;
    };
    if (await getOrg(deps, saved.orgId)) return saved;
  }
  const created = await createOrg(deps, { name: 'Demo' });
  if (file) await writeFile(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

async function listen(server: Server, port: number, cleanups: (() => Promise<void>)[]): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              `Port ${port} is in use: stop what runs there, or is another npm start still running?`,
            )
          : error,
      ),
    );
    server.listen(port, bindHost, resolve);
  });
  const { port: boundPort } = server.address() as AddressInfo;
  cleanups.push(() => closeServer(server, 0));
  return `http://localhost:${boundPort}`;
}

/** Stops listening, waits up to `graceMs` for requests in flight, then drops what is left. */
function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
