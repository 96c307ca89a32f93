/**
 * Ctrl-C for the `polycloud` command: by default the process exits 130 at once; a command that
 * can stop gracefully (finish its report, keep what it did resumable) takes the interrupt over
 * with {@link onInterrupt} for as long as it runs.
 *
 * @module
 */
import { EXIT } from './output.js';

const handlers = new Set<() => void>();

/** Hands Ctrl-C to `handler` instead of exiting; call the returned function when done. */
export function onInterrupt(handler: () => void): () => void {
  handlers.add(handler);
  return () => handlers.delete(handler);
}

/** Installs the process's SIGINT handling (once, from the command's entry point). */
export function installInterruptHandling(): void {
  process.on('SIGINT', () => {
    if (handlers.size > 0) {
      for (const handler of [...handlers]) handler();
      // A second Ctrl-C exits at once.
      handlers.clear();
      return;
    }
    try {
      process.stderr.write('\npolycloud: interrupted\n');
    } finally {
      process.exit(EXIT.interrupted);
    }
  });
}
