import { describe, expect, it } from 'vitest';
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

  describe.each([
    [
      'the Pinterest app itself: no browser, not a fragment of its User-Agent',
      'Pinterest/3356 CFNetwork/1410.0.3 Darwin/22.6.0',
      { browser: 'Pinterest (in-app)' },
    ],
    [
      "Pinterest's in-app browser on iOS",
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]',
      { browser: 'Pinterest (in-app)', os: 'iOS', device: 'mobile' },
    ],
    [
      "Instagram's in-app browser on iOS",
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 309.1.1.28.108 (iPhone13,2; iOS 17_1_2; en_US; en; scale=3.00; 1170x2532; 541635890)',
      { browser: 'Instagram (in-app)', os: 'iOS', device: 'mobile' },
    ],
    [
      "Instagram's in-app browser on Android, the same name",
      'Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 Instagram 309.0.0.40.113 Android (33/13; 450dpi; 1080x2177; samsung; SM-A536B; a53x; s5e8825; en_GB; 541635863)',
      { browser: 'Instagram (in-app)', os: 'Android', device: 'mobile' },
    ],
    [
      "Facebook's in-app browser on iOS",
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.1.2;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0]',
      { browser: 'Facebook (in-app)', os: 'iOS', device: 'mobile' },
    ],
    [
      "Facebook's in-app browser on Android, the same name",
      'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.0.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/438.0.0.33.118;]',
      { browser: 'Facebook (in-app)', os: 'Android', device: 'mobile' },
    ],
    [
      'an Android model whose name contains "iPad" (KLIPAD_V355B): Android, not iOS',
      'Mozilla/5.0 (Linux; Android 9; KLIPAD_V355B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36',
      { browser: 'Chrome', os: 'Android', device: 'tablet' },
    ],
    [
      'a Galaxy Tab that sends a Mobile token: a tablet, as its model says',
      'Mozilla/5.0 (Linux; Android 12; SM-T225) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36',
      { browser: 'Chrome', os: 'Android', device: 'tablet' },
    ],
    [
      'a Lenovo Tab that sends a Mobile token: a tablet',
      'Mozilla/5.0 (Linux; Android 11; Lenovo TB-8506F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36',
      { browser: 'Chrome', os: 'Android', device: 'tablet' },
    ],
    [
      'a Galaxy phone: still a phone',
      'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36',
      { browser: 'Chrome', os: 'Android', device: 'mobile' },
    ],
  ] as const)('for %s', (_case, userAgent, expected) => {
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
