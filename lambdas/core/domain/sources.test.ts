import { describe, expect, it } from 'vitest';
import {
  acquisitionOf,
  externalReferrerOf,
  hostAllowed,
  maxReferrerLength,
  maxUtmLength,
  sourceOf,
  utmOf,
} from './sources.js';

const page = 'https://example.com/pricing';
const ownDomains = ['example.com'];

describe('sourceOf', () => {
  describe.each([
    ['https://www.google.com/', 'Google'],
    ['https://www.google.co.uk/', 'Google'],
    ['https://google.de/search', 'Google'],
    ['https://news.google.com/articles/x', 'Google News'],
    ['https://www.bing.com/search?q=x', 'Bing'],
    ['https://duckduckgo.com/', 'DuckDuckGo'],
    ['https://search.yahoo.com/', 'Yahoo!'],
    ['https://search.yahoo.co.jp/', 'Yahoo! Japan'],
    ['https://l.facebook.com/l.php?u=x', 'Facebook'],
    ['https://m.facebook.com/', 'Facebook'],
    ['https://t.co/abc', 'X'],
    ['https://twitter.com/someone', 'X'],
    ['https://x.com/someone', 'X'],
    ['https://www.linkedin.com/feed/', 'LinkedIn'],
    ['https://old.reddit.com/r/x', 'Reddit'],
    ['https://news.ycombinator.com/item?id=1', 'Hacker News'],
    ['https://github.com/owner/repo', 'GitHub'],
    ['https://www.someblog.net/post/1', 'someblog.net'],
    ['https://blog.someone.dev/', 'blog.someone.dev'],
    ['http://Unknown.Example.ORG/', 'unknown.example.org'],
  ])('from the referrer %s', (referrer, expected) => {
    it(`is ${expected}`, () => {
      expect(sourceOf({ pageUrl: page, referrer, ownDomains })).toBe(expected);
    });
  });

  describe.each([
    ['none', undefined],
    ['empty', ''],
    ['the site itself', 'https://example.com/'],
    ['a subdomain of the site', 'https://docs.example.com/intro'],
    ['not a URL', 'not a url'],
    ['a file', 'file:///home/me/page.html'],
  ])('from %s', (_name, referrer) => {
    it('is undefined (Direct / None)', () => {
      expect(sourceOf({ pageUrl: page, referrer, ownDomains })).toBeUndefined();
    });
  });

  describe.each([
    ['utm_source', `${page}?utm_source=Newsletter&utm_medium=email`, 'Newsletter'],
    ['ref', `${page}?ref=producthunt`, 'Product Hunt'],
    ['source', `${page}?source=podcast`, 'podcast'],
    ['utm_source over ref', `${page}?ref=a&utm_source=b`, 'b'],
    ['ref over source', `${page}?source=a&ref=b`, 'b'],
    ['a trimmed value', `${page}?utm_source=%20%20spaced%20%20`, 'spaced'],
  ])('tagged with %s', (_name, pageUrl, expected) => {
    it(`is ${expected}, whatever the referrer`, () => {
      expect(sourceOf({ pageUrl, referrer: 'https://www.google.com/', ownDomains })).toBe(expected);
    });
  });

  it('ignores an empty tag and falls back to the referrer', () => {
    expect(
      sourceOf({ pageUrl: `${page}?utm_source=&ref=%20`, referrer: 'https://github.com/', ownDomains }),
    ).toBe('GitHub');
  });

  it('cuts a long tag', () => {
    const source = sourceOf({ pageUrl: `${page}?utm_source=${'a'.repeat(500)}`, ownDomains });
    expect(source).toBe('a'.repeat(maxUtmLength));
  });

  describe('for an org with no domains', () => {
    it("treats the page's own host, with or without www., as the site", () => {
      expect(
        sourceOf({ pageUrl: 'https://www.mysite.io/a', referrer: 'https://mysite.io/b', ownDomains: [] }),
      ).toBeUndefined();
      expect(
        sourceOf({ pageUrl: 'https://mysite.io/a', referrer: 'https://mysite.io/b', ownDomains: [] }),
      ).toBeUndefined();
    });

    it('names another host', () => {
      expect(
        sourceOf({
          pageUrl: 'https://mysite.io/a',
          referrer: 'https://news.ycombinator.com/',
          ownDomains: [],
        }),
      ).toBe('Hacker News');
    });
  });

  it('treats every allowed domain of the org as its own', () => {
    expect(
      sourceOf({
        pageUrl: page,
        referrer: 'https://shop.example.net/',
        ownDomains: ['example.com', 'example.net'],
      }),
    ).toBeUndefined();
  });
});

