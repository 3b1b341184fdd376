/**
 * Builds tracker.js: one minified IIFE, no source map, for browsers back to ES2017.
 * `tsx tracker/build.ts` writes tracker/dist/tracker.js and prints its sizes, as Plausible's
 * report-sizes.js does: the gzip size is what a visitor downloads.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface TrackerBuild {
  code: string;
  raw: number;
  gzip: number;
  brotli: number;
}

export async function buildTracker(): Promise<TrackerBuild> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./src/index.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2017',
    // Every browser with sendBeacon and fetch keepalive also has `catch {}` (ES2019); the
    // binding esbuild would add for ES2017 costs bytes on every download.
    supported: { 'optional-catch-binding': true },
    sourcemap: false,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    // The code is written strict-clean; the repo's `strict` would only add a "use strict" prologue.
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  });
  const code = result.outputFiles[0]!.text;
  const bytes = Buffer.from(code);
  return {
    code,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

export function sizeReport(tracker: TrackerBuild): string {
  return `tracker.js  raw ${tracker.raw} B  gzip ${tracker.gzip} B  brotli ${tracker.brotli} B`;
}

async function main(): Promise<void> {
  const tracker = await buildTracker();
  const outDir = fileURLToPath(new URL('./dist/', import.meta.url));
  await mkdir(outDir, { recursive: true });
  await writeFile(`${outDir}tracker.js`, tracker.code);
  console.log(sizeReport(tracker));
}

// Run directly (`tsx tracker/build.ts`), not imported by the local stack or the CDK app.
if (fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
