/**
 * Page names in real Chromium at phone width, against the real local stack: hash routes and
 * non-ASCII paths on an international domain, each told apart and written as people write them.
 * The screenshot goes to test-artifacts/dashboard-page-names-phone.png.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../local/stack.js';
import { launchChromium } from '../test/chromium.js';

const host = 'https://xn--mnchen-3ya.test'; // münchen.test
const pages = [
  '/',
  '/#/route',
  '/#!/route',
  '/caf%C3%A9',
  '/%F0%9F%8E%89',
  '/%D9%85%D8%B1%D8%AD%D8%A8%D8%A7',
];
let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startLocalStack({
    ports: { api: 0, site: 0, dashboard: 0 },
    emulators: { dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint') },
    prefix: `names-${randomUUID().slice(0, 6)}-`,
    serveSite: false,
    quiet: true,
  });
  browser = await launchChromium();
  await mkdir('test-artifacts', { recursive: true });
  for (const path of pages) {
    const response = await fetch(`${stack.apiUrl}/visits`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        'user-agent':
          'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36',
      },
      body: JSON.stringify({ key: stack.demo.siteKey, pageUrl: host + path, eventId: randomUUID() }),
    });
    expect(response.status).toBe(202);
  }
  expect(await stack.drain()).toBe(true);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('shows every page apart, decoded, with the host once, on a phone', async () => {
  const { body } = await fetch(`${stack.apiUrl}/visits?aggregation=day`, {
    headers: { authorization: `Bearer ${stack.demo.readKey}` },
  }).then(async (r) => ({ body: (await r.json()) as { data: Record<string, unknown> } }));
  const apiPages = Object.keys(body.data);
  expect(apiPages).toHaveLength(pages.length); // the API counts the routes apart

  const page = await browser.newPage({ viewport: { width: 375, height: 812 }, isMobile: true });
  await page.goto(`${stack.dashboardUrl}/`);
  await page.getByLabel('Read key').fill(stack.demo.readKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.locator('tr[data-page]').count(), { timeout: 20_000 }).toBe(pages.length);

  const labels = await page.locator('tr[data-page] th').allTextContents();
  expect(new Set(labels).size).toBe(pages.length);
  expect(labels.sort()).toEqual(['/', '/#!/route', '/#/route', '/café', '/مرحبا', '/🎉'].sort());
  expect(await page.locator('.pages-host').textContent()).toBe('münchen.test');

  // Each label is visible in full on the phone, not cut to the host.
  for (const th of await page.locator('tr[data-page] th').all()) {
    const { scrollWidth, clientWidth } = await th.evaluate((el) => ({
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  }
  await page.screenshot({ path: 'test-artifacts/dashboard-page-names-phone.png', fullPage: true });
  await page.close();
});
