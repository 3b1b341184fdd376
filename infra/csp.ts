import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const inlineScript = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;

/**
 * CSP source expressions (`'sha256-…'`) for every inline `<script>` in the HTML files of a build,
 * so the Content-Security-Policy can allow exactly those scripts instead of 'unsafe-inline'.
 * Computed at synth from the very files that are deployed, so a changed script changes its hash.
 */
export function inlineScriptHashes(dir: string): string[] {
  const hashes = new Set<string>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (/\.html?$/i.test(entry.name)) {
        for (const match of readFileSync(path.join(dir, rel), 'utf8').matchAll(inlineScript)) {
          const body = match[1] ?? '';
          if (body.trim() === '') continue;
          hashes.add(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
        }
      }
    }
  };
  walk('');
  return [...hashes].sort();
}
