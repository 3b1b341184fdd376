import { describe, expect, it } from 'vitest';
import { createClientLimiter } from './client-limiter.js';
import { parseRateLimit } from '../core/domain/token-bucket.js';

describe('the per-client limiter', () => {
  const setup = () => {
    const clock = { now: 0 };
    const admit = createClientLimiter(
      { ratePerSecond: 2, burst: 5 },
      { maxClients: 3, now: () => clock.now },
    );
    return { admit, clock };
  };
  const alice = { ip: '203.0.113.7', userAgent: 'Firefox' };

  it('lets a client burst, then refuses it until its tokens refill at the rate', () => {
    const { admit, clock } = setup();
    const first = Array.from({ length: 7 }, () => admit(alice));
    expect(first).toEqual([true, true, true, true, true, false, false]);
    clock.now += 500; // one token at 2 a second
    expect([admit(alice), admit(alice)]).toEqual([true, false]);
  });

  it('tells clients apart by address and by browser', () => {
    const { admit } = setup();
    for (let i = 0; i < 5; i++) admit(alice);
    expect(admit(alice)).toBe(false);
    expect(admit({ ...alice, userAgent: 'Safari' })).toBe(true);
    expect(admit({ ...alice, ip: '198.51.100.1' })).toBe(true);
  });

  it('forgets every client rather than grow past its bound', () => {
    const { admit } = setup();
    for (let i = 0; i < 5; i++) admit(alice);
    expect(admit(alice)).toBe(false);
    for (const ip of ['a', 'b', 'c']) admit({ ip, userAgent: 'x' });
    expect(admit(alice)).toBe(true);
  });
});

describe('parseRateLimit', () => {
  it.each([
    ['5/60', { ratePerSecond: 5, burst: 60 }],
    [' 0.5 / 10 ', { ratePerSecond: 0.5, burst: 10 }],
    ['off', undefined],
  ])('reads %j', (text, expected) => {
    expect(parseRateLimit(text, 'X')).toEqual(expected);
  });

  it.each(['5', '0/10', '5/0', 'fast', '-1/3'])('refuses %j and says what is accepted', (text) => {
    expect(() => parseRateLimit(text, 'INGEST_CLIENT_LIMIT')).toThrow(
      /^INGEST_CLIENT_LIMIT must be "<requests a second>\/<burst>" with both above 0 \(such as 5\/60\), or "off"/,
    );
  });
});
