/**
 * Writes the demo site, tracker tag included, to a folder for deployment (S3 + CloudFront).
 * The values pass through HTML-escaping only, so CDK tokens survive and resolve at deploy time.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderSitePage, type SiteTrackerConfig, siteAssets, sitePages, sitePublicDir } from './render.js';

/** Returns the paths of the files written. */
export async function buildSite(outDir: string, cfg: SiteTrackerConfig): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const page of sitePages) {
    const html = await readFile(join(sitePublicDir, page), 'utf8');
    await writeFile(join(outDir, page), renderSitePage(html, cfg));
    written.push(join(outDir, page));
  }
  for (const asset of siteAssets) {
    await copyFile(join(sitePublicDir, asset), join(outDir, asset));
    written.push(join(outDir, asset));
  }
  return written;
}
