/**
 * `runScript`: runs a shell script on a node over SSH and reports its exit status and output.
 *
 * @module
 */
import { systemClock } from '../core/clock.js';
import { TimeoutError } from '../core/errors.js';
import type { Node } from '../core/types.js';
import { checkDuration, checkPositiveInteger, invalid, type CheckContext } from '../core/validate.js';
import { closeSession, openSession, type SshSession } from './connect.js';
import { ScriptError } from './errors.js';
import type { HostKey } from './host-keys.js';
import { checkConnectOptions, checkNode, resolveTarget, type SshConnectOptions } from './options.js';
import { BoundedOutput } from './output.js';

/** Options of {@link runScript}. */
export interface RunScriptOptions extends SshConnectOptions {
  /**
   * Environment variables exported before the script runs (names: letters, digits, `_`).
   *
   * @defaultValue none: the login environment as the server sets it
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Longest run, from connecting to exit. When it runs out the connection is closed (the server
   * then ends the session) and the call rejects with a `TimeoutError`. In ms, measured in real time.
   *
   * @defaultValue 1800000 (30 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * Bytes of each of stdout and stderr kept in memory (the end of the output).
   *
   * @defaultValue 1048576 (1 MiB)
   */
  readonly maxOutputBytes?: number;
  /**
   * Reject with a {@link ScriptError} when the exit status is not 0; `false` resolves with the result whatever the status.
   *
   * @defaultValue true
   */
  readonly throwOnFailure?: boolean;
  /** Called with each chunk of output as it arrives, e.g. to stream it to a terminal. */
  readonly onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
}

/** What a script did. */
export interface ScriptResult {
  /** The exit status, or `null` when the script was ended by a signal. */
  readonly exitCode: number | null;
  /** The end of standard output, at most `maxOutputBytes` of it. */
  readonly stdout: string;
  /** The end of standard error, at most `maxOutputBytes` of it. */
  readonly stderr: string;
  /** True when stdout printed more than was kept. */
  readonly stdoutTruncated: boolean;
  /** True when stderr printed more than was kept. */
  readonly stderrTruncated: boolean;
  /** From connecting to exit, in ms of the `clock` option. */
  readonly durationMs: number;
  /** The host key the server showed (recorded on first use). */
  readonly hostKey: HostKey;
}

/** Defaults of {@link RunScriptOptions}. */
export const DEFAULT_RUN = {
  /** Longest run of a script: 1800000 ms (30 minutes). */
  timeoutMs: 1_800_000,
  /** Bytes of each of stdout and stderr kept: 1048576 (1 MiB). */
  maxOutputBytes: 1_048_576,
} as const;
/** Largest script accepted: it travels as one command line. */
export const MAX_SCRIPT_BYTES = 64 * 1024;

/**
 * Runs `script` with `/bin/sh` on `node` as the login user, and resolves with its exit status
 * and output; a non-zero status rejects with a {@link ScriptError} carrying the output's tail.
 *
 * @example
 * ```ts
 * const { stdout } = await runScript(node, 'uname -a', { privateKey: new Secret(key), driver });
 * ```
 */
export async function runScript(node: Node, script: string, options: RunScriptOptions): Promise<ScriptResult> {
  const check: CheckContext = { provider: 'polycloud', operation: 'runScript' };
  const given = checkNode(check, node);
  const connect = checkConnectOptions(check, options);
  const command = buildCommand(check, script, options.env);
  checkDuration(check, 'options.timeoutMs', options.timeoutMs);
  checkPositiveInteger(check, 'options.maxOutputBytes', options.maxOutputBytes);
  options.signal?.throwIfAborted();
  const target = await resolveTarget(given, connect, options.signal);
  return runOnTarget(given, command, target, { ...options, privateKey: connect.privateKey });
}

