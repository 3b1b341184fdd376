/**
 * Ingest's per-client limit: a token bucket per client, a client being a source IP and a
 * User-Agent (an office behind one address still has many browsers). Kept in the memory of a
 * warm function, so it is approximate: a client whose requests are spread over N instances gets
 * up to N times the rate. It is there to stop one script from spending the org's daily limit in
 * a minute, not to count exactly; API Gateway's throttle and the optional WAF hold the rest.
 */
import { type RateLimit, tokenBucket } from '../core/domain/token-bucket.js';

export function createClientLimiter(limit: RateLimit, options: { maxClients: number; now?: () => number }) {
  const buckets = new Map<string, ReturnType<typeof tokenBucket>>();
  return function admitClient(client: { ip: string; userAgent: string }): boolean {
    const id = `${client.ip}\n${client.userAgent}`;
    let bucket = buckets.get(id);
    if (!bucket) {
      // A flood of new addresses cannot grow the memory without bound; forgetting is generous.
      if (buckets.size >= options.maxClients) buckets.clear();
      bucket = tokenBucket(limit, options.now);
      buckets.set(id, bucket);
    }
    return bucket.take();
  };
}
