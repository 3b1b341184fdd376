/**
 * The scheduled archiver (EventBridge on AWS, a timer in `npm start`): archives every org's
 * closed days, then removes the days older than an org's retention. Logic in ./archive.ts and
 * ./retention.ts.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createArchiveBlobs, createDocumentClient } from '../core/runtime/aws.js';
import { requireEnv } from '../core/runtime/env.js';
import { logger } from '../core/runtime/logger.js';
import { envNames } from '../core/settings.js';
import { listOrgs } from '../core/store/orgs.js';
import { archiveClosedDays } from './archive.js';
import { type RetentionDeps, removeExpiredDays } from './retention.js';

const deps: RetentionDeps = {
  doc: createDocumentClient(),
  visitsTable: requireEnv(envNames.visitsTable),
  orgsTable: requireEnv(envNames.orgsTable),
  countersTable: requireEnv(envNames.countersTable),
  blobs: createArchiveBlobs(),
};

async function archive(): Promise<{ days: number; rows: number; removedDays: number }> {
  const now = Date.now();
  const orgs = await listOrgs(deps);
  const archived = await archiveClosedDays(deps, now, orgs);
  const days = archived.reduce((n, org) => n + org.days.length, 0);
  const rows = archived.reduce((n, org) => n + org.rows, 0);
  logger.info('archived closed days', { orgs: archived.length, days, rows });
  let removedDays = 0;
  for (const org of orgs.filter((o) => o.retentionMonths !== undefined)) {
    const removed = await removeExpiredDays(deps, org, now);
    removedDays += removed.days.length;
    if (removed.deleted > 0)
      logger.info('removed days past the retention', {
        orgId: org.orgId,
        retentionMonths: org.retentionMonths,
        days: removed.days.length,
        deleted: removed.deleted,
        finished: removed.done,
      });
  }
  return { days, rows, removedDays };
}

export const handler = middy(archive).use(injectLambdaContext(logger));
