import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('says in one sentence how to install Java when it is missing', () => {
  // A PATH without java; node is started by its absolute path.
  const probe = `import('./local/emulators').then((m) => m.startDynamoLocal()).then(() => process.exit(0), (e) => { console.error(e.name + ': ' + e.message); process.exit(3); })`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', probe], {
    encoding: 'utf8',
    env: { ...process.env, PATH: '/nonexistent' },
  });

  expect(result.status).toBe(3);
  expect(result.stderr).toMatch(
    /^JavaMissingError: DynamoDB Local needs Java 17 or newer and no java was found on the PATH: install it \(Debian\/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless/m,
  );
});
