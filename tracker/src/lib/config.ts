/** What the embedding page told us through the script tag's attributes. */
export interface TrackerConfig {
  /** The site key (`data-key`): public, it can only write visits. */
  key: string;
  /** Where `POST /visits` lives (`data-api`), without a trailing slash. */
  api: string;
  /** Count `#fragment` changes as page views (`data-hash`), for hash-routed apps. */
  hash: boolean;
  /** The site's own id for a signed-in visitor (`data-identifier`), sent with every view. */
  identifier?: string;
}

/**
 * Reads the configuration from the tracker's own `<script>` tag. `data-api` defaults to the
 * origin the script was loaded from, so a tracker served by the API needs no extra attribute.
 */
export function readConfig(script: HTMLScriptElement): TrackerConfig {
  const attribute = (name: string) => script.getAttribute('data-' + name) || undefined;
  return {
    key: attribute('key') || '',
    api: (attribute('api') || new URL(script.src).origin).replace(/\/+$/, ''),
    hash: script.hasAttribute('data-hash'),
    identifier: attribute('identifier'),
  };
}
