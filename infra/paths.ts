import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root: every path the stack bundles or deploys is resolved from here. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The Lambda entry files. These are the very files `local/` runs, so what is tested on a laptop
 * is what is bundled for AWS: there is no second copy of any handler.
 */
export const handlerEntries = {
  ingest: path.join(repoRoot, 'lambdas/ingest/handler.ts'),
  consume: path.join(repoRoot, 'lambdas/consume/handler.ts'),
  query: path.join(repoRoot, 'lambdas/query/handler.ts'),
  archive: path.join(repoRoot, 'lambdas/archive/handler.ts'),
} as const;

export const lockFile = path.join(repoRoot, 'package-lock.json');
