import { defineConfig } from 'vitest/config';

/**
 * Two projects, told apart by the file name:
 * - `unit`: every `*.test.ts(x)` but the two kinds below. Plain Node (and jsdom for the
 *   dashboard's components): no emulator, no Java, no Chromium, no CDK synth. `npm run test:unit`.
 * - `integration`: `*.int.test.ts` (the local stack, DynamoDB Local and the SQS emulator, Java, a
 *   CDK synth) and `*.e2e.test.ts` (real Chromium). One DynamoDB Local and one SQS emulator for
 *   the whole run (test/global-setup.ts); each file makes its own tables and queues under a
 *   unique prefix.
 * `npm test` runs both.
 */
const tests = '{lambdas,local,tracker,site,dashboard,infra,test,bench}/**/*';
const integrationTests = [`${tests}.int.test.{ts,tsx}`, `${tests}.e2e.test.{ts,tsx}`];
const exclude = ['**/node_modules/**', '**/dist/**', 'cdk.out*/**'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only make the JVM and Chromium fight for them.
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [`${tests}.test.{ts,tsx}`],
          exclude: [...exclude, ...integrationTests],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: integrationTests,
          exclude,
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