describe('utmOf', () => {
  it('reads all five tags', () => {
    const url = `${page}?utm_source=news&utm_medium=email&utm_campaign=spring%20sale&utm_term=shoes&utm_content=top-link&plan=pro`;
    expect(utmOf(url)).toEqual({
      utm_source: 'news',
      utm_medium: 'email',
      utm_campaign: 'spring sale',
      utm_term: 'shoes',
      utm_content: 'top-link',
    });
  });

  it('leaves out empty and missing tags', () => {
    expect(utmOf(`${page}?utm_source=%20&utm_campaign=x`)).toEqual({ utm_campaign: 'x' });
    expect(utmOf(page)).toEqual({});
  });

  it('trims and cuts each value', () => {
    expect(utmOf(`${page}?utm_term=%20${'t'.repeat(300)}`)).toEqual({ utm_term: 't'.repeat(maxUtmLength) });
  });

  it('reads the first of repeated tags', () => {
    expect(utmOf(`${page}?utm_medium=a&utm_medium=b`)).toEqual({ utm_medium: 'a' });
  });

  it('does not take ref or source as utm_source', () => {
    expect(utmOf(`${page}?ref=x&source=y`)).toEqual({});
  });

  it('knows nothing of a URL it cannot parse', () => {
    expect(utmOf('not a url')).toEqual({});
  });
});

