import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.js';
import { AnalyticsStack } from './stack.js';
import type { WebAssets } from './web-assets.js';
import { stackName } from '../lambdas/core/settings.js';

/**
 * Builds the app with cdk-nag's AwsSolutions pack registered (cdk-nag 3: a policy-validation
 * plugin; any unacknowledged finding fails synth). Shared by infra/app.ts and the tests, so the
 * tests check the app `cdk synth` builds.
 */
export function createApp(options: { web: WebAssets } & AppProps): { app: App; stack: AnalyticsStack } {
  const { web, ...appProps } = options;
  const app = new App(appProps);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const config = readConfig(app.node);
  const stack = new AnalyticsStack(app, stackName, {
    config,
    web,
    description:
      config.target === 'aws'
        ? 'Page-view analytics: HTTP API, Lambda, SQS, DynamoDB, S3 + CloudFront'
        : 'Page-view analytics for LocalStack: REST API, Lambda, SQS, DynamoDB, S3 websites',
  });
  return { app, stack };
}
