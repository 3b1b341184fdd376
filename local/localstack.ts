/**
 * `npm start -- --localstack [url]`: the local stack on a LocalStack that is already running.
 * Its DynamoDB and SQS replace the embedded DynamoDB Local and SQS emulator: the tables and
 * queues are created there (same names and settings as always), so they can be inspected with
 * `awslocal` and live as long as LocalStack keeps them. The local API, the poller, the site and
 * the dashboard run here as they always do. The local stack keeps nothing in S3 (this process
 * serves the site and the dashboard), so there is nothing to move to LocalStack's S3; the
 * deployed LocalStack target (`npm run deploy:local`) is the one that hosts them there.
 */

/** LocalStack's default edge URL. */
export const defaultLocalStackUrl = 'http://localhost:4566';

export class LocalStackFlagError extends Error {
  override name = 'LocalStackFlagError';
}

/**
 * Reads `--localstack [url]` (or `--localstack=url`) from npm start's arguments; undefined when
 * the flag is absent. The URL is optional: a following argument that starts with `-` is not it.
 */
export function localStackFromArgs(argv: string[]): { url: string } | undefined {
  const index = argv.findIndex((arg) => arg === '--localstack' || arg.startsWith('--localstack='));
  if (index === -1) return undefined;
  const flag = argv[index]!;
  const next = argv[index + 1];
  const given = flag.includes('=')
    ? flag.slice(flag.indexOf('=') + 1)
    : next && !next.startsWith('-')
      ? next
      : undefined;
  const url = given ?? defaultLocalStackUrl;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new LocalStackFlagError(
      `--localstack takes LocalStack's URL, such as ${defaultLocalStackUrl}; "${url}" is not an http(s) URL.`,
    );
  }
  return { url: url.replace(/\/+$/, '') };
}

/** The first line `npm start` prints in this mode. */
export function localStackStartMessage(url: string): string {
  return `Using LocalStack at ${url} for DynamoDB and SQS; starting the API, the site and the dashboard...`;
}

/**
 * Checks that something answers at the URL, then returns what startLocalStack needs to use it
 * instead of starting its own emulators: one endpoint for both services, as LocalStack serves.
 */
export async function localStackEmulators(
  url: string,
): Promise<{ dynamoEndpoint: string; sqsEndpoint: string }> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch {
    throw new LocalStackFlagError(
      `Nothing answers at ${url}: start LocalStack first (localstack start), or give its URL: npm start -- --localstack http://<host>:4566`,
    );
  }
  return { dynamoEndpoint: url, sqsEndpoint: url };
}
