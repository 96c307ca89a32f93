/**
 * A real PostgreSQL for the fleet tests and bench: the one `.ci/services/30-postgres.sh` started
 * (`POLYCLOUD_TEST_DATABASE_URL`), or, when that is unset, one started here the same way —
 * `initdb` + `pg_ctl` into a temporary directory, listening on 127.0.0.1 and a free port — and
 * stopped by `stop()`. Each caller gets its own database (DBOS creates it on first use).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A PostgreSQL server the tests may use. */
export interface TestPostgres {
  /** A URL to a fresh, not yet existing database on the server (DBOS creates it). */
  databaseUrl(name: string): string;
  /** The server's maintenance database URL (`…/postgres`). */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

/** Starts (or reuses, from `POLYCLOUD_TEST_DATABASE_URL`) a PostgreSQL server. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env.POLYCLOUD_TEST_DATABASE_URL;
  if (given) return { adminUrl: given, databaseUrl: (name) => withDatabase(given, name), stop: async () => undefined };

  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'polycloud-pg-'));
  // initdb and postgres refuse to run as root: run them as the postgres user then.
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, command), args, { stdio: 'pipe' });
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), -1);
  const port = await freePort();
  run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  run('pg_ctl', [
    '-D',
    join(dir, 'data'),
    '-l',
    join(dir, 'postgres.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=300 -c fsync=off`,
    'start',
  ]);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    databaseUrl: (name) => withDatabase(adminUrl, name),
    stop: async () => {
      try {
        run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}_${process.pid}_${Date.now().toString(36)}`;
  return parsed.toString();
}

/** initdb's directory: on the PATH, else Debian's /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(): string {
  for (const dir of (process.env.PATH ?? '').split(':'))
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  const debian = debianBinDirs()[0];
  if (debian) return debian;
  throw new Error('PostgreSQL (initdb, pg_ctl) is required by the fleet tests: apt-get install postgresql');
}

/** A PostgreSQL client tool (pg_dump, psql): beside initdb, else in Debian's directory (the PATH may link only the server tools). */
export function postgresTool(name: string): string {
  for (const dir of [postgresBinDir(), dirname(realpathSync(join(postgresBinDir(), 'pg_ctl'))), ...debianBinDirs()]) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  return name;
}

function debianBinDirs(): string[] {
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((version) => join(debian, version, 'bin')).filter((dir) => existsSync(join(dir, 'initdb')));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
