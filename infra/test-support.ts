/** Shared by the infra tests: synthesise the real app once per target, then clean up. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { PolicyValidationPluginReport } from 'aws-cdk-lib';
import { createApp } from './create-app.js';
import type { AnalyticsStack } from './stack.js';
import { testWebAssets } from './web-assets.js';

export interface Synthesized {
  app: App;
  stack: AnalyticsStack;
  template: Template;
  /** The cloud assembly folder (assets included). */
  outdir: string;
  /** Set when synth failed, e.g. because cdk-nag reported a finding. */
  synthError?: Error;
  /** What cdk-nag's AwsSolutions pack reports on the synthesised tree. */
  nag: PolicyValidationPluginReport;
  cleanup(): void;
}

/**
 * Builds the app exactly as infra/app.ts does (cdk-nag plugin included) with test web assets,
 * into a temp folder. `bundle: false` skips esbuild (CDK's bundling-stacks context) for variants
 * that only look at configuration.
 */
export async function synth(
  context: Record<string, unknown>,
  options: { bundle?: boolean } = {},
): Promise<Synthesized> {
  const web = await testWebAssets();
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk.out-pageviews-'));
  const ctx = options.bundle === false ? { ...context, 'aws:cdk:bundling-stacks': [] } : context;
  // aws-cdk-lib's own CloudFormation validation (it runs on every `cdk synth`) is left to the
  // tests that validate templates themselves (production.int.test.ts): it takes seconds per synth.
  const { app, stack } = createApp({ web, outdir, context: ctx, builtinCloudFormationValidation: false });
  let synthError: Error | undefined;
  let template: Template;
  try {
    const assembly = app.synth();
    template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  } catch (error) {
    synthError = error as Error;
    template = Template.fromJSON({ Resources: {} });
  }
  const nag = new AwsSolutionsChecks().validateScope(app);
  return {
    app,
    stack,
    template,
    outdir,
    synthError,
    nag,
    cleanup: () => {
      rmSync(outdir, { recursive: true, force: true });
      rmSync(web.root, { recursive: true, force: true });
    },
  };
}

/** The text of a file in a staged asset folder of the assembly, found by its name. */
export function findAssetFiles(outdir: string, fileName: string): string[] {
  return readdirSync(outdir)
    .filter((dir) => dir.startsWith('asset.'))
    .map((dir) => path.join(outdir, dir, fileName))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, 'utf8'));
}

/** Runs a CloudFront Function's code on a request URI (cloudfront-js-2.0 is plain ES5+ JS). */
export function runViewerRequestFunction(code: string, uri: string): string {
  const handler = new Function(`${code}\nreturn handler;`)() as (event: unknown) => { uri: string };
  return handler({ request: { uri, method: 'GET', headers: {}, querystring: {} } }).uri;
}

/** Logical ids of resources of a type whose properties match. */
export function idsOf(template: Template, type: string, props?: Record<string, unknown>): string[] {
  return Object.keys(template.findResources(type, props ? { Properties: props } : undefined));
}
