import { describe, expect, it } from 'vitest';
import type { FilterProperty } from './filter.js';
import { countryName, filterLabel, flagEmoji } from './labels.js';

describe('country names and flags', () => {
  it.each([
    ['US', '🇺🇸', 'United States'],
    ['GB', '🇬🇧', 'United Kingdom'],
    ['JP', '🇯🇵', 'Japan'],
  ])('%s is %s %s', (code, flag, name) => {
    expect(flagEmoji(code)).toBe(flag);
    expect(countryName(code, 'en')).toBe(name);
  });

  it('speaks the reader language', () => {
    expect(countryName('DE', 'de')).toBe('Deutschland');
  });

  it.each(['', 'de', 'DEU', '1A'])('leaves %j without a flag or a name of its own', (code) => {
    expect(flagEmoji(code)).toBe('');
    expect(countryName(code, 'en')).toBe(code);
  });
});

describe('filter labels', () => {
  it('says what it keeps, in words', () => {
    const is = (property: FilterProperty, value: string) => ({
      property,
      operator: 'is' as const,
      values: [value],
    });
    expect(filterLabel(is('source', 'Google'))).toBe('Source is Google');
    expect(filterLabel(is('country', 'IN'), 'en')).toBe('Country is India');
    expect(filterLabel(is('device', 'tablet'))).toBe('Device is Tablet');
    expect(filterLabel(is('utm_medium', 'email'))).toBe('UTM medium is email');
    expect(filterLabel(is('event', 'Signup'))).toBe('Goal is Signup');
  });

  it('says is not, contains and any of', () => {
    expect(filterLabel({ property: 'country', operator: 'is_not', values: ['DE', 'AT'] }, 'en')).toBe(
      'Country is not Germany or Austria',
    );
    // A contained text is not a value to name: "de" is not Germany.
    expect(filterLabel({ property: 'country', operator: 'contains', values: ['de'] }, 'en')).toBe(
      'Country contains de',
    );
    expect(filterLabel({ property: 'page', operator: 'contains', values: ['/blog', '/docs'] })).toBe(
      'Page contains /blog or /docs',
    );
  });
});
