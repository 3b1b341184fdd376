import { ForbiddenError, UnauthorizedError } from '../core/http/errors.js';
import { presentedKey } from '../core/http/request.js';
import { readingKinds } from '../core/domain/keys.js';
import type { ResolvedKey } from '../core/store/key-resolver.js';

/**
 * The site whose counts the request may read (the org and its time zone): only a valid, unrevoked
 * read or share key grants it. With `owner`, the route changes what the org keeps (its saved
 * segments): only the org's read key grants it, never a share link.
 */
export async function authorizeReader(
  headers: Record<string, string>,
  resolveKey: (key: string) => Promise<ResolvedKey | undefined>,
  route = 'GET /visits',
  owner = false,
): Promise<Site> {
  const key = presentedKey(headers);
  if (!key)
    throw new UnauthorizedError(
      'A read key is required: send it as "Authorization: Bearer <read key>" or the x-api-key header.',
    );
  const resolved = await resolveKey(key);
  if (!resolved)
    throw new UnauthorizedError(
      'Unknown read key: check it, or create one with `npm run org -- add-key --kind read`.',
    );
  if (!readingKinds.includes(resolved.kind))
    throw new ForbiddenError(
      `This is a site key, which can only send visits; ${route} needs the org's read key (it starts with pvr_).`,
    );
  if (owner && resolved.kind !== 'read')
    throw new ForbiddenError(
      `A shared link can only read; ${route} needs the org's own read key (it starts with pvr_).`,
    );
  if (resolved.revoked) {
    throw new ForbiddenError(
      resolved.kind === 'share'
        ? 'This shared link has been revoked; ask the owner of the site for a new one.'
        : 'This read key has been revoked; sign in with another read key of the org.',
    );
  }
  return { orgId: resolved.orgId, zone: resolved.timezone };
}

export interface Site {
  orgId: string;
  /** The IANA zone the site's days and months are counted in. */
  zone: string;
}
