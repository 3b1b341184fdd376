/**
 * Browser, OS and device type of a page view, parsed from its User-Agent at ingest; the
 * User-Agent itself is never stored. bowser (MIT) does the parsing; its names are shortened to
 * the ones people use (it says "Microsoft Edge" and "Chrome OS").
 */
import Bowser from 'bowser';

export type DeviceType = 'desktop' | 'mobile' | 'tablet';

export interface Device {
  browser?: string;
  os?: string;
  device?: DeviceType;
}

const browserNames: Record<string, string> = {
  'Microsoft Edge': 'Edge',
  'Samsung Internet for Android': 'Samsung Internet',
  'Opera Touch': 'Opera',
  'Yandex Browser': 'Yandex',
};
const osNames: Record<string, string> = { 'Chrome OS': 'ChromeOS' };
const deviceTypes = new Set<string>(['desktop', 'mobile', 'tablet']);

/** Names come from bowser's own list; the cap only guards the queue message against surprises. */
const maxNameLength = 40;

/**
 * Apps that open links in their own browser, by the token they add to its User-Agent: the
 * browser is named for the app, whether the app's WebView says Safari or Chrome underneath.
 */
const inAppBrowsers: [RegExp, string][] = [
  [/\bInstagram\b/, 'Instagram (in-app)'],
  [/FBAN\/|FB_IAB\/|FBAV\//, 'Facebook (in-app)'],
  [/\bPinterest\//, 'Pinterest (in-app)'],
  [/LinkedInApp/, 'LinkedIn (in-app)'],
  [/musical_ly|BytedanceWebview|\bTikTok\b/, 'TikTok (in-app)'],
  [/\bSnapchat\//, 'Snapchat (in-app)'],
  [/\bTwitter(Android)?\b/, 'X (in-app)'],
  [/\bLine\//, 'LINE (in-app)'],
  [/MicroMessenger\//, 'WeChat (in-app)'],
  [/\bGSA\//, 'Google app'],
];

/**
 * Android models that are tablets even when the browser sends a "Mobile" token (Galaxy Tab
 * SM-T/SM-X/SM-P, Lenovo Tab TB-, Fire Kindle KF.., Huawei MediaPad/MatePad, and *PAD models).
 */
const androidTabletModel =
  /^(SM-[TPX]\d|Lenovo TB|TB-|KF[A-Z]{2,5}\b|Nexus (7|9|10)\b|Pixel Tablet|MediaPad|MatePad)|PAD|\bTab\b/i;

/** The model an Android User-Agent names: `(Linux; Android 13; SM-X700 Build/...)` -> SM-X700. */
function androidModel(userAgent: string): string | undefined {
  return /\bAndroid [\d.]+; (?:[a-z]{2}[-_][a-z]{2}; )?([^;)]+?)(?: Build\/[^;)]*)?[;)]/i
    .exec(userAgent)?.[1]
    ?.trim();
}

export function deviceOf(userAgent: string): Device {
  if (!userAgent.trim()) return {};
  const { browser, os, platform } = Bowser.parse(userAgent);
  const name = (value: string | undefined, names: Record<string, string>) =>
    value ? (Object.hasOwn(names, value) ? names[value]! : value).slice(0, maxNameLength) : undefined;
  const result: Device = {};
  const inApp = inAppBrowsers.find(([token]) => token.test(userAgent))?.[1];
  // A name with a slash in it is a fragment of a User-Agent bowser could not read
  // (`Pinterest/3356 CFNetwork`), not a browser.
  const browserName = inApp ?? name(browser.name, browserNames);
  const android = /\bAndroid\b/.test(userAgent);
  // bowser reads any "ipad" as iOS, even inside an Android model's name (KLIPAD_V355B).
  const osName = android && os.name === 'iOS' ? 'Android' : name(os.name, osNames);
  if (browserName && !browserName.includes('/')) result.browser = browserName;
  if (osName) result.os = osName;
  // bowser also knows tv and bot; only the three kinds the dashboard shows are kept.
  let device = platform.type && deviceTypes.has(platform.type) ? (platform.type as DeviceType) : undefined;
  if (android) {
    const model = androidModel(userAgent);
    if (model && androidTabletModel.test(model)) device = 'tablet';
  }
  if (device) result.device = device;
  return result;
}
