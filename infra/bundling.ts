/**
 * How the stack bundles each Lambda function, in a module without CDK imports so the bench
 * (bench/sections/sizes.ts) builds exactly what the stack deploys.
 */

/**
 * ESM bundles have no `require`; a few CommonJS dependencies still call it. This banner gives them
 * one (the pattern the NodejsFunction docs and Powertools' examples use).
 */
export const esmRequireBanner =
  "import { createRequire as __pvCreateRequire } from 'node:module';const require = __pvCreateRequire(import.meta.url);";

/**
 * Nothing is left to the runtime, not even `@aws-sdk/*`: the runtime's copy is loaded from many
 * files at import, which made most of a cold start (docs/BENCHMARKS.md, section 6, measures both;
 * DECISIONS.md says what it bought). Bundled, the SDK is also the version the tests ran.
 */
export const externalModules: readonly string[] = [
  // DuckDB is the engine of `npm start` only (lambdas/query/explore/duckdb.ts, loaded on demand);
  // on AWS the query function asks Athena. Its native binary never goes into a bundle.
  '@duckdb/node-api',
];
