/**
 * `npm start`: the whole product on this machine, no Docker and no AWS account. Counts, and the
 * journal of visits not yet counted, are kept in .local-data/ across restarts. Ctrl-C, SIGTERM and
 * a closed terminal (SIGHUP) drain the queue and stop everything, Java included.
 *
 * Environment (all optional): PAGEVIEWS_DATA_DIR (default .local-data), API_PORT (8080),
 * SITE_PORT (3001), DASHBOARD_PORT (3000); 0 picks a free port; PAGEVIEWS_CLIENT_LIMIT
 * (`<views a second>/<burst>`, ingest's per-client limit, off by default here). The emulators take free ports;
 * `npm run org` and `npm run soak` find them in <data dir>/stack.json. With `--localstack [url]`
 * (local/localstack.ts) LocalStack's DynamoDB and SQS are used instead of the emulators.
 */
import { localPorts } from '../lambdas/core/settings.js';
import { RateLimitSyntaxError, parseRateLimit } from '../lambdas/core/domain/token-bucket.js';
import { DataDirInUseError, localDataDir, writeStackFile } from './data-dir.js';
import { JavaMissingError } from './emulators.js';
import {
  LocalStackFlagError,
  localStackEmulators,
  localStackFromArgs,
  localStackStartMessage,
} from './localstack.js';
import { PortInUseError, startLocalStack } from './stack.js';

// The SDK's notice about Node 20 support says nothing a local user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = (name: string, fallback: number) =>
  process.env[name] === undefined ? fallback : Number(process.env[name]);
const ports = {
  api: port('API_PORT', localPorts.api),
  site: port('SITE_PORT', localPorts.site),
  dashboard: port('DASHBOARD_PORT', localPorts.dashboard),
};

async function main(): Promise<void> {
  // --localstack [url]: LocalStack's DynamoDB and SQS instead of the embedded emulators.
  const localstack = localStackFromArgs(process.argv.slice(2));
  console.log(
    localstack
      ? localStackStartMessage(localstack.url)
      : 'Starting DynamoDB Local, the SQS emulator, the API, the site and the dashboard...',
  );
  const emulators = localstack ? await localStackEmulators(localstack.url) : undefined;
  const clientLimit = process.env.PAGEVIEWS_CLIENT_LIMIT;
  if (clientLimit) parseRateLimit(clientLimit, 'PAGEVIEWS_CLIENT_LIMIT'); // a typo fails here, with what is accepted
  const stack = await startLocalStack({ dataDir: localDataDir, ports, emulators, clientLimit });
  await writeStackFile({
    ...stack,
    urls: { api: stack.apiUrl, site: stack.siteUrl, dashboard: stack.dashboardUrl },
  });

  console.log(`
  Dashboard   ${stack.dashboardUrl}    (sign in with the read key below)
  Demo site   ${stack.siteUrl}    (every page view is counted)
  API         ${stack.apiUrl}/visits

  Demo org    ${stack.demo.orgId}
  Site key    ${stack.demo.siteKey}    (public: goes in the script tag)
  Read key    ${stack.demo.readKey}    (secret: reads the counts)

  Tracker snippet:
  <script defer src="${stack.siteUrl}/tracker.js" data-key="${stack.demo.siteKey}" data-api="${stack.apiUrl}"></script>

  Data folder ${localDataDir}
  More orgs and keys: ${process.env.PAGEVIEWS_DATA_DIR ? `PAGEVIEWS_DATA_DIR=${localDataDir} ` : ''}npm run org -- create --name "My site" --domain example.com
  Ctrl-C stops everything; the counts stay in the data folder.
`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: counting what is still queued, then stopping...`);
    await stack.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
}

// A closed terminal (SIGHUP) takes stdout with it: writing there must not crash the orderly stop.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

/** Errors whose message says all a user needs; anything else is a bug, shown with its stack. */
const explained = [
  JavaMissingError,
  PortInUseError,
  DataDirInUseError,
  LocalStackFlagError,
  RateLimitSyntaxError,
];

main().catch((error) => {
  console.error(explained.some((kind) => error instanceof kind) ? (error as Error).message : error);
  process.exit(1);
});
