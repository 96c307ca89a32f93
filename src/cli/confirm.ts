/**
 * Confirmation for destructive commands: with `--yes` they go ahead; at a terminal they ask; in a
 * script (stdin not a terminal) they refuse, so a pipeline never destroys by accident.
 *
 * @module
 */
import { createInterface } from 'node:readline/promises';
import { InvalidRequestError } from '../core/errors.js';

/** Where a confirmation is asked; tests and other front ends can pass their own. */
export interface ConfirmStreams {
  /** Read from here; a prompt is shown only when it is a terminal. */
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** The question goes here. */
  readonly output: NodeJS.WritableStream;
}

/**
 * Resolves when the user agreed: `yes` given, or `y`/`yes` typed at a terminal. Otherwise throws
 * an `InvalidRequestError` (exit code 2) naming `--yes`.
 */
export async function confirm(
  question: string,
  yes: boolean | undefined,
  operation: string,
  streams: ConfirmStreams = { input: process.stdin, output: process.stderr },
): Promise<void> {
  if (yes) return;
  const refuse = (why: string): never => {
    throw new InvalidRequestError(`${why}; pass --yes to ${operation} without being asked`, {
      provider: 'polycloud',
      operation,
      field: 'yes',
    });
  };
  if (!streams.input.isTTY) refuse(`refusing to ${operation} without confirmation: stdin is not a terminal`);
  const prompt = createInterface({ input: streams.input, output: streams.output });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) refuse(`${operation} cancelled`);
  } finally {
    prompt.close();
  }
}
