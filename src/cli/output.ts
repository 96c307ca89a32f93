/**
 * How the CLI shows things: tables for people (cli-table3), JSON for scripts, and the exit codes.
 *
 * @module
 */
import Table from 'cli-table3';
import { isCloudError, isConfigurationError, isInvalidRequestError, type CloudError } from '../core/errors.js';
import type { CloudFailure } from '../multicloud/index.js';
import { redactSecrets } from '../core/secrets.js';
import type { Price } from '../core/types.js';

/** Exit codes: success, a failed (or partly failed) operation, bad input or configuration, interrupted (SIGINT). */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Where output goes; tests and the demo can capture it. */
export interface Output {
  /** Whether `--json` was given: print one JSON document on stdout and nothing for people. */
  readonly json: boolean;
  out(text: string): void;
  err(text: string): void;
}

/**
 * The process's stdout/stderr. Everything written passes through {@link redactSecrets}: a server
 * can echo a credential in any field it returns (a node's name, a tag, an error's code), and the
 * CLI prints those fields as they came.
 */
export function processOutput(json: boolean): Output {
  return {
    json,
    out: (text) => process.stdout.write(`${redactSecrets(text)}\n`),
    err: (text) => process.stderr.write(`${redactSecrets(text)}\n`),
  };
}

/**
 * A plain table (no colours, so output is the same in a terminal and a pipe). In a terminal it is
 * fitted to `width` columns: the widest cells are cut (ending in `…`) until it fits; in a pipe
 * (`width` undefined) nothing is cut, so scripts get whole values.
 */
export function table(
  head: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  width: number | undefined = process.stdout.isTTY ? process.stdout.columns : undefined,
): string {
  const cells = [head.map(String), ...rows.map((row) => row.map(String))];
  const widths = head.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  if (width !== undefined && width > 0) fitWidths(widths, width);
  const cut = (text: string, column: number) => {
    const max = widths[column] as number;
    return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
  };
  const result = new Table({ head: head.map(cut), style: { head: [], border: [], compact: true } });
  for (const row of cells.slice(1)) result.push(row.map(cut));
  return result.toString();
}

/** Narrows the widest columns until the table (cells + 3 characters of border each, + 1) fits. */
function fitWidths(widths: number[], width: number): void {
  const total = () => widths.reduce((sum, each) => sum + each + 3, 1);
  const MIN = 4;
  while (total() > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] as number) <= MIN) return;
    widths[widest] = (widths[widest] as number) - 1;
  }
}

/** The address to reach a node at: its first public IP, else its first private one, else `-`. */
export function addressOf(node: { readonly publicIps: readonly string[]; readonly privateIps: readonly string[] }): string {
  return node.publicIps[0] ?? node.privateIps[0] ?? '-';
}

/** `0.0357 USD` or `unknown`. */
export function formatHourly(price: Price | null): string {
  return price ? `${trim(price.hourly, 4)} ${price.currency}` : 'unknown';
}

/** `26.06 USD` or `unknown`. */
export function formatMonthly(price: Price | null): string {
  return price ? `${price.monthly.toFixed(2)} ${price.currency}` : 'unknown';
}

/** Per-currency sums, e.g. `0.1071 USD + 0.0095 EUR`. */
export function formatCost(hourly: Readonly<Record<string, number>>, unknownPrice = 0): string {
  const parts = Object.entries(hourly).map(([currency, amount]) => `${trim(amount, 4)} ${currency}/h`);
  if (unknownPrice > 0) parts.push(`${unknownPrice} node(s) of unknown price`);
  return parts.length > 0 ? parts.join(' + ') : 'nothing';
}

function trim(value: number, decimals: number): string {
  return value.toFixed(decimals);
}

/** JSON for scripts: nodes without their provider-specific `raw` object, errors as their secret-free `toJSON`. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (key, each: unknown) => (key === 'raw' ? undefined : each), 2);
}

/** Prints the clouds that did not answer, on stderr. */
export function printFailures(output: Output, failures: readonly CloudFailure[]): void {
  for (const failure of failures) output.err(`! ${failure.cloud} (${failure.provider}) did not answer: ${failure.error.message}`);
}

/** The exit code an error calls for: 2 for bad input or configuration, 1 for a failed operation. */
export function exitCodeOf(error: unknown): number {
  return isInvalidRequestError(error) || isConfigurationError(error) ? EXIT.usage : EXIT.failed;
}

/** Shows an error and returns the exit code it calls for. */
export function reportError(output: Output, error: unknown): number {
  const code = exitCodeOf(error);
  if (output.json) {
    output.out(
      toJson({
        error: isCloudError(error)
          ? (error as CloudError).toJSON()
          : { name: 'Error', message: error instanceof Error ? error.message : String(error) },
      }),
    );
  } else {
    output.err(`error: ${error instanceof Error ? error.message : String(error)}`);
  }
  return code;
}
