/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`). It builds the tracker, the demo site and the
 * dashboard first, because the stack deploys those builds, then constructs the stack.
 *
 *   npx cdk synth                       # AWS target (HTTP API + CloudFront)
 *   npx cdk synth -c target=localstack  # LocalStack target (REST API + S3 websites)
 */
import { rmSync } from 'node:fs';
import { createApp } from './create-app.js';
import { buildWebAssets } from './web-assets.js';

const web = await buildWebAssets();
try {
  const { app } = createApp({ web });
  app.synth();
} finally {
  // The site was built into a temp folder; synth has staged it into cdk.out.
  rmSync(web.siteDir, { recursive: true, force: true });
}
