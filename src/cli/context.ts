/**
 * What every command needs: the global options, the configured clouds as a `MultiCloud`, the
 * output, and small parsers for repeated `key=value` options.
 *
 * @module
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../core/errors.js';
import { MultiCloud } from '../multicloud/index.js';
import { fallbackNotice, loadClouds, type LoadedClouds } from './config.js';
import { processOutput, reportError, type Output } from './output.js';

/** Options every command accepts. */
export interface GlobalOptions {
  /** Print JSON for scripts instead of tables. */
  readonly json?: boolean;
  /** A config file naming the clouds. */
  readonly config?: string;
}

/** A command's environment. */
export interface CommandContext {
  /** Where the command prints. */
  readonly output: Output;
  /** The configured clouds. */
  readonly multi: MultiCloud;
  /** Which clouds were configured, and why. */
  readonly loaded: LoadedClouds;
}

/**
 * Builds the context for a command from its (and its parents') options. Says on stderr when the
 * clouds are the simulator because nothing else was found.
 */
export async function contextOf(command: Command): Promise<CommandContext> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const output = processOutput(globals.json === true);
  const loaded = await loadClouds(globals.config);
  if (loaded.fallback) output.err(fallbackNotice(loaded));
  return { output, loaded, multi: new MultiCloud({ drivers: loaded.drivers }) };
}

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Collects comma-separated or repeated values. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((each) => each.trim())
      .filter(Boolean),
  ];
}

/** `['env=prod', 'team=web']` → `{ env: 'prod', team: 'web' }`. */
export function parsePairs(field: string, pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new InvalidRequestError(`--${field} must be key=value, got ${JSON.stringify(pair)}`, {
        provider: 'polycloud',
        operation: 'cli',
        field,
      });
    result[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return result;
}

/** A number option, checked. */
export function parseNumber(field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new InvalidRequestError(`--${field} must be a number, 0 or more, got ${JSON.stringify(value)}`, {
      provider: 'polycloud',
      operation: 'cli',
      field,
    });
  }
  return number;
}

/** The cloud a single-cloud command acts on: the one given, or the only one configured. */
export function pickCloud(multi: MultiCloud, given: string | undefined): string {
  if (given !== undefined) return given;
  const [only, ...others] = multi.clouds;
  if (only === undefined || others.length > 0) {
    throw new InvalidRequestError(`--cloud is required: several clouds are configured (${multi.clouds.join(', ')})`, {
      provider: 'polycloud',
      operation: 'cli',
      field: 'cloud',
    });
  }
  return only;
}

/** The exit code the last command asked for. */
export const outcome = { exitCode: 0 };

/**
 * Wraps a command's handler: its return value becomes the exit code, and an error it throws is
 * shown (as JSON with `--json`) with exit code 2 for bad input, 1 otherwise.
 */
export function action<Options>(handler: (options: Options, command: Command) => Promise<number>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // Commander passes the positional arguments first, then the options, then the command.
    const command = args[args.length - 1] as Command;
    const options = args[args.length - 2] as Options;
    const positional = args.slice(0, -2);
    try {
      outcome.exitCode = await handler(Object.assign({}, options, positional.length > 0 ? { args: positional } : {}) as Options, command);
    } catch (error) {
      outcome.exitCode = reportError(processOutput(command.optsWithGlobals<GlobalOptions>().json === true), error);
    }
  };
}
