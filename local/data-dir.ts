/**
 * Where `npm start` keeps its data (DynamoDB Local's files, the demo org's keys) and tells the
 * other commands how to reach it: `<data dir>/stack.json` holds the emulator endpoints and
 * resource names of the running stack.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackResources } from './resources.js';

export const localDataDir = process.env.PAGEVIEWS_DATA_DIR ?? join(import.meta.dirname, '..', '.local-data');

export interface StackFile {
  endpoints: { dynamo: string; sqs: string };
  resources: StackResources;
}

export async function writeStackFile(stack: StackFile): Promise<void> {
  await writeFile(join(localDataDir, 'stack.json'), JSON.stringify({ endpoints: stack.endpoints, resources: stack.resources }, null, 2) + '\n');
}

/** The running local stack's endpoints and resources, or undefined when none has started here. */
export function readStackFile(): StackFile | undefined {
  try {
    return JSON.parse(readFileSync(join(localDataDir, 'stack.json'), 'utf8')) as StackFile;
  } catch {
    return undefined;
  }
}
