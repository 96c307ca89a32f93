/**
 * Running the BUILT `polycloud` binary (dist/, made by `npm run build`, which `npm test` runs
 * first) in a child process with a clean environment: no cloud credentials, HOME in a temp dir.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binary = join(root, 'dist', 'src', 'cli', 'main.js');

/** What a run of the CLI gave. */
export interface Run {
  readonly code: number | null;
  readonly signal?: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without anything that names a cloud account or polycloud's own settings. */
export function cleanEnv(home: string, env: Record<string, string> = {}): Record<string, string> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(AWS_|GOOGLE_|GCLOUD_|CLOUDSDK_|DIGITALOCEAN_|HCLOUD_|LINODE_|POLYCLOUD_|XDG_)/.test(key),
    ),
  ) as Record<string, string>;
  return {
    ...clean,
    HOME: home,
    POLYCLOUD_STATE_FILE: join(home, 'state.json'),
    NO_COLOR: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    METADATA_SERVER_DETECTION: 'none',
    ...env,
  };
}

/** Runs the CLI to completion. */
export function polycloud(home: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`npm run build\` first (npm test does)`);
  return new Promise((resolve) => {
    execFile(process.execPath, [binary, ...args], { env: cleanEnv(home, env), timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, signal: error?.signal ?? null, stdout, stderr });
    });
  });
}

/** Starts the CLI and leaves it running; the caller reads and stops it. */
export function startPolycloud(home: string, args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [binary, ...args], { env: cleanEnv(home, env), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Waits for a child to exit. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Runs the CLI with a terminal (a pseudo-terminal from util-linux `script`) as stdin and stdout,
 * typing `input`; `columns` sets the terminal's width.
 */
export function polycloudInTerminal(home: string, args: readonly string[], input: string, columns = 80): Promise<Run> {
  const quoted = [process.execPath, binary, ...args].map((each) => `'${each.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const child = execFile(
      'script',
      ['-qec', `stty cols ${columns} rows 40; ${quoted}`, '/dev/null'],
      { env: cleanEnv(home), timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}
