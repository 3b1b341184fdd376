import { describe, expect, it } from 'vitest';
import { apiUrlOf } from './api.js';
import { funnelView, parseFunnelAnswer, parseFunnelsAnswer, stepLabel } from './funnel.js';

describe('the funnel panel', () => {
  it('shows each step with its conversion, and the drop-off from the step before', () => {
    const view = funnelView({
      steps: [
        { step: 'page:/pricing', visitors: 1200, conversion_rate: 100, dropoff: 0 },
        { step: 'page:/signup', visitors: 300, conversion_rate: 25, dropoff: 900 },
        { step: 'event:Signup', visitors: 100, conversion_rate: 8.33, dropoff: 200 },
      ],
    });
    expect(view.map((s) => [s.label, s.visitorsText, s.conversionText, s.bar, s.dropoffText])).toEqual([
      ['Visited /pricing', '1,200', '100%', 100, undefined],
      ['Visited /signup', '300', '25%', 25, '900 dropped off (75%)'],
      ['Signup', '100', '8.33%', 8.33, '200 dropped off (66.7%)'],
    ]);
  });

  it('says nobody dropped off a step nobody reached', () => {
    const view = funnelView({
      steps: [
        { step: 'page:/a', visitors: 0, conversion_rate: 0, dropoff: 0 },
        { step: 'event:B', visitors: 0, conversion_rate: 0, dropoff: 0 },
      ],
    });
    expect(view[1]!.dropoffText).toBe('0 dropped off (0%)');
  });

  it('labels a step by what was done', () => {
    expect(stepLabel('page:https://a.test/x')).toBe('Visited https://a.test/x');
    expect(stepLabel('event:Outbound Link: Click')).toBe('Outbound Link: Click');
  });

  it('asks GET /funnel with one step parameter per step', () => {
    expect(apiUrlOf('http://api.test/', '/funnel', { step: ['page:/a', 'event:B'], dateFrom: 'x' })).toBe(
      'http://api.test/funnel?step=page%3A%2Fa&step=event%3AB&dateFrom=x',
    );
  });

  it('refuses answers of another shape', () => {
    expect(() => parseFunnelAnswer({ steps: [{ step: 'page:/', visitors: '3' }] })).toThrow(/GET \/funnel/);
    expect(() => parseFunnelsAnswer({ funnels: [{ name: 'a', steps: 'page:/' }] })).toThrow(/GET \/funnels/);
    expect(parseFunnelsAnswer({ funnels: [] })).toEqual({ funnels: [] });
  });
});
