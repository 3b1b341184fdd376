import { describe, expect, it } from 'vitest';
import userAgentEdges from '../../../test/fixtures/user-agent-edges.json';
import { browsers } from '../../../test/user-agents.js';
import { deviceOf } from './user-agent.js';

describe('deviceOf', () => {
  describe.each([
    ['chromeWindows', { browser: 'Chrome', os: 'Windows', device: 'desktop' }],
    ['safariIphone', { browser: 'Safari', os: 'iOS', device: 'mobile' }],
    ['safariIpad', { browser: 'Safari', os: 'iOS', device: 'tablet' }],
    ['safariMac', { browser: 'Safari', os: 'macOS', device: 'desktop' }],
    ['firefoxLinux', { browser: 'Firefox', os: 'Linux', device: 'desktop' }],
    ['edgeWindows', { browser: 'Edge', os: 'Windows', device: 'desktop' }],
    ['chromeAndroid', { browser: 'Chrome', os: 'Android', device: 'mobile' }],
    ['samsungAndroid', { browser: 'Samsung Internet', os: 'Android', device: 'mobile' }],
    ['operaWindows', { browser: 'Opera', os: 'Windows', device: 'desktop' }],
    ['chromeOs', { browser: 'Chrome', os: 'ChromeOS', device: 'desktop' }],
  ] as const)('for %s', (name, expected) => {
    it(`is ${expected.browser} on ${expected.os}, ${expected.device}`, () => {
      expect(deviceOf(browsers[name])).toEqual(expected);
    });
  });

  it('reads an Android tablet as a tablet', () => {
    const galaxyTab =
      'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(deviceOf(galaxyTab)).toEqual({ browser: 'Chrome', os: 'Android', device: 'tablet' });
  });

  it('names Chrome on an iPhone Chrome, on iOS', () => {
    const chromeIos =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1';
    expect(deviceOf(chromeIos)).toEqual({ browser: 'Chrome', os: 'iOS', device: 'mobile' });
  });

  // User-Agents of in-app browsers, apps and odd models, each with what it must read as.
  describe.each(userAgentEdges)('for $case', ({ userAgent, expected }) => {
    it(`is ${JSON.stringify(expected)}`, () => {
      expect(deviceOf(userAgent)).toEqual(expected);
    });
  });

  describe.each([[''], ['   '], ['hello'], ['curl/8.5.0']])('for %j', (userAgent) => {
    it('knows nothing', () => {
      expect(deviceOf(userAgent)).toEqual({});
    });
  });
});
