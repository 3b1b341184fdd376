/** The scheduled archiver (EventBridge on AWS, a timer in `npm start`). Logic in ./archive.ts. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { createArchiveBlobs, createDocumentClient } from '../core/runtime/aws.js';
import { requireEnv } from '../core/runtime/env.js';
import { logger } from '../core/runtime/logger.js';
import { envNames } from '../core/settings.js';
import { type ArchiverDeps, archiveClosedDays } from './archive.js';

const deps: ArchiverDeps = {
  doc: createDocumentClient(),
  visitsTable: requireEnv(envNames.visitsTable),
  orgsTable: requireEnv(envNames.orgsTable),
  blobs: createArchiveBlobs(),
};

async function archive(): Promise<{ days: number; rows: number }> {
  const archived = await archiveClosedDays(deps, Date.now());
  const days = archived.reduce((n, org) => n + org.days.length, 0);
  const rows = archived.reduce((n, org) => n + org.rows, 0);
  logger.info('archived closed days', { orgs: archived.length, days, rows });
  return { days, rows };
}

export const handler = middy(archive).use(injectLambdaContext(logger));
