/**
 * Where `npm start` keeps its data (DynamoDB Local's files, the queue journal, the demo org's
 * keys) and tells the other commands how to reach it: `<data dir>/stack.json` holds the emulator
 * endpoints and resource names of the stack, and `<data dir>/stack.lock` the process id of the
 * one stack that uses the folder while it runs.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackResources } from './resources.js';

export const localDataDir = process.env.PAGEVIEWS_DATA_DIR ?? join(import.meta.dirname, '..', '.local-data');

export interface StackFile {
  endpoints: { dynamo: string; sqs: string };
  resources: StackResources;
  /** Where the API, the demo site (and tracker.js) and the dashboard answer. */
  urls?: { api: string; site: string; dashboard: string };
  /** The process that runs the stack (absent in files from before it was recorded). */
  pid?: number;
}

export class StackNotRunningError extends Error {
  override name = 'StackNotRunningError';
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

export async function writeStackFile(stack: Omit<StackFile, 'pid'>, dataDir = localDataDir): Promise<void> {
  const file: StackFile = {
    endpoints: stack.endpoints,
    resources: stack.resources,
    ...(stack.urls ? { urls: stack.urls } : {}),
    pid: process.pid,
  };
  await writeFile(join(dataDir, 'stack.json'), `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * The running local stack's endpoints and resources, or undefined when none has ever started
 * with this data folder. A stack.json left by a stack that has stopped throws
 * StackNotRunningError, which says how to start it, instead of a connection refused later.
 */
export function readStackFile(dataDir = localDataDir): StackFile | undefined {
  let file: StackFile;
  try {
    file = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8')) as StackFile;
  } catch {
    return undefined;
  }
  if (lockHolder(dataDir) === undefined) throw new StackNotRunningError(notRunningMessage(dataDir));
  return file;
}

function notRunningMessage(dataDir = localDataDir): string {
  return (
    `The local stack is not running (data folder ${dataDir}): start it with \`npm start\` in another terminal, then run this again. ` +
    'If it runs with another PAGEVIEWS_DATA_DIR, set the same one here (npm start prints its data folder).'
  );
}

/**
 * Takes the data folder for this process, so that a second stack cannot start a second
 * DynamoDB Local on the same files. A lock left by a process that died (kill -9, power cut) is
 * taken over. Returns the function that releases it.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'stack.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() })}\n`, {
        flag: 'wx',
      });
      return () => {
        if (lockHolder(dataDir) === process.pid) unlinkSync(file);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(dataDir);
    if (holder !== undefined) {
      throw new DataDirInUseError(
        `Another local stack (process ${holder}) is using the data folder ${dataDir}: stop it first (Ctrl-C in its terminal), or start this one with another PAGEVIEWS_DATA_DIR.`,
      );
    }
    unlinkSync(file); // stale: its process is gone
  }
  throw new DataDirInUseError(
    `Could not take the lock ${file}; is another stack starting at the same moment?`,
  );
}

/** The live process holding the data folder's lock, if any. */
function lockHolder(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(JSON.parse(readFileSync(join(dataDir, 'stack.lock'), 'utf8')).pid);
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
