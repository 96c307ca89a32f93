#!/usr/bin/env node
/**
 * Entry point of the `polycloud` command (package.json `bin`): runs the program and turns the
 * process's edge cases into quiet, conventional exits — a reader that closed the pipe early
 * (`polycloud sizes | head -1`) ends the command silently, and Ctrl-C exits 130.
 *
 * @module
 */
import { redactSecrets } from '../core/secrets.js';
import { installInterruptHandling } from './interrupt.js';
import { EXIT } from './output.js';
import { runCli } from './program.js';

/** A closed pipe on stdout or stderr: the reader has what it wanted, so stop quietly. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  });
}
quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);
// SIGPIPE is ignored by Node already; writes then fail with EPIPE, handled above.

installInterruptHandling();

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`polycloud: unexpected failure: ${redactSecrets(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = EXIT.failed;
  },
);
