import type { ContentTarget } from './content.js';

/** What the rest of the stack needs from hosting, whichever target. */
export interface HostingOutputs extends ContentTarget {
  readonly siteUrl: string;
  readonly dashboardUrl: string;
  readonly trackerUrl: string;
  /** The site's host name, the demo org's allowed domain (undefined: any domain). */
  readonly siteDomain?: string;
  /** What the dashboard's config.json names as its API. */
  readonly dashboardApiUrl: string;
}

export interface CustomDomains {
  /** An ACM certificate in us-east-1 covering both names. */
  readonly certificateArn: string;
  readonly siteDomain: string;
  readonly dashboardDomain: string;
}
