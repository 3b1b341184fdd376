/**
 * A throwaway PostgreSQL server for the side-by-side: initdb on a temp dir, started on a free
 * loopback port with fsync off, stopped and deleted afterwards. As root, the server binaries
 * refuse to run, so they run as the `postgres` user (or `nobody`) through runuser.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/emulators.js';

export interface PostgresServer {
  port: number;
  /** A folder the server can read (for COPY ... FROM a file). */
  dir: string;
  user: string;
  version: string;
  stop(): Promise<void>;
}

/** The folder holding initdb, pg_ctl and postgres, or a reason why there is none. */
export function findPostgresBin(): { bin: string } | { missing: string } {
  const candidates = ['/usr/local/bin'];
  if (existsSync('/usr/lib/postgresql')) {
    for (const version of readdirSync('/usr/lib/postgresql').sort().reverse())
      candidates.push(`/usr/lib/postgresql/${version}/bin`);
  }
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
  for (const dir of candidates) {
    if (['initdb', 'pg_ctl', 'postgres'].every((name) => existsSync(join(dir, name)))) return { bin: dir };
  }
  return {
    missing:
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found; install them with `sudo apt-get install -y postgresql` (Debian/Ubuntu) or `brew install postgresql@15` and run the bench again',
  };
}

function osUser(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    if (spawnSync('id', ['-u', name]).status === 0) return name;
  }
  throw new Error('Running as root and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

export async function startPostgres(bin: string): Promise<PostgresServer> {
  const runAs = osUser();
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-'));
  const data = join(dir, 'data');
  const run = (program: string, args: string[]) => {
    const full = join(bin, program);
    return runAs
      ? execFileSync('runuser', ['-u', runAs, '--', full, ...args], { stdio: 'pipe', cwd: dir })
      : execFileSync(full, args, { stdio: 'pipe', cwd: dir });
  };
  if (runAs) {
    const uid = Number(execFileSync('id', ['-u', runAs]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', runAs]).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const user = 'bench';
  try {
    run('initdb', ['-D', data, '-U', user, '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const port = await freePort();
    const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB -c max_wal_size=2GB -c maintenance_work_mem=256MB -c work_mem=64MB`;
    run('pg_ctl', ['-D', data, '-o', settings, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
    const version = run('postgres', ['--version']).toString().trim();
    return {
      port,
      dir,
      user,
      version,
      stop: async () => {
        try {
          run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${stderr}`);
  }
}
