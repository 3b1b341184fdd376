import { describe, expect, it } from 'vitest';
import {
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
    ['https://news.google.com/articles/x', 'Google'],
    ['https://www.bing.com/search?q=x', 'Bing'],
    ['https://duckduckgo.com/', 'DuckDuckGo'],
    ['https://search.yahoo.com/', 'Yahoo'],
    ['https://search.yahoo.co.jp/', 'Yahoo'],
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
    ['an app, not a web page', 'android-app://com.google.android.gm/'],
    ['a file', 'file:///home/me/page.html'],
  ])('from %s', (_name, referrer) => {
    it('is undefined (Direct / None)', () => {
      expect(sourceOf({ pageUrl: page, referrer, ownDomains })).toBeUndefined();
    });
  });

  describe.each([
    ['utm_source', `${page}?utm_source=Newsletter&utm_medium=email`, 'Newsletter'],
    ['ref', `${page}?ref=producthunt`, 'producthunt'],
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

describe('externalReferrerOf', () => {
  describe.each([
    ['https://news.ycombinator.com/', 'news.ycombinator.com'],
    ['https://news.ycombinator.com/item?id=42#c', 'news.ycombinator.com/item'],
    ['https://www.someblog.net/posts/analytics/', 'someblog.net/posts/analytics'],
    ['https://www.google.com/', 'google.com'],
    ['http://blog.example.org:8080/a', 'blog.example.org/a'],
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
