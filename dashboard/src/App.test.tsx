// @vitest-environment jsdom
import { cleanup, configure, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App.js';
import { someRealtime } from './test-fixtures.js';
import type { ReactNode } from 'react';
import type {
  BreakdownAnswer,
  BreakdownProperty,
  PageRow,
  StatsAnswer,
} from '../../lambdas/query/answers.js';

// uPlot needs a real canvas, which jsdom lacks; the chart is covered by the browser test.
vi.mock('./components/VisitsChart.js', () => ({
  VisitsChart: ({
    chart,
    caption,
    toolbar,
  }: {
    chart: { series: { label: string; values: number[] }[] };
    caption: string;
    toolbar?: ReactNode;
  }) => (
    <figure>
      <figcaption>{caption}</figcaption>
      {toolbar}
      <div data-testid="chart">
        {chart.series.map((s) => `${s.label}: ${s.values.reduce((a, b) => a + b, 0)}`).join('; ')}
      </div>
    </figure>
  ),
}));

// findBy* and waitFor wait up to 1 s by default; CI shares 2 cores with DynamoDB Local and Chromium.
configure({ asyncUtilTimeout: 5_000 });

const apiUrl = 'http://api.test';
const goodKey = 'read-key-1';
const now = Date.now();
const hourStart = (hoursAgo: number) =>
  new Date(Math.floor(now / 3_600_000) * 3_600_000 - hoursAgo * 3_600_000).toISOString();
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = dayOf(now);

const someStats: StatsAnswer = {
  totals: {
    visitors: 1234,
    visits: 1500,
    pageviews: 2250,
    bounces: 600,
    bounce_rate: 40,
    visit_duration: 65,
    views_per_visit: 1.5,
    bots: 3,
  },
  // One bucket, the current hour: always inside Today, whatever time the test runs.
  series: [
    {
      timeframe: hourStart(0),
      visitors: 1000,
      visits: 1200,
      pageviews: 2000,
      bounces: 500,
      visit_duration: 60,
    },
  ],
};
const breakdowns: Partial<Record<BreakdownProperty, BreakdownAnswer>> = {
  page: {
    data: [
      {
        value: 'http://localhost/pricing',
        visitors: 900,
        visits: 1000,
        pageviews: 1400,
        time_on_page: 65,
        scroll_depth: 75,
      },
      // No view of it reported its engagement.
      {
        value: 'http://localhost/',
        visitors: 700,
        visits: 800,
        pageviews: 850,
        time_on_page: null,
        scroll_depth: null,
      },
    ] as PageRow[],
  },
  entry_page: { data: [{ value: 'http://localhost/', visitors: 1100, visits: 1300, pageviews: 2000 }] },
  exit_page: { data: [{ value: 'http://localhost/thanks', visitors: 1200, visits: 1500, pageviews: 2250 }] },
  // Twelve sources: ten on the panel, two behind Details.
  source: {
    data: [
      { value: 'Google', visitors: 400, visits: 420, pageviews: 600 },
      { value: 'Direct / None', visitors: 200, visits: 230, pageviews: 300 },
      ...Array.from({ length: 10 }, (_, i) => ({
        value: `blog${i}.example`,
        visitors: 10 - i,
        visits: 10 - i,
        pageviews: 20 - i,
      })),
    ],
  },
  utm_campaign: { data: [{ value: 'spring-sale', visitors: 30, visits: 31, pageviews: 40 }] },
  country: {
    data: [
      { value: 'DE', visitors: 300, visits: 310, pageviews: 500 },
      { value: 'IN', visitors: 150, visits: 160, pageviews: 200 },
    ],
  },
  browser: { data: [{ value: 'Chrome', visitors: 500, visits: 520, pageviews: 800 }] },
  os: { data: [{ value: 'Windows', visitors: 450, visits: 470, pageviews: 700 }] },
  device: { data: [{ value: 'mobile', visitors: 250, visits: 260, pageviews: 300 }] },
};
/** GET /breakdown?property=event: the Goals panel. */
let goalsAnswer: unknown;
const someGoals = {
  data: [
    { value: 'Signup', visitors: 37, events: 52, conversion_rate: 3 },
    { value: 'Download', visitors: 12, events: 1500, conversion_rate: 1 },
  ],
};
const emptyStats: StatsAnswer = {
  totals: {
    visitors: 0,
    visits: 0,
    pageviews: 0,
    bounces: 0,
    bounce_rate: 0,
    visit_duration: 0,
    views_per_visit: 0,
    bots: 0,
  },
  series: [],
};

type Answer = { status: number; body: unknown } | 'unreachable';
let statsAnswer: Answer;
/** GET /site; `siteHeld` keeps it from answering until it is resolved. */
let siteAnswer: { status: number; body: unknown };
let siteHeld: Promise<void> | undefined;
let realtimeAnswer: { status: number; body: unknown };
let configAnswer: { status: number; body: unknown };
let apiRequests: URL[];
/** The org's saved segments, as the fake API keeps them (GET, PUT, DELETE /segments). */
let savedSegments: { name: string; filters: string[]; updatedAt: string }[];
/** The PUT and DELETE requests, as `METHOD body-or-query`. */
let segmentChanges: string[];
const requestsTo = (path: string) => apiRequests.filter((r) => r.pathname === path);
/** The pages table's breakdowns, without the panels'. */
const pagesTableRequests = () =>
  requestsTo('/breakdown').filter((r) =>
    ['page', 'entry_page', 'exit_page'].includes(r.searchParams.get('property') ?? ''),
  );
/** The /stats requests for the view, without the comparison's: each load asks for the view, then for the period before it. */
function viewStats() {
  const views: URL[] = [];
  const range = (r: URL) =>
    ['dateFrom', 'dateTo'].map((name) => Date.parse(r.searchParams.get(name)!)) as [number, number];
  for (const request of requestsTo('/stats')) {
    const last = views.at(-1);
    const [from, to] = range(request);
    // The comparison starts one view length before the view it follows, and is no longer than it.
    const span = last ? range(last)[1] - range(last)[0] : 0;
    if (last && from === range(last)[0] - span && to - from <= span) continue;
    views.push(request);
  }
  return views;
}

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

beforeEach(() => {
  apiRequests = [];
  savedSegments = [];
  segmentChanges = [];
  statsAnswer = { status: 200, body: someStats };
  siteAnswer = { status: 200, body: { timezone: 'UTC', name: 'My blog', domains: ['myblog.test'] } };
  siteHeld = undefined;
  goalsAnswer = someGoals;
  realtimeAnswer = { status: 200, body: someRealtime };
  configAnswer = { status: 200, body: { apiUrl } };
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
  vi.stubGlobal('fetch', async (input: string, init?: RequestInit) => {
    if (input === './config.json') return json(configAnswer.status, configAnswer.body);
    const url = new URL(input);
    apiRequests.push(url);
    const auth = ((init?.headers ?? {}) as Record<string, string>).authorization;
    if (statsAnswer === 'unreachable') throw new TypeError('Failed to fetch');
    if (auth !== `Bearer ${goodKey}`) return json(401, { error: 'Unknown key.' });
    if (url.pathname === '/site') {
      await siteHeld;
      return json(siteAnswer.status, siteAnswer.body);
    }
    if (url.pathname === '/breakdown' && url.searchParams.get('property') === 'event')
      return json(200, goalsAnswer);
    if (url.pathname === '/realtime') return json(realtimeAnswer.status, realtimeAnswer.body);
    if (url.pathname === '/segments') {
      const method = init?.method ?? 'GET';
      if (method === 'PUT') {
        segmentChanges.push(`PUT ${init!.body}`);
        const saved = { ...JSON.parse(init!.body as string), updatedAt: '2026-11-26T10:00:00.000Z' };
        savedSegments = [...savedSegments.filter((x) => x.name !== saved.name), saved];
        return json(200, saved);
      }
      if (method === 'DELETE') {
        segmentChanges.push(`DELETE ${url.search}`);
        savedSegments = savedSegments.filter((x) => x.name !== url.searchParams.get('name'));
        return new Response(null, { status: 204 });
      }
      return json(200, { segments: savedSegments });
    }
    if (url.pathname === '/breakdown')
      return json(200, breakdowns[url.searchParams.get('property') as BreakdownProperty]);
    return json(statsAnswer.status, statsAnswer.body);
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The rows of the pages table as shown: page, visitors, visits, pageviews. */
function shownRows(): string[][] {
  return [...document.querySelectorAll('tr[data-page]')].map((tr) => [
    tr.getAttribute('data-page') ?? '',
    ...[...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
  ]);
}

async function signIn(key = goodKey) {
  fireEvent.change(await screen.findByLabelText('Read key'), { target: { value: key } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('signing in', () => {
  it('shows a clear message for a wrong key and stays on the sign-in form', async () => {
    render(<App />);
    await signIn('wrong');
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      expect.stringContaining('That key was not recognised.'),
    );
    expect(sessionStorage.length).toBe(0);
  });

  it('opens the dashboard with the top row, chart and pages table from the API answers', async () => {
    render(<App />);
    await signIn();
    expect((await screen.findByTestId('total-visitors')).textContent).toBe('1,234');
    expect(
      ['visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'].map(
        (id) => screen.getByTestId(`total-${id}`).textContent,
      ),
    ).toEqual(['1,500', '2,250', '1.5', '40%', '1m 05s']);
    expect(screen.getByTestId('chart').textContent).toBe('Visitors: 1000');
    // The pages table reads like every panel, once the view's figures are in.
    await waitFor(() =>
      expect(shownRows()).toEqual([
        ['http://localhost/pricing', '900', '1,000', '1,400', '1m 05s', '75%'],
        ['http://localhost/', '700', '800', '850', '–', '–'],
      ]),
    );
    // Today, the whole day of the site's zone (UTC here), by hour; the same range for the totals and the table.
    const [stats, breakdown] = [viewStats().at(-1), pagesTableRequests().at(-1)];
    expect(stats?.searchParams.get('aggregation')).toBe('hour');
    for (const request of [stats, breakdown]) {
      expect([request?.searchParams.get('dateFrom'), request?.searchParams.get('dateTo')]).toEqual([
        `${today}T00:00:00.000Z`,
        new Date(Date.parse(today) + 86_400_000).toISOString(),
      ]);
    }
    expect(breakdown?.searchParams.get('property')).toBe('page');
    expect(sessionStorage.getItem('pageviews.readKey')).toBe(goodKey);
    expect(window.location.href).not.toContain(goodKey);
  });

  it('signs out back to the form and forgets the key', async () => {
    sessionStorage.setItem('pageviews.readKey', goodKey);
    render(<App />);
    // Signs out of the loaded dashboard: the top bar of the loading state (before GET /site answers)
    // is replaced by the site's, and a click on the replaced button would reach no handler.
    await screen.findByTestId('total-visitors');
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('Read key')).toBeTruthy();
    expect(sessionStorage.getItem('pageviews.readKey')).toBeNull();
  });
});

describe('dashboard states', () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));

  it('says there are no page views and what to try when the range is empty', async () => {
    statsAnswer = { status: 200, body: emptyStats };
    render(<App />);
    expect(await screen.findByText('No page views in this range')).toBeTruthy();
    expect(screen.getByTestId('total-visitors').textContent).toBe('0');
    expect(screen.getByTestId('total-visit_duration').textContent).toBe('0s');
  });

  it('says the API is not answering instead of showing a blank page', async () => {
    statsAnswer = 'unreachable';
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The analytics API is not answering.');
    expect(alert.textContent).toContain(apiUrl);
    expect(within(alert).getByRole('button', { name: 'Try again now' })).toBeTruthy();
  });

  it('sends a person with a revoked key back to sign in, saying why', async () => {
    statsAnswer = { status: 403, body: { error: 'This key has been revoked.' } };
    render(<App />);
    expect(await screen.findByLabelText('Read key')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('That key cannot read visits.');
  });

  it("passes on the API's message when it refuses the range", async () => {
    statsAnswer = { status: 400, body: { error: 'A minute query can span at most 24 hours.' } };
    render(<App />);
    expect((await screen.findByRole('alert')).textContent).toContain('at most 24 hours');
  });
});

describe('chart and pages table', () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));

  it('names the site it shows in the top bar', async () => {
    render(<App />);
    expect((await screen.findByTestId('site-name')).textContent).toBe('My blog · myblog.test');
  });

  it('steps to the previous period with an arrow, and offers no next period past today', async () => {
    render(<App />);
    await screen.findByTestId('total-visitors');
    const next = screen.getByRole('button', { name: 'Next period' }) as HTMLButtonElement;
    expect(next.disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Previous period' }));
    const yesterday = dayOf(now - 86_400_000);
    await waitFor(() =>
      expect(window.location.search).toBe(`?range=custom&from=${yesterday}&to=${yesterday}`),
    );
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Next period' }) as HTMLButtonElement).disabled).toBe(false),
    );
  });

  it('offers CSV on every table: pages, sources, countries, devices and goals', async () => {
    render(<App />);
    await screen.findByTestId('total-visitors');
    for (const table of ['pages', 'Sources', 'Countries', 'Browser', 'Goals'])
      expect(await screen.findByRole('button', { name: `Export CSV of the ${table} table` })).toBeTruthy();
  });

  it('charts each top-row figure when it is clicked, without asking the API again', async () => {
    render(<App />);
    await screen.findByTestId('total-visitors');
    // Only the chart's own reads: the panels may still be loading theirs.
    const before = requestsTo('/stats').length;
    expect(screen.getByRole('button', { name: 'Chart Visitors' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Chart Pageviews' }));
    expect(screen.getByTestId('chart').textContent).toBe('Pageviews: 2000');
    expect(screen.getByText('Pageviews per hour')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Chart Pageviews' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Chart Bounce rate' }));
    // 500 bounces of 1,200 visits in the one bucket.
    expect(screen.getByTestId('chart').textContent).toBe('Bounce rate: 42');
    fireEvent.click(screen.getByRole('button', { name: 'Chart Visit duration' }));
    expect(screen.getByText('Visit duration per hour')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Chart Visitors' }));
    expect(screen.getByTestId('chart').textContent).toBe('Visitors: 1000');
    expect(requestsTo('/stats').length).toBe(before);
  });

  it.each([
    ['Entry pages', 'entry_page', [['http://localhost/', '1,100', '1,300', '2,000']]],
    ['Exit pages', 'exit_page', [['http://localhost/thanks', '1,200', '1,500', '2,250']]],
  ])('shows %s from the %s breakdown, and goes back to pages', async (tab, property, rows) => {
    render(<App />);
    await screen.findByTestId('total-visitors');
    fireEvent.click(screen.getByRole('radio', { name: tab }));
    await waitFor(() => expect(shownRows()).toEqual(rows));
    expect(pagesTableRequests().at(-1)?.searchParams.get('property')).toBe(property);
    expect(screen.getByRole('heading', { name: tab })).toBeTruthy();
    // The totals stay on screen while the other table loads: only the table changed.
    expect(screen.getByTestId('total-visitors').textContent).toBe('1,234');
    fireEvent.click(screen.getByRole('radio', { name: 'Pages' }));
    await waitFor(() => expect(shownRows()[0]?.[0]).toBe('http://localhost/pricing'));
  });

  it('sorts the table by a column, and back', async () => {
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Page' }));
    expect(shownRows().map((r) => r[0])).toEqual(['http://localhost/', 'http://localhost/pricing']);
    fireEvent.click(screen.getByRole('button', { name: 'Visitors' }));
    expect(shownRows().map((r) => r[0])).toEqual(['http://localhost/pricing', 'http://localhost/']);
  });
});

/** A panel's rows as shown: value (as the API names it), text, button name, visitors, bar width. */
function panelRowsShown(panel: string) {
  const section = document.querySelector(`[data-panel="${panel}"]`)!;
  return [...section.querySelectorAll('tr[data-value]')].map((tr) => [
    tr.getAttribute('data-value'),
    tr.querySelector('button')?.textContent,
    tr.querySelector('button')?.getAttribute('aria-label'),
    tr.querySelector('td[data-column="visitors"]')?.textContent,
    (tr.querySelector('.bar') as HTMLElement).style.width,
  ]);
}

describe('panels and the filter', () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));
  // The card around a panel's scrollable table region.
  const panel = (name: string) =>
    within(screen.getByRole('region', { name }).parentElement!.closest('section')!);

  it('shows the top 10 sources with bars, and the rest behind Details', async () => {
    render(<App />);
    await waitFor(() => expect(panelRowsShown('sources')).toHaveLength(10));
    expect(panelRowsShown('sources').slice(0, 3)).toEqual([
      ['Google', 'Google', 'Filter: Source is Google', '400', '100%'],
      ['Direct / None', 'Direct / None', 'Filter: Source is Direct / None', '200', '50%'],
      ['blog0.example', 'blog0.example', 'Filter: Source is blog0.example', '10', '2.5%'],
    ]);
    const details = panel('Sources table').getByRole('button', { name: 'Details: 2 more' });
    expect(details.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(details);
    expect(
      panelRowsShown('sources')
        .map((r) => r[0])
        .slice(10),
    ).toEqual(['blog8.example', 'blog9.example']);
    expect(details.getAttribute('aria-expanded')).toBe('true');
    // One request per open tab, with the Details rows in it.
    expect(
      requestsTo('/breakdown')
        .filter((r) => r.searchParams.get('property') === 'source')
        .every((r) => r.searchParams.get('limit') === '100'),
    ).toBe(true);
  });

  it('shows the top 10 pages like every panel, and the rest behind Details', async () => {
    const pages = breakdowns.page;
    breakdowns.page = {
      data: Array.from({ length: 12 }, (_, i) => ({
        value: `http://localhost/p${i}`,
        visitors: 20 - i,
        visits: 20 - i,
        pageviews: 30 - i,
      })),
    };
    try {
      render(<App />);
      const rows = () => document.querySelectorAll('[data-panel="pages"] tr[data-page]');
      await waitFor(() => expect(rows()).toHaveLength(10));
      fireEvent.click(panel('Pages table').getByRole('button', { name: 'Details: 2 more' }));
      expect(rows()).toHaveLength(12);
    } finally {
      breakdowns.page = pages;
    }
  });

  it('names countries with flags, and asks for a tab only when it is opened', async () => {
    render(<App />);
    await waitFor(() =>
      expect(panelRowsShown('countries').map((r) => r[1])).toEqual(['🇩🇪Germany', '🇮🇳India']),
    );
    expect(panelRowsShown('countries').map((r) => r[2])).toEqual([
      'Filter: Country is Germany',
      'Filter: Country is India',
    ]);
    expect(requestsTo('/breakdown').some((r) => r.searchParams.get('property') === 'os')).toBe(false);
    fireEvent.click(screen.getByRole('radio', { name: 'OS' }));
    await waitFor(() => expect(panelRowsShown('devices').map((r) => r[0])).toEqual(['Windows']));
    fireEvent.change(screen.getByLabelText('Sources shows'), { target: { value: 'utm_campaign' } });
    await waitFor(() => expect(panelRowsShown('sources').map((r) => r[0])).toEqual(['spring-sale']));
    fireEvent.click(screen.getByRole('radio', { name: 'Device' }));
    await waitFor(() => expect(panelRowsShown('devices').map((r) => r[1])).toEqual(['Mobile']));
  });

  it('filters every figure, the chart and the tables by a clicked row, in the URL, and removes the filter', async () => {
    window.history.replaceState(null, '', '/?range=today&aggregation=minute');
    render(<App />);
    await waitFor(() => expect(panelRowsShown('sources')).toHaveLength(10));
    expect(screen.getByTestId('bots').textContent).toMatch(/^3 bot views filtered out: /);
    expect((screen.getByRole('radio', { name: 'minute' }) as HTMLInputElement).disabled).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Filter: Source is Google' }));
    expect(window.location.search).toBe('?range=today&aggregation=minute&filter=source%3AGoogle');
    expect((await screen.findByTestId('filter-chip')).textContent).toBe('Source is Google×');
    expect(screen.getByTestId('filter-scope').textContent).toBe(
      'The filter applies to every figure, the chart and the tables.',
    );
    // The API counts a filter by hour, day and month: Minute is greyed out, the view by hour.
    await waitFor(() => expect(viewStats().at(-1)?.searchParams.get('filter')).toBe('source:Google'));
    expect(viewStats().at(-1)?.searchParams.get('aggregation')).toBe('hour');
    expect((screen.getByRole('radio', { name: 'minute' }) as HTMLInputElement).disabled).toBe(true);
    // The comparison is of the same visits, and so are the tables.
    expect(
      requestsTo('/stats')
        .slice(-2)
        .every((r) => r.searchParams.get('filter') === 'source:Google'),
    ).toBe(true);
    await waitFor(() =>
      expect(
        requestsTo('/breakdown')
          .filter((r) => r.searchParams.get('filter') === 'source:Google')
          .map((r) => r.searchParams.get('property')),
      ).toEqual(expect.arrayContaining(['page', 'source', 'country', 'event'])),
    );
    await waitFor(() => expect(shownRows()).toHaveLength(2));

    fireEvent.click(screen.getByRole('button', { name: 'Remove filter: Source is Google' }));
    expect(window.location.search).toBe('?range=today&aggregation=minute');
    expect(screen.queryByTestId('filter-chip')).toBeNull();
    await waitFor(() => expect(viewStats().at(-1)?.searchParams.get('aggregation')).toBe('minute'));
    expect(viewStats().at(-1)?.searchParams.has('filter')).toBe(false);
  });

  it('filters the tables over any range, a year too (the archive answers older days)', async () => {
    window.history.replaceState(null, '', '/?range=12mo&filter=source%3AGoogle&filter=country!%3ADE');
    render(<App />);
    expect((await screen.findByTestId('filter-scope')).textContent).toBe(
      'The filters (all of them) apply to every figure, the chart and the tables.',
    );
    await waitFor(() => expect(requestsTo('/breakdown').length).toBeGreaterThan(0));
    const both = ['source:Google', 'country!:DE'];
    expect(viewStats().at(-1)?.searchParams.getAll('filter')).toEqual(both);
    expect(
      requestsTo('/breakdown').every((r) => r.searchParams.getAll('filter').join() === both.join()),
    ).toBe(true);
  });

  it('adds chips from rows and the editor (is not, contains, any of), each removable, all in the URL and the history', async () => {
    window.history.replaceState(null, '', '/?range=7d');
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Filter: Source is Google' }));
    await screen.findByTestId('filter-chip');

    fireEvent.click(screen.getByRole('button', { name: 'Add filter' }));
    const editor = within(screen.getByRole('form', { name: 'Add a filter' }));
    fireEvent.change(editor.getByLabelText('Property'), { target: { value: 'country' } });
    fireEvent.change(editor.getByLabelText('Operator'), { target: { value: 'is_not' } });
    fireEvent.click(editor.getByRole('button', { name: 'Add' }));
    // No value: the editor says what it takes and adds nothing.
    expect(editor.getByRole('alert').textContent).toBe(
      'Enter a value; several values, separated by |, mean any of them.',
    );
    fireEvent.change(editor.getByLabelText('Values'), { target: { value: 'DE|AT' } });
    fireEvent.click(editor.getByRole('button', { name: 'Add' }));

    fireEvent.click(screen.getByRole('button', { name: 'Add filter' }));
    const second = within(screen.getByRole('form', { name: 'Add a filter' }));
    fireEvent.change(second.getByLabelText('Property'), { target: { value: 'page' } });
    // A page "is" takes whole URLs, as the API does: said in the editor, nothing added.
    fireEvent.change(second.getByLabelText('Values'), { target: { value: '/blog' } });
    fireEvent.click(second.getByRole('button', { name: 'Add' }));
    expect(second.getByRole('alert').textContent).toBe(
      'Enter whole page URLs (https://...), or choose "contains" for part of one.',
    );
    fireEvent.change(second.getByLabelText('Operator'), { target: { value: 'contains' } });
    fireEvent.change(second.getByLabelText('Values'), { target: { value: '/blog' } });
    fireEvent.submit(screen.getByRole('form', { name: 'Add a filter' }));

    const chips = () => screen.queryAllByTestId('filter-chip').map((c) => c.getAttribute('data-filter'));
    await waitFor(() => expect(chips()).toEqual(['source:Google', 'country!:DE|AT', 'page~:/blog']));
    expect(screen.getAllByTestId('filter-chip').map((c) => c.textContent)).toEqual([
      'Source is Google×',
      'Country is not Germany or Austria×',
      'Page contains /blog×',
    ]);
    expect(new URLSearchParams(window.location.search).getAll('filter')).toEqual(chips());
    await waitFor(() => expect(viewStats().at(-1)?.searchParams.getAll('filter')).toEqual(chips()));
    await waitFor(() =>
      expect(
        requestsTo('/breakdown').some((r) => r.searchParams.getAll('filter').join() === chips().join()),
      ).toBe(true),
    );

    // Another source replaces Google rather than asking for visits from both.
    fireEvent.click(screen.getByRole('button', { name: 'Filter: Source is Direct / None' }));
    await waitFor(() => expect(chips()).toEqual(['country!:DE|AT', 'page~:/blog', 'source:Direct / None']));

    fireEvent.click(screen.getByRole('button', { name: 'Remove filter: Country is not Germany or Austria' }));
    expect(chips()).toEqual(['page~:/blog', 'source:Direct / None']);

    // Back and forward step through the filters.
    window.history.back();
    await waitFor(() => expect(chips()).toEqual(['country!:DE|AT', 'page~:/blog', 'source:Direct / None']));
    window.history.forward();
    await waitFor(() => expect(chips()).toEqual(['page~:/blog', 'source:Direct / None']));
  });

  it('saves the chips as a segment, applies a saved one, and deletes it', async () => {
    savedSegments = [{ name: 'Mobile', filters: ['device:mobile'], updatedAt: '2026-11-20T00:00:00.000Z' }];
    window.history.replaceState(null, '', '/?range=7d&filter=source%3AGoogle&filter=country!%3ADE');
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Save as segment' }));
    fireEvent.change(screen.getByLabelText('Segment name'), { target: { value: 'Google, not DE' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(segmentChanges).toEqual([
        `PUT {"name":"Google, not DE","filters":["source:Google","country!:DE"]}`,
      ]),
    );
    // The list is read again, and the view is that segment.
    await waitFor(() =>
      expect((screen.getByLabelText('Segment') as HTMLSelectElement).value).toBe('Google, not DE'),
    );

    fireEvent.change(screen.getByLabelText('Segment'), { target: { value: 'Mobile' } });
    await waitFor(() => expect(window.location.search).toBe('?range=7d&filter=device%3Amobile'));
    expect(screen.getAllByTestId('filter-chip').map((c) => c.textContent)).toEqual(['Device is Mobile×']);

    fireEvent.click(screen.getByRole('button', { name: 'Delete segment Mobile' }));
    await waitFor(() => expect(segmentChanges.at(-1)).toBe('DELETE ?name=Mobile'));
    await waitFor(() =>
      expect(
        [...(screen.getByLabelText('Segment') as HTMLSelectElement).options].map((o) => o.value),
      ).toEqual(['', 'Google, not DE']),
    );
    // The filters stay: deleting a segment does not change the view.
    expect(window.location.search).toBe('?range=7d&filter=device%3Amobile');
  });

  it('lets a shared link apply segments but offers no saving or deleting', async () => {
    sessionStorage.setItem('pageviews.shared', '1');
    savedSegments = [{ name: 'Mobile', filters: ['device:mobile'], updatedAt: '2026-11-20T00:00:00.000Z' }];
    window.history.replaceState(null, '', '/?range=7d&filter=source%3AGoogle');
    render(<App />);
    await screen.findByRole('option', { name: 'Mobile' });
    fireEvent.change(screen.getByRole('combobox', { name: 'Segment' }), { target: { value: 'Mobile' } });
    await waitFor(() => expect(window.location.search).toBe('?range=7d&filter=device%3Amobile'));
    expect(screen.queryByRole('button', { name: 'Save as segment' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Delete segment/ })).toBeNull();
  });

  it('filters by a page from the Pages tab only', async () => {
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Filter: Page is http://localhost/pricing' }));
    expect(window.location.search).toBe('?range=today&filter=page%3Ahttp%3A%2F%2Flocalhost%2Fpricing');
    await waitFor(() =>
      expect(viewStats().at(-1)?.searchParams.get('filter')).toBe('page:http://localhost/pricing'),
    );
    fireEvent.click(await screen.findByRole('radio', { name: 'Entry pages' }));
    await waitFor(() => expect(shownRows()).toEqual([['http://localhost/', '1,100', '1,300', '2,000']]));
    // An entry page is not what the page filter keeps: no filter buttons on that tab.
    expect(screen.queryByRole('button', { name: /^Filter: Page is/ })).toBeNull();
  });

  it('shows the goals with visitors, events and conversion rate, and filters by a clicked goal', async () => {
    render(<App />);
    const goals = () =>
      [...document.querySelectorAll('[data-panel="goals"] tr[data-value]')].map((tr) => [
        tr.querySelector('button')?.getAttribute('aria-label'),
        ...[...tr.querySelectorAll('td')].map((td) => td.textContent),
        (tr.querySelector('.bar') as HTMLElement).style.width,
      ]);
    await waitFor(() => expect(goals()).toHaveLength(2));
    expect(goals()).toEqual([
      ['Filter: Goal is Signup', '37', '52', '3%', '100%'],
      ['Filter: Goal is Download', '12', '1,500', '1%', '32.4%'],
    ]);
    const goalRequests = requestsTo('/breakdown').filter((r) => r.searchParams.get('property') === 'event');
    expect(
      goalRequests.every((r) => r.searchParams.get('limit') === '100' && !r.searchParams.has('filter')),
    ).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Filter: Goal is Signup' }));

    expect(window.location.search).toBe('?range=today&filter=event%3ASignup');
    expect((await screen.findByTestId('filter-chip')).textContent).toBe('Goal is Signup×');
    await waitFor(() => expect(viewStats().at(-1)?.searchParams.get('filter')).toBe('event:Signup'));
  });

  it('says how to count a goal when there is none, and offers to ask again when the goals fail', async () => {
    goalsAnswer = { data: [] };
    render(<App />);
    const goalsPanel = () => document.querySelector('[data-panel="goals"]')!;
    await waitFor(() =>
      expect(goalsPanel().textContent).toContain(
        "No goals in this range. A site counts one with window.pv.event('Signup').",
      ),
    );
    cleanup();

    goalsAnswer = '<html>proxy error</html>';
    render(<App />);
    await waitFor(() =>
      expect(within(goalsPanel() as HTMLElement).getByRole('alert').textContent).toContain('Try again'),
    );
    goalsAnswer = someGoals;
    fireEvent.click(within(goalsPanel() as HTMLElement).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(goalsPanel().querySelectorAll('tr[data-value]')).toHaveLength(2));
  });

  it('opens a link with a filter filtered, and keeps it when the range changes', async () => {
    window.history.replaceState(null, '', '/?range=today&filter=country:IN');
    render(<App />);
    expect((await screen.findByTestId('filter-chip')).textContent).toBe('Country is India×');
    fireEvent.change(screen.getByLabelText('Range'), { target: { value: '7d' } });
    await waitFor(() => expect(window.location.search).toBe('?range=7d&filter=country%3AIN'));
    await waitFor(() => expect(viewStats().at(-1)?.searchParams.get('aggregation')).toBe('day'));
    expect(viewStats().at(-1)?.searchParams.get('filter')).toBe('country:IN');
  });
});

describe("the site's time zone", () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));
  const hour = 3_600_000;

  it('asks for no range before GET /site has answered', async () => {
    let answerSite = () => {};
    siteHeld = new Promise((resolve) => (answerSite = resolve));
    render(<App />);
    await waitFor(() => expect(requestsTo('/site')).toHaveLength(1));
    expect(screen.getByRole('status').textContent).toContain('Loading');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requestsTo('/stats')).toHaveLength(0);
    expect(requestsTo('/breakdown')).toHaveLength(0);
    answerSite();
    expect((await screen.findByTestId('total-visitors')).textContent).toBe('1,234');
    expect(requestsTo('/site')).toHaveLength(1);
  });

  it("asks for Today as the site's day, from its midnight, and names the zone (Asia/Kolkata, UTC+05:30)", async () => {
    siteAnswer = { status: 200, body: { timezone: 'Asia/Kolkata' } };
    render(<App />);
    await screen.findByTestId('total-visitors');
    expect(screen.getByTestId('zone-note').textContent).toBe('Times in Asia/Kolkata');
    const request = viewStats().at(-1)!;
    // Kolkata has no daylight saving: its midnight is always 18:30 UTC the day before.
    const kolkataToday = new Date(Date.now() + 5.5 * hour).toISOString().slice(0, 10);
    const from = Date.parse(`${kolkataToday}T00:00:00Z`) - 5.5 * hour;
    expect([request.searchParams.get('dateFrom'), request.searchParams.get('dateTo')]).toEqual([
      new Date(from).toISOString(),
      new Date(from + 24 * hour).toISOString(),
    ]);
    expect(pagesTableRequests().at(-1)?.searchParams.get('dateFrom')).toBe(new Date(from).toISOString());
    // The form for a custom range starts from the site's today.
    fireEvent.change(screen.getByLabelText('Range'), { target: { value: 'custom' } });
    expect((screen.getByLabelText('First day') as HTMLInputElement).value).toBe(kolkataToday);
  });

  it('says why when GET /site fails, and asks for the range once it answers', async () => {
    siteAnswer = { status: 503, body: { error: 'Service Unavailable' } };
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The API had a problem answering.');
    expect(requestsTo('/stats')).toHaveLength(0);
    siteAnswer = { status: 200, body: { timezone: 'Europe/Berlin' } };
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again now' }));
    expect(await screen.findByTestId('total-visitors')).toBeTruthy();
    expect(screen.getByTestId('zone-note').textContent).toBe('Times in Europe/Berlin');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('sends a person whose key GET /site refuses back to sign in, saying why', async () => {
    siteAnswer = { status: 403, body: { error: 'This key has been revoked.' } };
    render(<App />);
    expect(await screen.findByLabelText('Read key')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('That key cannot read visits.');
    expect(requestsTo('/stats')).toHaveLength(0);
  });
});

describe('ranges', () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));
  const rangeSelect = () => screen.getByLabelText('Range');

  it('explains that visitors of several days are a sum of daily visitors, and only then', async () => {
    render(<App />);
    const visitors = await screen.findByTestId('total-visitors');
    expect(visitors.getAttribute('aria-describedby')).toBeNull();
    fireEvent.change(rangeSelect(), { target: { value: '7d' } });
    await waitFor(() =>
      expect(screen.getByTestId('total-visitors').getAttribute('aria-describedby')).toBeTruthy(),
    );
    const note = document.getElementById(
      screen.getByTestId('total-visitors').getAttribute('aria-describedby') ?? '',
    );
    expect(note?.textContent).toMatch(/counted per day and added up/);
  });

  it('asks for the last 7 whole days by day, and puts the range in the URL', async () => {
    render(<App />);
    await screen.findByTestId('total-visitors');
    fireEvent.change(rangeSelect(), { target: { value: '7d' } });
    await waitFor(() => expect(viewStats().at(-1)?.searchParams.get('aggregation')).toBe('day'));
    const request = viewStats().at(-1);
    expect(request?.searchParams.get('dateFrom')).toBe(
      new Date(Date.parse(today) - 6 * 86_400_000).toISOString(),
    );
    expect(request?.searchParams.get('dateTo')).toBe(new Date(Date.parse(today) + 86_400_000).toISOString());
    expect(window.location.search).toBe('?range=7d');
    expect(await screen.findByRole('heading', { name: 'Last 7 days' })).toBeTruthy();
  });

  it('offers only the aggregations the API answers for the range, and keeps a choice in the URL', async () => {
    window.history.replaceState(null, '', '/?range=30d&aggregation=minute');
    render(<App />);
    await screen.findByTestId('total-visitors');
    // Minutes over 30 days are more than the API answers: shown by day instead.
    expect((screen.getByRole('radio', { name: 'minute' }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('radio', { name: 'day' }) as HTMLInputElement).checked).toBe(true);
    expect(viewStats().every((r) => r.searchParams.get('aggregation') === 'day')).toBe(true);

    fireEvent.click(screen.getByRole('radio', { name: 'hour' }));
    await waitFor(() => expect(viewStats().at(-1)?.searchParams.get('aggregation')).toBe('hour'));
    expect(window.location.search).toBe('?range=30d&aggregation=hour');
  });
});

describe('custom range', () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));

  it("refuses a last day before the first, then asks for whole days of the site's zone and puts them in the URL", async () => {
    render(<App />);
    await screen.findByTestId('total-visitors');
    fireEvent.change(screen.getByLabelText('Range'), { target: { value: 'custom' } });
    expect((screen.getByLabelText('First day') as HTMLInputElement).value).toBe(today);
    fireEvent.change(screen.getByLabelText('First day'), { target: { value: '2026-11-10' } });
    fireEvent.change(screen.getByLabelText('Last day'), { target: { value: '2026-11-09' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply range' }));
    expect((await screen.findByText('The last day must not be before the first.')).getAttribute('role')).toBe(
      'alert',
    );

    fireEvent.change(screen.getByLabelText('Last day'), { target: { value: '2026-11-11' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply range' }));
    await waitFor(() =>
      expect(viewStats().at(-1)?.searchParams.get('dateFrom')).toBe('2026-11-10T00:00:00.000Z'),
    );
    // The last day is included: the range ends where the day after it starts.
    expect(viewStats().at(-1)?.searchParams.get('dateTo')).toBe('2026-11-12T00:00:00.000Z');
    await waitFor(() =>
      expect(pagesTableRequests().at(-1)?.searchParams.get('dateTo')).toBe('2026-11-12T00:00:00.000Z'),
    );
    expect(window.location.search).toBe('?range=custom&from=2026-11-10&to=2026-11-11');
    expect(await screen.findByRole('heading', { name: 'Custom range' })).toBeTruthy();
    expect(screen.getByTestId('range-days').textContent).toBe('10 Nov 2026 – 11 Nov 2026');
  });
});

describe('history', () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));

  it('goes back to the previous view, closing a custom range that was never applied', async () => {
    window.history.replaceState(null, '', '/?range=yesterday');
    render(<App />);
    await screen.findByTestId('total-visitors');
    fireEvent.change(screen.getByLabelText('Range'), { target: { value: 'month' } });
    await waitFor(() => expect(window.location.search).toBe('?range=month'));
    fireEvent.change(screen.getByLabelText('Range'), { target: { value: 'custom' } });
    expect(screen.getByLabelText('First day')).toBeTruthy();

    window.history.back();
    await waitFor(() =>
      expect((screen.getByLabelText('Range') as HTMLSelectElement).value).toBe('yesterday'),
    );
    expect(screen.queryByLabelText('First day')).toBeNull();
    const yesterday = new Date(Date.parse(today) - 86_400_000).toISOString();
    await waitFor(() => expect(viewStats().at(-1)?.searchParams.get('dateFrom')).toBe(yesterday));
    expect(await screen.findByRole('heading', { name: 'Yesterday' })).toBeTruthy();
  });
});

describe('realtime', () => {
  beforeEach(() => sessionStorage.setItem('pageviews.readKey', goodKey));
  /** The "Pages right now" rows as shown: page URL, label, visitors. */
  const realtimeRows = () =>
    [...document.querySelectorAll('table.realtime-pages tr[data-page]')].map((tr) => [
      tr.getAttribute('data-page'),
      tr.querySelector('th')?.textContent,
      tr.querySelector('td')?.textContent,
    ]);

  it('shows "N current visitors" in the top bar from GET /realtime, in a polite live region with a live dot', async () => {
    render(<App />);
    const current = await screen.findByTestId('current-visitors');
    await waitFor(() => expect(current.textContent?.trim()).toBe('3 current visitors'));
    expect(current.getAttribute('aria-live')).toBe('polite');
    expect(current.querySelector('.live-dot')?.getAttribute('aria-hidden')).toBe('true');
    expect(requestsTo('/realtime')[0]?.search).toBe('');
    // The range view is still the default one beside it.
    expect((await screen.findByTestId('total-visitors')).textContent).toBe('1,234');
  });

  it('opens the Realtime range from the picker: its figures and pages right now, in the URL, in place of the chart', async () => {
    render(<App />);
    await screen.findByTestId('total-visitors');
    fireEvent.change(screen.getByLabelText('Range'), { target: { value: 'realtime' } });
    expect(window.location.search).toBe('?range=realtime');
    expect(await screen.findByRole('heading', { name: 'Realtime' })).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('realtime-visitors').textContent).toBe('3'));
    const statsRequests = requestsTo('/stats').length;
    expect(screen.getByTestId('realtime-pageviews').textContent).toBe('7');
    expect(screen.getByRole('heading', { name: 'Pages right now' })).toBeTruthy();
    expect(realtimeRows()).toEqual([
      ['http://localhost/pricing', '/pricing', '2'],
      ['http://localhost/', '/', '1'],
    ]);
    expect(document.querySelector('.pages-host')?.textContent).toBe('localhost');
    // No chart, no range figures, no aggregation to pick, and no more range reads.
    expect(screen.queryByTestId('chart')).toBeNull();
    expect(screen.queryByTestId('total-visitors')).toBeNull();
    expect(screen.queryByRole('radio', { name: 'minute' })).toBeNull();
    expect(requestsTo('/stats')).toHaveLength(statsRequests);

    window.history.back();
    expect(await screen.findByTestId('total-visitors')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Pages right now' })).toBeNull();
  });

  it('opens a realtime link without reading the range figures at all, and says when no one is on the site', async () => {
    realtimeAnswer = { status: 200, body: { visitors: 0, pageviews: 0, pages: [] } };
    window.history.replaceState(null, '', '/?range=realtime&filter=source:Google');
    render(<App />);
    expect(await screen.findByText('No one has viewed a page in the last 5 minutes.')).toBeTruthy();
    expect(screen.getByTestId('current-visitors').textContent?.trim()).toBe('0 current visitors');
    expect(screen.queryByTestId('filter-chip')).toBeNull();
    expect(requestsTo('/stats')).toHaveLength(0);
    expect(requestsTo('/breakdown')).toHaveLength(0);
  });

  it('says when GET /realtime fails, and shows the figures after a retry', async () => {
    realtimeAnswer = { status: 503, body: { error: 'Service Unavailable' } };
    window.history.replaceState(null, '', '/?range=realtime');
    render(<App />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The API had a problem answering.');
    expect(screen.getByTestId('current-visitors').textContent).toBe('');
    realtimeAnswer = { status: 200, body: someRealtime };
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again now' }));
    await waitFor(() => expect(screen.getByTestId('realtime-visitors').textContent).toBe('3'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('current-visitors').querySelector('.live-dot')).toBeTruthy();
  });
});

it('explains a missing config.json', async () => {
  configAnswer = { status: 404, body: { error: 'not found' } };
  render(<App />);
  expect((await screen.findByRole('alert')).textContent).toContain('The dashboard is not configured.');
});
