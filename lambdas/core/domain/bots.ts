/**
 * Crawlers and scripts: their views are counted as bot views, not page views. isbot keeps the
 * list of known crawlers; it lets an empty User-Agent through (no browser sends none) and names
 * Lighthouse only as `Chrome-Lighthouse`, so both are added here, with the site-speed and
 * monitoring tools that drive a real Chrome and name themselves at the end of its User-Agent.
 */
import { isbot } from 'isbot';

/** Lighthouse, GTmetrix, Site24x7, Yellow Lab Tools (YLT), WebPageTest (PTST), DebugBear, ... */
const speedAndMonitoringTools =
  /lighthouse|gtmetrix|site24x7|yellow ?lab ?tools|\bYLT\b|\bPTST\/|debugbear|checkly|speedcurve|pingdom|uptimerobot|statuscake|uptime-kuma|betteruptime|datadogsynthetics|newrelicsynthetics|catchpoint|dotcom-monitor|siteimprove/i;

export function isBotUserAgent(userAgent: string | undefined): boolean {
  if (!userAgent?.trim()) return true;
  return isbot(userAgent) || speedAndMonitoringTools.test(userAgent);
}
