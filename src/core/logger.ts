/**
 * The optional logger drivers report retries and slow operations to. Every line passes through
 * secret redaction before it reaches the logger.
 *
 * @module
 */
import { redactSecrets } from './secrets.js';

/** Where polycloud writes diagnostics; `console` fits. A driver given no logger logs nothing. */
export interface Logger {
  /** Routine detail, e.g. a retry after a failed attempt or a token renewed; secrets already redacted. Omit to drop these. */
  debug?(message: string): void;
  /** Something the caller should know that did not fail the call, e.g. prices left unknown; secrets already redacted. */
  warn?(message: string): void;
}

/** A logger that scrubs secrets from every message before passing it on. */
export function safeLogger(logger: Logger | undefined): Required<Logger> {
  return {
    debug: (message) => logger?.debug?.(redactSecrets(message)),
    warn: (message) => logger?.warn?.(redactSecrets(message)),
  };
}
