import { describe, expect, it } from 'vitest';
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
    expect(filterLabel({ property: 'source', value: 'Google' })).toBe('Source is Google');
    expect(filterLabel({ property: 'country', value: 'IN' }, 'en')).toBe('Country is India');
    expect(filterLabel({ property: 'device', value: 'tablet' })).toBe('Device is Tablet');
    expect(filterLabel({ property: 'utm_medium', value: 'email' })).toBe('UTM medium is email');
    expect(filterLabel({ property: 'event', value: 'Signup' })).toBe('Goal is Signup');
  });
});