describe('sourceOf names every host of one source once (issue 23)', () => {
  describe.each([
    ['Instagram', ['https://instagram.com/', 'https://l.instagram.com/', 'https://www.instagram.com/p/x']],
    ['YouTube', ['https://youtube.com/', 'https://m.youtube.com/watch', 'https://youtu.be/abc']],
    [
      'Wikipedia',
      ['https://en.wikipedia.org/wiki/X', 'https://de.m.wikipedia.org/', 'https://fr.wikipedia.org/'],
    ],
    [
      'Pinterest',
      [
        'https://pinterest.com/',
        'https://www.pinterest.de/',
        'https://pinterest.co.uk/',
        'https://pinterest.jp/',
      ],
    ],
    [
      'Facebook',
      ['https://l.facebook.com/l.php', 'https://lm.facebook.com/l.php', 'https://m.facebook.com/'],
    ],
    ['LinkedIn', ['https://www.linkedin.com/feed/', 'https://lnkd.in/abc']],
    [
      'Google',
      [
        'https://www.google.com/',
        'https://www.google.co.uk/',
        'https://google.de/',
        'https://google.com.br/',
      ],
    ],
    ['Bing', ['https://www.bing.com/search', 'https://cn.bing.com/']],
  ])('%s', (name, referrers) => {
    it.each(referrers)(`from %s is ${name}`, (referrer) => {
      expect(sourceOf({ pageUrl: page, referrer, ownDomains })).toBe(name);
    });
  });

  describe.each([
    ['webmail: Gmail, not Google', 'https://mail.google.com/mail/u/0/', 'Gmail'],
    ['webmail: Outlook.com', 'https://outlook.live.com/mail/0/', 'Outlook.com'],
    ['webmail: Outlook on the web', 'https://outlook.office.com/', 'Outlook.com'],
    ['webmail: Yahoo Mail, not Yahoo', 'https://mail.yahoo.com/d/folders/1', 'Yahoo Mail'],
    ['webmail: Proton Mail', 'https://mail.proton.me/u/0/inbox', 'Proton Mail'],
    ['AI assistant: ChatGPT', 'https://chatgpt.com/', 'ChatGPT'],
    ['AI assistant: ChatGPT (old host)', 'https://chat.openai.com/', 'ChatGPT'],
    ['AI assistant: Perplexity', 'https://www.perplexity.ai/search/x', 'Perplexity'],
    ['AI assistant: Gemini, not Google', 'https://gemini.google.com/app', 'Gemini'],
    ['AI assistant: Claude', 'https://claude.ai/chat/x', 'Claude'],
    ['AI assistant: Copilot', 'https://copilot.microsoft.com/', 'Copilot'],
    ['a Google site that is not its search engine', 'https://docs.google.com/document/d/x', 'Google Docs'],
    [
      'a Google host the database does not list as search',
      'https://sites.google.com/view/x',
      'sites.google.com',
    ],
    ['a host that merely contains google', 'https://google.example.xyz/', 'google.example.xyz'],
    ['google. with a made-up top-level domain', 'https://google.notacountry/', 'google.notacountry'],
    [
      'a search engine subdomain the database does not list',
      'https://blog.duckduckgo.com/',
      'blog.duckduckgo.com',
    ],
    ['the Gmail app', 'android-app://com.google.android.gm/', 'Gmail'],
    ['the Google app', 'android-app://com.google.android.googlequicksearchbox/', 'Google'],
    ['the Slack app', 'android-app://com.slack/', 'Slack'],
    ['the Telegram app', 'android-app://org.telegram.messenger/', 'Telegram'],
    ['an unknown app, by its package name', 'android-app://org.example.reader/', 'org.example.reader'],
  ])('%s', (_case, referrer, expected) => {
    it(`from ${referrer} is ${expected}`, () => {
      expect(sourceOf({ pageUrl: page, referrer, ownDomains })).toBe(expected);
    });
  });

  describe.each([
    ['google', 'Google'],
    ['Google', 'Google'],
    ['GOOGLE', 'Google'],
    ['fb', 'Facebook'],
    ['FB', 'Facebook'],
    ['facebook', 'Facebook'],
    ['facebook.com', 'Facebook'],
    ['ig', 'Instagram'],
    ['yt', 'YouTube'],
    ['li', 'LinkedIn'],
    ['tw', 'X'],
    ['twitter', 'X'],
    ['reddit', 'Reddit'],
    ['hn', 'Hacker News'],
    ['chatgpt.com', 'ChatGPT'],
    ['adwords', 'Google'],
    ['Newsletter', 'Newsletter'],
    ['my-partner', 'my-partner'],
  ])('utm_source=%s', (tag, expected) => {
    it(`is ${expected}`, () => {
      expect(sourceOf({ pageUrl: `${page}?utm_source=${tag}`, ownDomains })).toBe(expected);
    });
  });

  it('keeps the tag as sent in utm_source', () => {
    expect(utmOf(`${page}?utm_source=fb`)).toEqual({ utm_source: 'fb' });
  });
});

