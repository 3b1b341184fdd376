import { describe, expect, it } from 'vitest';
import { bots, browsers } from '../../../test/user-agents.js';
import { isBotUserAgent } from './bots.js';

describe('isBotUserAgent', () => {
  describe.each(Object.entries(bots))('for the crawler or script %s', (_name, userAgent) => {
    it('is a bot', () => {
      expect(isBotUserAgent(userAgent)).toBe(true);
    });
  });

  describe.each([
    ['undefined', undefined],
    ['blank', '   '],
  ])('for a %s User-Agent', (_name, userAgent) => {
    it('is a bot', () => {
      expect(isBotUserAgent(userAgent)).toBe(true);
    });
  });

  const chrome =
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36';
  describe.each([
    ['GTmetrix', `${chrome} GTmetrix`],
    ['Site24x7', `${chrome} Site24x7`],
    ['Yellow Lab Tools', `${chrome} Yellow Lab Tools`],
    ['Yellow Lab Tools (YLT)', `${chrome} YLT`],
    ['WebPageTest', `${chrome} PTST/231115.150811`],
    ['DebugBear', `${chrome} DebugBear`],
    ['Checkly', `${chrome} Checkly/1.0`],
    ['Lighthouse', `${chrome} Chrome-Lighthouse`],
  ])('for the site-speed or monitoring tool %s, which drives a real Chrome', (_name, userAgent) => {
    it('is a bot', () => {
      expect(isBotUserAgent(userAgent)).toBe(true);
    });
  });

  describe.each(Object.entries(browsers))('for the browser %s', (_name, userAgent) => {
    it('is not a bot', () => {
      expect(isBotUserAgent(userAgent)).toBe(false);
    });
  });
});