/** Runs an already validated command; shared by `runScript` and `deployNode`. */
export async function runOnTarget(
  node: Node,
  command: string,
  target: Awaited<ReturnType<typeof resolveTarget>>,
  options: RunScriptOptions & { readonly step?: string },
): Promise<ScriptResult> {
  const clock = options.clock ?? systemClock;
  const where = { provider: node.provider, operation: options.step === undefined ? 'runScript' : 'deployNode' };
  const timeoutMs = options.timeoutMs ?? DEFAULT_RUN.timeoutMs;
  const limit = options.maxOutputBytes ?? DEFAULT_RUN.maxOutputBytes;
  const started = clock.now();
  // One controller ends everything: the caller's abort, the timeout, or the end of the run.
  const stop = new AbortController();
  const onCallerAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let timedOut = false;
  // Real time, whatever `clock` is: the remote script runs in real time.
  systemClock.sleep(timeoutMs, stop.signal).then(
    () => {
      timedOut = true;
      stop.abort(new TimeoutError(`the script did not finish within ${timeoutMs} ms; the session was closed`, { ...where, timeoutMs }));
    },
    () => undefined,
  );
  let session: SshSession | undefined;
  try {
    session = await openSession(target, where, stop.signal);
    const outcome = await execute(session, command, limit, stop.signal, options.onOutput);
    const result: ScriptResult = {
      exitCode: outcome.exitCode,
      stdout: outcome.stdout.text(),
      stderr: outcome.stderr.text(),
      stdoutTruncated: outcome.stdout.truncated,
      stderrTruncated: outcome.stderr.truncated,
      durationMs: clock.now() - started,
      hostKey: session.hostKey,
    };
    if (result.exitCode !== 0 && options.throwOnFailure !== false) {
      throw new ScriptError(
        {
          exitCode: result.exitCode,
          ...(outcome.signal ? { signal: outcome.signal } : {}),
          stdoutTail: result.stdout,
          stderrTail: result.stderr,
          ...(options.step === undefined ? {} : { step: options.step }),
        },
        where,
      );
    }
    return result;
  } catch (error) {
    if (stop.signal.aborted) throw timedOut || !options.signal?.aborted ? stop.signal.reason : options.signal.reason;
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onCallerAbort);
    if (!stop.signal.aborted) stop.abort();
    if (session) closeSession(session);
  }
}

interface ExecOutcome {
  readonly exitCode: number | null;
  readonly signal?: string;
  readonly stdout: BoundedOutput;
  readonly stderr: BoundedOutput;
}

function execute(
  session: SshSession,
  command: string,
  limit: number,
  signal: AbortSignal,
  onOutput: RunScriptOptions['onOutput'],
): Promise<ExecOutcome> {
  const stdout = new BoundedOutput(limit);
  const stderr = new BoundedOutput(limit);
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      session.client.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    session.client.exec(command, (error, channel) => {
      if (error) {
        signal.removeEventListener('abort', onAbort);
        reject(error);
        return;
      }
      let exitCode: number | null = null;
      let exitSignal: string | undefined;
      channel.on('exit', (code: number | null, name?: string) => {
        exitCode = typeof code === 'number' ? code : null;
        if (name) exitSignal = name;
      });
      channel.on('data', (chunk: Buffer) => {
        stdout.push(chunk);
        onOutput?.(chunk, 'stdout');
      });
      channel.stderr.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        onOutput?.(chunk, 'stderr');
      });
      channel.on('close', () => {
        signal.removeEventListener('abort', onAbort);
        resolve({ exitCode, ...(exitSignal ? { signal: exitSignal } : {}), stdout, stderr });
      });
      // The script is the command itself; stdin is closed so that nothing waits for input.
      channel.end();
    });
  });
}

/**
 * The command line that runs `script` with `/bin/sh` whatever the user's login shell is, with
 * `env` exported first. Checked before anything is sent.
 */
export function buildCommand(check: CheckContext, script: unknown, env: unknown, field = 'script'): string {
  if (typeof script !== 'string' || script.trim().length === 0) invalid(check, field, 'a non-empty shell script', script);
  if (Buffer.byteLength(script, 'utf8') > MAX_SCRIPT_BYTES) {
    invalid(check, field, `at most ${MAX_SCRIPT_BYTES} bytes (copy larger files with a step that fetches them)`, script);
  }
  if (script.includes('\0')) invalid(check, field, 'text without NUL characters', 'a string containing NUL');
  let prelude = '';
  if (env !== undefined) {
    if (typeof env !== 'object' || env === null || Array.isArray(env)) invalid(check, 'options.env', 'an object of strings', env);
    for (const [name, value] of Object.entries(env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(name))
        invalid(check, `options.env.${name}`, 'a variable name of letters, digits and _', name);
      if (typeof value !== 'string' || value.includes('\0')) invalid(check, `options.env.${name}`, 'a string without NUL', value);
      prelude += `export ${name}=${shellQuote(value)}\n`;
    }
  }
  return `/bin/sh -c ${shellQuote(prelude + script)}`;
}

/** Quotes `text` as one POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
