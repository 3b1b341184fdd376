import { describe, expect, it } from 'vitest';
import { countryOf } from './country.js';

describe('countryOf', () => {
  describe.each([
    ['Europe/Berlin', 'DE'],
    ['Asia/Kolkata', 'IN'],
    ['Asia/Calcutta', 'IN'],
    ['America/New_York', 'US'],
    ['US/Eastern', 'US'],
    ['America/Argentina/Buenos_Aires', 'AR'],
    ['America/Buenos_Aires', 'AR'],
    ['Europe/Kyiv', 'UA'],
    ['Europe/Kiev', 'UA'],
    ['Europe/Oslo', 'NO'],
    ['Australia/Adelaide', 'AU'],
    ['Asia/Kathmandu', 'NP'],
    ['Iceland', 'IS'],
    ['Atlantic/Reykjavik', 'IS'],
    ['Europe/London', 'GB'],
    ['Asia/Tokyo', 'JP'],
  ])('from the time zone %s', (tz, country) => {
    it(`is ${country}`, () => {
      expect(countryOf({ tz })).toBe(country);
    });
  });

  describe.each([
    ['UTC', 'UTC'],
    ['Etc/GMT+5', 'an Etc zone'],
    ['Europe/Atlantis', 'an unknown zone'],
    ['europe/berlin', 'a zone in the wrong case'],
    ['', 'an empty string'],
    ['x'.repeat(500), 'a long string'],
    ['constructor', 'an Object.prototype name'],
  ])('from %s (%s)', (tz) => {
    it('is unknown', () => {
      expect(countryOf({ tz })).toBeUndefined();
    });
  });

  it('prefers the CloudFront-Viewer-Country header to the time zone', () => {
    expect(countryOf({ viewerCountryHeader: 'FR', tz: 'Europe/Berlin' })).toBe('FR');
  });

  describe.each([['ZZ'], ['XX'], ['FRA'], ['F'], ['12'], ['']])(
    'with the malformed or unassigned header %j',
    (header) => {
      it('falls back to the time zone', () => {
        expect(countryOf({ viewerCountryHeader: header, tz: 'Asia/Kolkata' })).toBe('IN');
      });
    },
  );

  it('accepts a lower-case header and answers upper case', () => {
    expect(countryOf({ viewerCountryHeader: 'de' })).toBe('DE');
  });

  it('is unknown with neither', () => {
    expect(countryOf({})).toBeUndefined();
  });
});
