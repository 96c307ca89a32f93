/**
 * The optional logger drivers report retries and slow operations to. Every line passes through
 * secret redaction before it reaches the logger.
 *
 * @module
 */
import { redactSecrets } from './secrets.js';

/** Where polycloud writes diagnostics. `console` fits. Default: nothing is logged. */
export interface Logger {
  debug?(message: string): void;
  warn?(message: string): void;
}

/** A logger that scrubs secrets from every message before passing it on. */
export function safeLogger(logger: Logger | undefined): Required<Logger> {
  return {
    debug: (message) => logger?.debug?.(redactSecrets(message)),
    warn: (message) => logger?.warn?.(redactSecrets(message)),
  };
}
