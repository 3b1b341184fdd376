import { describe, expect, it } from 'vitest';
import { shareKeyFromHash, takeShareKey } from './share.js';

describe('shareKeyFromHash', () => {
  it.each([
    ['#share=pvh_abc-DEF_123', 'pvh_abc-DEF_123'],
    ['#share=pvh_x&other=1', 'pvh_x'],
    ['', undefined],
    ['#', undefined],
    ['#share=', undefined],
    ['#other=pvh_x', undefined],
  ])('reads %j as %j', (hash, key) => {
    expect(shareKeyFromHash(hash)).toBe(key);
  });
});

describe('takeShareKey', () => {
  it('returns the key and replaces the address with one without the fragment, keeping the view', () => {
    const replaced: string[] = [];
    const history = {
      state: null,
      replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
    } as unknown as History;
    const location = { hash: '#share=pvh_k', pathname: '/', search: '?range=7d' } as Location;
    expect(takeShareKey(location, history)).toBe('pvh_k');
    expect(replaced).toEqual(['/?range=7d']);
  });

  it('leaves an address without a share key alone', () => {
    const replaced: string[] = [];
    const history = {
      state: null,
      replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url),
    } as unknown as History;
    expect(takeShareKey({ hash: '', pathname: '/', search: '' } as Location, history)).toBeUndefined();
    expect(replaced).toEqual([]);
  });
});
