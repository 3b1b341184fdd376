import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{lambdas,local,tracker,site,dashboard,infra,test,bench}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', 'cdk.out*/**'],
    // One DynamoDB Local and one SQS emulator for the whole run; each test file makes its own
    // tables and queues under a unique prefix (test/global-setup.ts, local/emulators.ts).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only make the JVM and Chromium fight for them.
    maxWorkers: 2,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
