// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App.js';
import type { VisitsResponse } from './lib/visits.js';

// uPlot needs a real canvas, which jsdom lacks; the chart is covered by the browser test.
vi.mock('./components/VisitsChart.js', () => ({
  VisitsChart: ({ chart }: { chart: { series: { label: string }[] } }) => <div data-testid="chart">{chart.series.length} series</div>,
}));

const apiUrl = 'http://api.test';
const goodKey = 'read-key-1';
const now = Date.now();
const hourStart = (hoursAgo: number) => new Date(Math.floor(now / 3_600_000) * 3_600_000 - hoursAgo * 3_600_000).toISOString();

const someVisits: VisitsResponse = {
  data: {
    'http://localhost/pricing': [
      { timeframe: hourStart(2), visit_count: 4 },
      { timeframe: hourStart(0), visit_count: 3 },
    ],
    'http://localhost/': [{ timeframe: hourStart(0), visit_count: 5 }],
  },
};

type VisitsAnswer = { status: number; body: unknown } | 'unreachable';
let visitsAnswer: VisitsAnswer;
let configAnswer: { status: number; body: unknown };
let visitRequests: URL[];

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

beforeEach(() => {
  visitRequests = [];
  visitsAnswer = { status: 200, body: someVisits };
  configAnswer = { status: 200, body: { apiUrl } };
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    if (input === './config.json') return json(configAnswer.status, configAnswer.body);
    const url = new URL(input);
    visitRequests.push(url);
    const auth = (init?.headers as Record<string, string>).authorization;
    if (visitsAnswer === 'unreachable') throw new TypeError('Failed to fetch');
    if (auth !== `Bearer ${goodKey}`) return json(401, { error: 'Unknown key.' });
    return json(visitsAnswer.status, visitsAnswer.body);
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function signIn(key = goodKey) {
  fireEvent.change(await screen.findByLabelText('Read key'), { target: { value: key } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('signing in', () => {
  it('shows a clear message for a wrong key and stays on the sign-in form', async () => {
    render(<App />);
    await signIn('wrong');
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('That key was not recognised.'));
    expect(sessionStorage.length).toBe(0);
  });

  it('opens the dashboard with the totals and table from the API answer', async () => {
    render(<App />);
    await signIn();
    expect((await screen.findByTestId('total-visits')).textContent).toBe('12');
    expect(screen.getByTestId('total-pages').textContent).toBe('2');
    const pricing = document.querySelector('tr[data-page="http://localhost/pricing"]') as HTMLElement;
    expect(within(pricing).getByText('7')).toBeTruthy();
    expect(pricing.querySelector(`td[data-bucket="${hourStart(2)}"]`)?.textContent).toBe('4');
    expect(screen.getByTestId('chart').textContent).toBe('3 series');
    expect(sessionStorage.getItem('pageviews.readKey')).toBe(goodKey);
    expect(window.location.href).not.toContain(goodKey);
  });

  it('signs out back to the form and forgets the key', async () => {
    sessionStorage.setItem('pageviews.readKey', goodKey);
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('Read key')).toBeTruthy();
    expect(sessionStorage.getItem('pageviews.readKey')).toBeNull();
  });
});

describe('dashboard states', () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));

  it('says there are no visits and what to try when the range is empty', async () => {
    visitsAnswer = { status: 200, body: { data: {} } };
    render(<App />);
    expect(await screen.findByText('No visits in this range')).toBeTruthy();
    expect(screen.getByTestId('total-visits').textContent).toBe('0');
  });

  it('says the API is not answering instead of showing a blank page', async () => {
    visitsAnswer = 'unreachable';
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The analytics API is not answering.');
    expect(alert.textContent).toContain(apiUrl);
    expect(within(alert).getByRole('button', { name: 'Try again now' })).toBeTruthy();
  });

  it('sends a person with a revoked key back to sign in, saying why', async () => {
    visitsAnswer = { status: 403, body: { error: 'This key has been revoked.' } };
    render(<App />);
    expect(await screen.findByLabelText('Read key')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('That key cannot read visits.');
  });

  it("passes on the API's message when it refuses the range", async () => {
    visitsAnswer = { status: 400, body: { error: 'A minute query can span at most 24 hours.' } };
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('at most 24 hours');
  });

  it('puts a new aggregation in the URL and asks the API for it', async () => {
    render(<App />);
    await screen.findByTestId('total-visits');
    fireEvent.click(screen.getByRole('radio', { name: 'day' }));
    await waitFor(() => expect(visitRequests.at(-1)?.searchParams.get('aggregation')).toBe('day'));
    expect(new URLSearchParams(window.location.search).get('aggregation')).toBe('day');
  });

  it('narrows a range over the limit before asking, and explains it', async () => {
    window.history.replaceState(null, '', '/?range=30d&aggregation=minute');
    render(<App />);
    expect(await screen.findByText(/a view can cover at most 24 hours/)).toBeTruthy();
    // The note can render before the request leaves: wait for the minute request itself.
    const minuteRequests = () => visitRequests.filter((r) => r.searchParams.get('aggregation') === 'minute');
    await waitFor(() => expect(minuteRequests().length).toBeGreaterThan(0));
    const request = minuteRequests().at(-1);
    const span = Date.parse(request?.searchParams.get('dateTo') ?? '') - Date.parse(request?.searchParams.get('dateFrom') ?? '');
    expect(span).toBe(24 * 3_600_000);
  });
});

describe('custom range', () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));

  it('refuses an end before the start, then puts a valid range in the URL and asks for it in UTC', async () => {
    render(<App />);
    await screen.findByTestId('total-visits');
    fireEvent.click(screen.getByRole('radio', { name: 'Custom' }));
    fireEvent.change(screen.getByLabelText('From (UTC)'), { target: { value: '2026-11-10T00:00' } });
    fireEvent.change(screen.getByLabelText('To (UTC)'), { target: { value: '2026-11-09T00:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply range' }));
    expect((await screen.findByText('The end must be after the start.')).getAttribute('role')).toBe('alert');

    fireEvent.change(screen.getByLabelText('To (UTC)'), { target: { value: '2026-11-11T12:30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply range' }));
    await waitFor(() => expect(visitRequests.at(-1)?.searchParams.get('dateFrom')).toBe('2026-11-10T00:00:00.000Z'));
    // Widened to whole hours, as the API counts them.
    expect(visitRequests.at(-1)?.searchParams.get('dateTo')).toBe('2026-11-11T13:00:00.000Z');
    expect(new URLSearchParams(window.location.search).get('range')).toBe('custom');
    expect(await screen.findByRole('heading', { name: 'Custom range' })).toBeTruthy();
  });
});

describe('history', () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));

  it('goes back to the previous view, closing a custom range that was never applied', async () => {
    window.history.replaceState(null, '', '/?range=24h&aggregation=hour');
    render(<App />);
    await screen.findByTestId('total-visits');
    fireEvent.click(screen.getByRole('radio', { name: '7 days' }));
    await waitFor(() => expect(window.location.search).toBe('?range=7d&aggregation=hour'));
    fireEvent.click(screen.getByRole('radio', { name: 'Custom' }));
    expect(screen.getByLabelText('From (UTC)')).toBeTruthy();

    window.history.back();
    await waitFor(() => expect((screen.getByRole('radio', { name: '24 hours' }) as HTMLInputElement).checked).toBe(true));
    expect(screen.queryByLabelText('From (UTC)')).toBeNull();
    await waitFor(() => expect(visitRequests.at(-1)?.searchParams.get('aggregation')).toBe('hour'));
    expect(await screen.findByRole('heading', { name: 'Last 24 hours' })).toBeTruthy();
  });
});

it('explains a missing config.json', async () => {
  configAnswer = { status: 404, body: { error: 'not found' } };
  render(<App />);
  expect((await screen.findByRole('alert')).textContent).toContain('The dashboard is not configured.');
});
