import { describe, expect, it } from 'vitest';
import type { PropsAnswer } from '../../../lambdas/query/answers.js';
import {
  goalOfFilters,
  goalPropertyLimits,
  parsePropsAnswer,
  readGoalProperties,
} from './goal-properties.js';

const pro = { value: 'pro', visitors: 40, visits: 44, events: 1234 };
const team = { value: 'team', visitors: 10, visits: 10, events: 12 };

describe('parsePropsAnswer', () => {
  it('takes the documented rows', () => {
    expect(parsePropsAnswer({ data: [pro, team] })).toEqual({ data: [pro, team] });
  });

  it.each([
    ['no data', {}],
    ['an HTML page', '<html>'],
    ['a goal row', { data: [{ value: 'Signup', visitors: 1, events: 1, conversion_rate: 5 }] }],
    ['a null row', { data: [null] }],
  ])('refuses %s', (_name, body) => {
    expect(() => parsePropsAnswer(body)).toThrow('The API answer has no "data" list of event properties.');
  });
});

describe('goalOfFilters', () => {
  const goal = (operator: 'is' | 'is_not', ...values: string[]) => ({
    property: 'event' as const,
    operator,
    values,
  });
  const google = { property: 'source' as const, operator: 'is' as const, values: ['Google'] };
  it('is the one goal a view is filtered to, beside any other filter', () => {
    expect(goalOfFilters([goal('is', 'Purchase')])).toBe('Purchase');
    expect(goalOfFilters([google, goal('is', 'Purchase')])).toBe('Purchase');
  });

  it('is none without exactly one goal that is one value', () => {
    expect(goalOfFilters([google])).toBeUndefined();
    expect(goalOfFilters([goal('is', 'Purchase', 'Signup')])).toBeUndefined();
    expect(goalOfFilters([goal('is_not', 'Purchase')])).toBeUndefined();
    expect(goalOfFilters([goal('is', 'Purchase'), goal('is', 'Signup')])).toBeUndefined();
    expect(goalOfFilters(undefined)).toBeUndefined();
  });
});

describe('readGoalProperties', () => {
  it("asks for the keys, then each key's values, with bars by visitors and figures as shown", async () => {
    const asked: string[] = [];
    const answers: Record<string, PropsAnswer> = {
      props: { data: [{ value: 'plan', visitors: 50, visits: 54, events: 1246 }] },
      'props.plan': { data: [pro, team] },
    };
    const properties = await readGoalProperties(async (property) => {
      asked.push(property);
      return answers[property]!;
    });
    expect(asked).toEqual(['props', 'props.plan']);
    expect(
      properties.map((p) => [p.key, p.rows.map((r) => [r.value, r.bar, r.visitorsText, r.eventsText])]),
    ).toEqual([
      [
        'plan',
        [
          ['pro', 1, '40', '1,234'],
          ['team', 0.25, '10', '12'],
        ],
      ],
    ]);
  });

  it(`shows at most ${goalPropertyLimits.keys} keys of ${goalPropertyLimits.values} values`, async () => {
    const many = (prefix: string) =>
      Array.from({ length: 15 }, (_, i) => ({
        value: `${prefix}${i}`,
        visitors: 15 - i,
        visits: 1,
        events: 1,
      }));
    const properties = await readGoalProperties(async (property) => ({
      data: many(property === 'props' ? 'k' : 'v'),
    }));
    expect(properties.map((p) => p.key)).toEqual(
      many('k')
        .slice(0, 10)
        .map((r) => r.value),
    );
    expect(properties.every((p) => p.rows.length === 10)).toBe(true);
  });
});
