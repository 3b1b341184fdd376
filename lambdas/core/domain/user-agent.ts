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

export function deviceOf(userAgent: string): Device {
  if (!userAgent.trim()) return {};
  const { browser, os, platform } = Bowser.parse(userAgent);
  const name = (value: string | undefined, names: Record<string, string>) =>
    value ? (Object.hasOwn(names, value) ? names[value]! : value).slice(0, maxNameLength) : undefined;
  const result: Device = {};
  const browserName = name(browser.name, browserNames);
  const osName = name(os.name, osNames);
  if (browserName) result.browser = browserName;
  if (osName) result.os = osName;
  // bowser also knows tv and bot; only the three kinds the dashboard shows are kept.
  if (platform.type && deviceTypes.has(platform.type)) result.device = platform.type as DeviceType;
  return result;
}
