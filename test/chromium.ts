/**
 * Real Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core
 * (`npx playwright install` cannot download here). Outside lookups are disabled, so a test can
 * only reach servers on this machine: 127.0.0.1, and localhost, which the local stack's URLs use.
 */
import { browserUserAgent } from '../lambdas/core/settings.js';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // HeadlessChrome names itself in its User-Agent, which is counted as a bot: look like the desktop browser it is.
  `--user-agent=${browserUserAgent}`,
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}
