/**
 * `npm start`: the whole product on this machine, no Docker and no AWS account. Counts are kept
 * in .local-data/ across restarts. Ctrl-C drains the queue and stops everything, Java included.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JavaMissingError } from './emulators.js';
import { startLocalStack } from './stack.js';

// The SDK's notice about Node 20 support says nothing a local user can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const dataDir = join(import.meta.dirname, '..', '.local-data');
/** Fixed emulator ports, so `npm run org` finds the running stack. */
export const emulatorPorts = { dynamo: 8000, sqs: 9324 };

async function main(): Promise<void> {
  console.log('Starting DynamoDB Local, the SQS emulator, the API, the site and the dashboard...');
  const stack = await startLocalStack({ dataDir, emulatorPorts });
  await writeFile(join(dataDir, 'stack.json'), JSON.stringify({ endpoints: stack.endpoints, resources: stack.resources }, null, 2) + '\n');

  console.log(`
  Dashboard   ${stack.dashboardUrl}    (sign in with the read key below)
  Demo site   ${stack.siteUrl}    (every page view is counted)
  API         ${stack.apiUrl}/visits

  Demo org    ${stack.demo.orgId}
  Site key    ${stack.demo.siteKey}    (public: goes in the script tag)
  Read key    ${stack.demo.readKey}    (secret: reads the counts)

  Tracker snippet:
  <script defer src="${stack.siteUrl}/tracker.js" data-key="${stack.demo.siteKey}" data-api="${stack.apiUrl}"></script>

  More orgs and keys: npm run org -- create --name "My site" --domain example.com
  Ctrl-C stops everything; the counts stay in .local-data/.
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
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof JavaMissingError ? error.message : error);
  process.exit(1);
});
