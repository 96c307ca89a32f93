/** Child processes for the benchmarks: cold starts, measured one by one, and fakes on their own core. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The package root: children run here so `import('polycloud')` resolves through the package's own `exports`. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** An environment with nothing that could reach a real cloud or change how Node starts. */
export function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_OPTIONS;
  for (const key of Object.keys(env)) if (/^(AWS_|GOOGLE_|GCLOUD_|CLOUDSDK_)/.test(key)) delete env[key];
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    METADATA_SERVER_DETECTION: 'none',
    AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_REGION: 'us-east-1',
    ...extra,
  };
}

/** How a child process ended. */
export interface ChildRun {
  /** From spawn to exit, in ms. */
  readonly wallMs: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `process.execPath` with `args` in the package root and waits for it to exit (killing it after `timeoutMs`). */
export function runNode(args: readonly string[], options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, env: isolatedEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      // 'exit' can come before the pipes are drained.
      setImmediate(() => resolve({ wallMs, code, stdout, stderr }));
    });
  });
}

/** Runs a TypeScript child script (through tsx) that prints one JSON line last; returns that JSON. */
export async function runScript<T>(
  script: string,
  args: readonly string[],
  options: { timeoutMs?: number; nodeArgs?: readonly string[] } = {},
): Promise<T> {
  const run = await runNode(
    [...(options.nodeArgs ?? []), '--import', 'tsx', fileURLToPath(new URL(`../${script}`, import.meta.url)), ...args],
    {
      timeoutMs: options.timeoutMs ?? 120_000,
    },
  );
  const lines = run.stdout.trim().split('\n');
  if (run.code !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${run.code}: ${run.stderr.slice(-2000)}`);
  return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
}