describe('acquisitionOf', () => {
  describe.each([
    ['a direct visit', page, undefined, undefined],
    ['Google search', page, 'https://www.google.com/', 'Organic Search'],
    ['Google with a gclid', `${page}?gclid=abc`, 'https://www.google.com/', 'Paid Search'],
    ['Bing with an msclkid', `${page}?msclkid=abc`, 'https://www.bing.com/', 'Paid Search'],
    ['a paid search tag', `${page}?utm_source=google&utm_medium=cpc`, undefined, 'Paid Search'],
    ['a paid utm_source', `${page}?utm_source=fb_ads`, undefined, 'Paid Social'],
    ['Facebook', page, 'https://l.facebook.com/', 'Organic Social'],
    ['fb with medium paid_social', `${page}?utm_source=fb&utm_medium=paid_social`, undefined, 'Paid Social'],
    ['YouTube', page, 'https://m.youtube.com/', 'Organic Video'],
    ['Gmail', page, 'https://mail.google.com/', 'Email'],
    ['the Gmail app', page, 'android-app://com.google.android.gm/', 'Email'],
    ['a newsletter tag', `${page}?utm_source=weekly&utm_medium=newsletter`, undefined, 'Email'],
    ['ChatGPT', page, 'https://chatgpt.com/', 'AI Assistants'],
    ['utm_source=chatgpt.com', `${page}?utm_source=chatgpt.com`, undefined, 'AI Assistants'],
    ['an unknown site', page, 'https://someblog.net/post', 'Referral'],
    ['an unknown app', page, 'android-app://org.example.reader/', 'Referral'],
    ['an affiliate', `${page}?utm_source=partner&utm_medium=affiliate`, undefined, 'Affiliates'],
    ['a display banner', `${page}?utm_source=network&utm_medium=banner`, undefined, 'Display'],
    ['a podcast', `${page}?utm_source=show&utm_medium=audio`, undefined, 'Audio'],
    ['an SMS', `${page}?utm_source=sms`, undefined, 'SMS'],
    ['a push notification', `${page}?utm_source=app&utm_medium=push`, undefined, 'Mobile Push Notifications'],
    ['Amazon', page, 'https://www.amazon.de/', 'Organic Shopping'],
    [
      'a cross-network campaign',
      `${page}?utm_source=google&utm_campaign=cross-network`,
      undefined,
      'Cross-network',
    ],
  ])('for %s', (_case, pageUrl, referrer, channel) => {
    it(`the channel is ${channel ?? 'left out (Direct)'}`, () => {
      expect(acquisitionOf({ pageUrl, referrer, ownDomains }).channel).toBe(channel);
    });
  });

  it('reads the source, referrer, channel and tags at once', () => {
    expect(
      acquisitionOf({
        pageUrl: `${page}?utm_source=IG&utm_medium=social&utm_campaign=spring`,
        referrer: 'https://l.instagram.com/',
        ownDomains,
      }),
    ).toEqual({
      source: 'Instagram',
      referrer: 'l.instagram.com',
      channel: 'Organic Social',
      utm_source: 'IG',
      utm_medium: 'social',
      utm_campaign: 'spring',
    });
  });
});

describe('externalReferrerOf', () => {
  describe.each([
    ['https://news.ycombinator.com/', 'news.ycombinator.com'],
    ['https://news.ycombinator.com/item?id=42#c', 'news.ycombinator.com/item'],
    ['https://www.someblog.net/posts/analytics/', 'someblog.net/posts/analytics'],
    ['https://www.google.com/', 'google.com'],
    ['http://blog.example.org:8080/a', 'blog.example.org/a'],
    ['android-app://com.slack/', 'android-app://com.slack'],
    ['android-app://com.google.android.gm/path', 'android-app://com.google.android.gm'],
  ])('for %s', (referrer, expected) => {
    it(`is ${expected}`, () => {
      expect(externalReferrerOf({ pageUrl: page, referrer, ownDomains })).toBe(expected);
    });
  });

  describe.each([
    [undefined],
    [''],
    ['https://example.com/other'],
    ['https://www.example.com/'],
    ['javascript:alert(1)'],
  ])('for %j', (referrer) => {
    it('is undefined', () => {
      expect(externalReferrerOf({ pageUrl: page, referrer, ownDomains })).toBeUndefined();
    });
  });

  it('cuts a long path', () => {
    const referrer = `https://blog.example.org/${'p'.repeat(3000)}`;
    expect(externalReferrerOf({ pageUrl: page, referrer, ownDomains })).toHaveLength(maxReferrerLength);
  });
});

describe('hostAllowed', () => {
  describe.each([
    ['example.com', true],
    ['www.example.com', true],
    ['a.b.example.com', true],
    ['badexample.com', false],
    ['example.com.evil.net', false],
  ])('%s against example.com', (host, allowed) => {
    it(`is ${allowed ? 'allowed' : 'not allowed'}`, () => {
      expect(hostAllowed(host, ['example.com'])).toBe(allowed);
    });
  });
});
