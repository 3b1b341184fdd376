/**
 * Event properties over HTTP against the local stack: POST /events with `props` counted exactly
 * once under duplicates, the properties kept with the event in its visitor-day, and every limit
 * refused with a 400 that names the key and the rule.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUserAgent } from '../lambdas/core/settings.js';
import { getVisits, postVisit, startTestStack, storedViewsToday } from '../test/helpers.js';
import type { LocalStack } from './stack.js';

const site = 'https://props.test';
let stack: LocalStack;

async function postEvent(body: Record<string, unknown>) {
  const response = await fetch(`${stack.apiUrl}/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': browserUserAgent },
    body: JSON.stringify({ key: stack.demo.siteKey, pageUrl: `${site}/pricing`, ...body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/** Every stored event of the demo org today, with its properties. */
const storedEvents = async () => (await storedViewsToday(stack)).filter((view) => view.kind === 'event');

const bigProps = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => [`key-${i}`, String.fromCharCode(65 + i).repeat(2000)]),
);

beforeAll(async () => {
  stack = await startTestStack();
  await postVisit(stack.apiUrl, { key: stack.demo.siteKey, pageUrl: `${site}/pricing`, identifier: 'buyer' });
  const purchase = randomUUID();
  const answers = await Promise.all([
    postEvent({ identifier: 'buyer', name: 'Purchase', eventId: purchase, props: { plan: 'pro', seats: 5 } }),
    // A browser re-send and a redelivery: the same eventId, counted once.
    postEvent({ identifier: 'buyer', name: 'Purchase', eventId: purchase, props: { plan: 'pro', seats: 5 } }),
    postEvent({ identifier: 'buyer', name: 'Purchase', eventId: purchase, props: { plan: 'pro', seats: 5 } }),
    postEvent({ identifier: 'other', name: 'Purchase', props: { plan: 'team', trial: false } }),
    postEvent({ identifier: 'other', name: 'Big', props: bigProps }),
  ]);
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202));
  expect(await stack.drain()).toBe(true);
}, 60_000);
afterAll(() => stack?.stop());

describe('event properties', () => {
  it('keeps each event once, with its properties as strings, whatever the duplicates', async () => {
    const events = await storedEvents();
    const purchases = events.filter((e) => e.name === 'Purchase').map((e) => e.props);
    expect(purchases).toHaveLength(2);
    expect(purchases).toEqual(
      expect.arrayContaining([
        { plan: 'pro', seats: '5' },
        { plan: 'team', trial: 'false' },
      ]),
    );
    // Compared as one boolean: a failure would print 60,000 characters.
    expect(JSON.stringify(events.find((e) => e.name === 'Big')?.props) === JSON.stringify(bigProps)).toBe(
      true,
    );
  });

  it('counts a goal with properties once per eventId', async () => {
    const { body } = await getVisits(
      stack.apiUrl,
      stack.demo.readKey,
      {
        property: 'event',
        dateFrom: new Date(Date.now() - 3_600_000).toISOString(),
        dateTo: new Date(Date.now() + 60_000).toISOString(),
      },
      '/breakdown',
    );
    expect(body.data).toContainEqual(expect.objectContaining({ value: 'Purchase', visitors: 2, events: 2 }));
  });

  it.each([
    ['a list', ['pro'], 'props must be an object of property names to values, such as {"plan": "pro"}'],
    [
      '31 entries',
      Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v'])),
      'props has 31 entries; at most 30 are accepted',
    ],
    [
      'a key with a dot',
      { 'plan.name': 'pro' },
      'props key "plan.name" must be 1 to 64 letters, digits, "_" or "-"',
    ],
    [
      'a key of 65 characters',
      { ['k'.repeat(65)]: 'x' },
      `props key "${'k'.repeat(65)}" must be 1 to 64 letters, digits, "_" or "-"`,
    ],
    ['an empty value', { plan: '' }, 'props.plan must be 1 to 2000 characters; it has 0'],
    [
      'a value of 2,001 characters',
      { plan: 'x'.repeat(2001) },
      'props.plan must be 1 to 2000 characters; it has 2001',
    ],
    ['a list value', { plan: ['pro'] }, 'props.plan must be a string, a number or a boolean'],
  ])('refuses %s with a 400 naming the key and the rule, and queues nothing', async (_case, props, error) => {
    const { status, body } = await postEvent({ name: 'Refused', props });
    expect({ status, body }).toEqual({ status: 400, body: { error } });
  });

  it('never stores a refused event', async () => {
    expect(await stack.drain()).toBe(true);
    expect((await storedEvents()).filter((e) => e.name === 'Refused')).toEqual([]);
  });
});
