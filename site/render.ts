/**
 * Turns the demo site's source pages into served pages. The sources carry only a placeholder
 * where the tracker tag goes: the site key and API URL are injected at serve time (local stack)
 * or build time (deployment), never written in the source.
 */
import { fileURLToPath } from 'node:url';

/** Where the source pages and their assets are. */
export const sitePublicDir = fileURLToPath(new URL('./public/', import.meta.url));

export interface SiteTrackerConfig {
  siteKey: string;
  /** Where the tracker sends visits (`data-api`); an empty string leaves it to the script's origin. */
  apiUrl: string;
  /** Where the page loads tracker.js from. */
  trackerSrc: string;
  /** Options of the tag, such as `data-outbound-links` (tracker.full.js). */
  trackerOptions?: readonly string[];
}

/** The HTML pages, in `site/public/`. */
export const sitePages: string[] = ['index.html', 'pricing.html', 'support.html', 'app.html'];

/** Files the pages need besides themselves, also in `site/public/`. */
export const siteAssets: string[] = ['styles.css', 'app.js', 'favicon.svg', 'lumen-shortcuts.txt'];

export const trackerPlaceholder = '<!--tracker-->';

/**
 * Escapes what could end an attribute value or open a tag. Nothing else is touched, so a CDK
 * token such as `${Token[TOKEN.123]}` passes through unchanged and resolves at deploy time.
 */
function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function trackerTag(cfg: SiteTrackerConfig): string {
  const api = cfg.apiUrl ? ` data-api="${escapeAttribute(cfg.apiUrl)}"` : '';
  const options = (cfg.trackerOptions ?? []).map((name) => ` ${escapeAttribute(name)}`).join('');
  return `<script defer src="${escapeAttribute(cfg.trackerSrc)}" data-key="${escapeAttribute(cfg.siteKey)}"${api}${options}></script>`;
}

export class TrackerPlaceholderMissingError extends Error {
  override name = 'TrackerPlaceholderMissingError';
}

/** The head lines every page shares, where its `<!--site-head-->` placeholder is. */
const siteHead = [
  '<meta charset="utf-8">',
  '<meta name="viewport" content="width=device-width, initial-scale=1">',
  '<link rel="icon" href="/favicon.svg" type="image/svg+xml">',
  '<link rel="stylesheet" href="/styles.css">',
];

/** The site's navigation, in order. */
const siteNav = [
  { href: '/', label: 'Home' },
  { href: '/pricing.html', label: 'Pricing' },
  { href: '/support.html', label: 'Support' },
  { href: '/app', label: 'Open the app' },
];

/** The header every page shares, the page's own link marked current: `<!--site-header /pricing.html-->`. */
function siteHeader(current: string): string {
  const links = siteNav.map(
    ({ href, label }) =>
      `        <a href="${href}"${href === current ? ' aria-current="page"' : ''}>${label}</a>`,
  );
  return [
    '<header>',
    '    <div class="wrap">',
    '      <a class="brand" href="/">Lumen<span>.</span></a>',
    '      <nav>',
    ...links,
    '      </nav>',
    '    </div>',
    '  </header>',
  ].join('\n');
}

/** The footer every page shares, where its `<!--site-footer-->` placeholder is. */
const siteFooter = [
  '<footer>',
  '    <div class="wrap">Lumen is a fictional product: this site exists to be counted. No cookies are set here.</div>',
  '  </footer>',
].join('\n');

/**
 * A source page as served: the shared head lines, header and footer put in (one copy for every page),
 * and the tracker tag where the page's `<!--tracker-->` placeholder is.
 */
export function renderSitePage(html: string, cfg: SiteTrackerConfig): string {
  if (!html.includes(trackerPlaceholder)) {
    throw new TrackerPlaceholderMissingError(
      `the page has no ${trackerPlaceholder} placeholder, so it would not be counted`,
    );
  }
  const tag = trackerTag(cfg);
  // Function replacements, so `$&` or `$1` in a value is not read as a replacement pattern.
  return html
    .replace(/^( *)<!--site-head-->/m, (_, indent: string) =>
      siteHead.map((line) => indent + line).join('\n'),
    )
    .replace(/<!--site-header (\S+)-->/, (_, current: string) => siteHeader(current))
    .replace('<!--site-footer-->', () => siteFooter)
    .replace(trackerPlaceholder, () => tag);
}

/**
 * The page a request path serves: `/` the home page, `/pricing` or `/pricing.html` that page,
 * and `/app`, `/app.html` and every `/app/...` path the single-page app, whose script picks the
 * view from the URL. Undefined for anything else. Hosting (the local server, a CloudFront
 * function) applies this same mapping.
 */
export function pageForPath(pathname: string): string | undefined {
  if (pathname === '/app' || pathname.startsWith('/app/')) return 'app.html';
  const name = pathname.replace(/^\/+|\/+$/g, '') || 'index';
  const file = name.endsWith('.html') ? name : `${name}.html`;
  return sitePages.includes(file) ? file : undefined;
}
