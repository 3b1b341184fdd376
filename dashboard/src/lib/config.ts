/**
 * Runtime configuration, fetched from `./config.json` beside the app at start, so one build
 * serves every environment (local stack, LocalStack, AWS): only that file differs.
 */
export interface DashboardConfig {
  /** An absolute http(s) URL, or a path on the dashboard's own origin (CloudFront's "/api"). */
  apiUrl: string;
}

class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export async function loadConfig(
  fetchImpl: typeof fetch = fetch,
  url = './config.json',
): Promise<DashboardConfig> {
  let body: unknown;
  try {
    const response = await fetchImpl(url, { cache: 'no-store' });
    if (!response.ok) throw new ConfigError(`${url} answered ${response.status}.`);
    body = await response.json();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${url} could not be loaded or is not JSON.`);
  }
  const apiUrl = (body as { apiUrl?: unknown } | null)?.apiUrl;
  if (typeof apiUrl !== 'string' || !/^(https?:\/\/[^/]|\/)/.test(apiUrl)) {
    throw new ConfigError(
      `${url} needs "apiUrl": an http(s) URL such as "http://localhost:8080", or a path such as "/api".`,
    );
  }
  return { apiUrl: apiUrl.replace(/\/+$/, '') };
}
