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

  describe.each(Object.entries(browsers))('for the browser %s', (_name, userAgent) => {
    it('is not a bot', () => {
      expect(isBotUserAgent(userAgent)).toBe(false);
    });
  });
});
