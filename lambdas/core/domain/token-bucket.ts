/**
 * A token bucket, API Gateway's throttle: refilled at a steady rate, holding at most the burst.
 * The local API server throttles with it, and ingest limits each client with one per client.
 */
export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

export function tokenBucket(limit: RateLimit, now: () => number = Date.now) {
  let tokens = limit.burst;
  let last = now();
  return {
    take(): boolean {
      const t = now();
      tokens = Math.min(limit.burst, tokens + ((t - last) / 1000) * limit.ratePerSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

/**
 * `<views a second>/<burst>` (`5/60`), or `off`: how the per-client limit is written in CDK
 * context and in the environment. Undefined for `off`; an error that says what is accepted otherwise.
 */
export function parseRateLimit(text: string, name: string): RateLimit | undefined {
  if (text.trim().toLowerCase() === 'off') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+)\s*$/.exec(text);
  const ratePerSecond = Number(match?.[1]);
  const burst = Number(match?.[2]);
  if (!match || !(ratePerSecond > 0) || !(burst >= 1))
    throw new RateLimitSyntaxError(
      `${name} must be "<requests a second>/<burst>" with both above 0 (such as 5/60), or "off"; got "${text}".`,
    );
  return { ratePerSecond, burst };
}

export class RateLimitSyntaxError extends Error {
  override name = 'RateLimitSyntaxError';
}

export const formatRateLimit = (limit: RateLimit) => `${limit.ratePerSecond}/${limit.burst}`;
