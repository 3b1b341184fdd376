/**
 * Builds tracker.js and tracker.full.js: each one minified IIFE, no source map, for browsers back
 * to ES2017. `tsx tracker/build.ts` writes both to tracker/dist/ and prints their sizes, as
 * Plausible's report-sizes.js does: the gzip size is what a visitor downloads.
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

/**
 * `tracker.js` (page views and events), or with `full` `tracker.full.js`: the same source with
 * clicks without code and time on page and scroll depth (the `FULL` branches esbuild otherwise drops).
 */
export async function buildTracker({ full = false }: { full?: boolean } = {}): Promise<TrackerBuild> {
  const result = await build({
    define: { FULL: String(full) },
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

export function sizeReport(tracker: TrackerBuild, name: string = trackerFiles.base): string {
  return `${name.padEnd(16)} raw ${tracker.raw} B  gzip ${tracker.gzip} B  brotli ${tracker.brotli} B`;
}

/** The served names of the two builds. */
export const trackerFiles = { base: 'tracker.js', full: 'tracker.full.js' } as const;

async function main(): Promise<void> {
  const outDir = fileURLToPath(new URL('./dist/', import.meta.url));
  await mkdir(outDir, { recursive: true });
  for (const full of [false, true]) {
    const tracker = await buildTracker({ full });
    const name = full ? trackerFiles.full : trackerFiles.base;
    await writeFile(`${outDir}${name}`, tracker.code);
    console.log(sizeReport(tracker, name));
  }
}

// Run directly (`tsx tracker/build.ts`), not imported by the local stack or the CDK app.
if (fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
