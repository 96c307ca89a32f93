#!/usr/bin/env node
/**
 * Entry point of the `polycloud` command (package.json `bin`).
 *
 * @module
 */
import { runCli } from './program.js';

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`polycloud: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
