import { describe, expect, it } from 'vitest';
import { type FunnelRow, parseFunnelStep, parseFunnelSteps, stepText, stepsReached } from './funnel-steps.js';

const page = (url: string): FunnelRow => ({ type: 'pageview', page: url });
const event = (name: string): FunnelRow => ({ type: 'event', page: 'https://a.test/', name });

describe('funnel steps', () => {
  it('names a page by its canonical path or URL, as the page breakdown counts pages', () => {
    expect(stepText(parseFunnelStep('page:/pricing?plan=pro#top', 'step 1'))).toBe('page:/pricing');
    expect(stepText(parseFunnelStep('page:/app#/settings', 'step 1'))).toBe('page:/app#/settings');
    expect(stepText(parseFunnelStep('page:HTTPS://A.test/x?y=1', 'step 1'))).toBe('page:https://a.test/x');
    expect(stepText(parseFunnelStep('event:Signup', 'step 1'))).toBe('event:Signup');
  });

  it('matches a path on any host and a URL on its host only', () => {
    const steps = parseFunnelSteps(['page:/a', 'page:https://b.test/c']);
    expect(stepsReached(steps, [page('https://x.test/a'), page('https://x.test/c')])).toBe(1);
    expect(stepsReached(steps, [page('https://x.test/a'), page('https://b.test/c')])).toBe(2);
  });

  it('counts steps done in order, other rows between, and stops at the first missing one', () => {
    const steps = parseFunnelSteps(['page:/a', 'event:Signup', 'page:/b']);
    expect(
      stepsReached(steps, [
        page('https://x.test/a'),
        page('https://x.test/z'),
        event('Signup'),
        page('https://x.test/b'),
      ]),
    ).toBe(3);
    expect(stepsReached(steps, [event('Signup'), page('https://x.test/a'), page('https://x.test/b')])).toBe(
      1,
    );
    expect(stepsReached(steps, [page('https://x.test/b'), event('Signup')])).toBe(0);
  });

  it('names the bad step and what is accepted', () => {
    expect(() => parseFunnelSteps(['page:/a', 'click:x'])).toThrow(
      /step 2 of 2 \("click:x"\) must be page:<path> such as page:\/pricing, page:<absolute http\(s\) URL>.*or event:<name>/,
    );
    expect(() => parseFunnelSteps(['page:/a'])).toThrow(/A funnel has 2 to 8 steps.*got 1/);
  });
});
