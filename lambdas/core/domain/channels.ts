/**
 * A visit's channel: GA4's default channel grouping, in the order and with the rules Plausible
 * applies to it (lib/plausible/ingestion/acquisition.ex), from the visit's source and its kind
 * (source-names.ts), its utm_medium, utm_source and utm_campaign, and the ad click id in its URL.
 * Plausible's additions are kept: AI assistants are a channel of their own, and a click id
 * (gclid from Google, msclkid from Bing) or a paid utm_source (`adwords`, `fb_ads`) makes it paid.
 */
import type { SourceKind } from './source-names.js';

export const channels = [
  'Cross-network',
  'Paid Shopping',
  'Paid Search',
  'Paid Social',
  'Paid Video',
  'Display',
  'Paid Other',
  'Organic Shopping',
  'Organic Social',
  'Organic Video',
  'AI Assistants',
  'Organic Search',
  'Email',
  'Affiliates',
  'Audio',
  'SMS',
  'Mobile Push Notifications',
  'Referral',
  'Direct',
] as const;
export type Channel = (typeof channels)[number];

export interface ChannelInputs {
  /** The visit's source as counted (named, or a host, or a tag as given); absent for a direct visit. */
  source?: string;
  /** The source's kind when the referrer databases know it. */
  kind?: SourceKind;
  /** The source came from a tag that says it was paid for (isPaidTag). */
  paidTag?: boolean;
  utm_medium?: string;
  utm_source?: string;
  utm_campaign?: string;
  /** An ad click id in the page URL: `gclid` or `msclkid`. */
  clickId?: 'gclid' | 'msclkid';
}

const paidMedium = /^(.*cp.*|ppc|retargeting|paid.*)$/;
const shoppingCampaign = /^(.*(([^a-df-z]|^)shop|shopping).*)$/;
const displayMedia = new Set(['display', 'banner', 'expandable', 'interstitial', 'cpm']);
const socialMedia = new Set([
  'social',
  'social-network',
  'social-media',
  'sm',
  'social network',
  'social media',
]);
const emailTags = ['email', 'e-mail', 'e_mail', 'e mail', 'newsletter'];

export function channelOf(inputs: ChannelInputs): Channel {
  const medium = inputs.utm_medium?.toLowerCase() ?? '';
  const campaign = inputs.utm_campaign?.toLowerCase() ?? '';
  const tag = inputs.utm_source?.toLowerCase() ?? '';
  const source = inputs.source?.toLowerCase() ?? '';
  const kind = inputs.kind;
  // An ad network's own host (doubleclick.net) referred a click on an ad.
  const paid = paidMedium.test(medium) || kind === 'ads';
  const paidKind = (k: SourceKind) => kind === k && (paid || inputs.paidTag === true);
  const shopping = kind === 'shopping' || shoppingCampaign.test(campaign);

  if (campaign.includes('cross-network')) return 'Cross-network';
  if (shopping && paid) return 'Paid Shopping';
  if (
    paidKind('search') ||
    (source === 'google' && inputs.clickId === 'gclid') ||
    (source === 'bing' && inputs.clickId === 'msclkid')
  )
    return 'Paid Search';
  if (paidKind('social')) return 'Paid Social';
  if (paidKind('video')) return 'Paid Video';
  if (displayMedia.has(medium)) return 'Display';
  if (paid) return 'Paid Other';
  if (shopping) return 'Organic Shopping';
  if (kind === 'social' || socialMedia.has(medium)) return 'Organic Social';
  if (kind === 'video' || medium.includes('video')) return 'Organic Video';
  if (kind === 'ai') return 'AI Assistants';
  if (kind === 'search') return 'Organic Search';
  if (kind === 'email' || emailTags.some((t) => tag.includes(t) || medium.includes(t))) return 'Email';
  if (medium === 'affiliate') return 'Affiliates';
  if (medium === 'audio') return 'Audio';
  if (tag === 'sms' || medium === 'sms') return 'SMS';
  if (
    medium.endsWith('push') ||
    medium.includes('mobile') ||
    medium.includes('notification') ||
    source === 'firebase'
  )
    return 'Mobile Push Notifications';
  if (['referral', 'app', 'link'].includes(medium) || source !== '') return 'Referral';
  return 'Direct';
}
