/**
 * What every dashboard test in Chromium shares: the real local stack serving the dashboard (on
 * the suite's emulators, free ports, its own tables), Chromium, and no page error left unseen.
 * Call it at the top of a test file; its hooks run before the file's own.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import { launchChromium } from '../test/chromium.js';

export interface DashboardHarness {
  stack: LocalStack;
  browser: Browser;
  /** Records the page's errors; each test fails if any page it watched threw. */
  watch(page: Page): Page;
}

export function dashboardHarness(name: string, options: { serveSite?: boolean } = {}): DashboardHarness {
  const pageErrors: string[] = [];
  const harness = {
    stack: undefined as unknown as LocalStack,
    browser: undefined as unknown as Browser,
    watch(page: Page) {
      page.on('pageerror', (error) => pageErrors.push(error.message));
      return page;
    },
  };
  beforeAll(async () => {
    [harness.stack, harness.browser] = await Promise.all([
      startLocalStack({
        ports: { api: 0, site: 0, dashboard: 0 },
        emulators: { dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint') },
        prefix: `${name}-${randomUUID().slice(0, 6)}-`,
        serveSite: options.serveSite ?? false,
        quiet: true,
      }),
      launchChromium(),
    ]);
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await Promise.all([harness.browser?.close(), harness.stack?.stop()]);
  });
  return harness;
}
