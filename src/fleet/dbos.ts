/**
 * Loading `@dbos-inc/dbos-sdk` on first use (it is an optional peer), and the settings that keep
 * it local: no OTLP export, no tracing, no Conductor or DBOS Cloud connection. DBOS only ever
 * reaches the PostgreSQL URL it is given.
 *
 * @module
 */
import type * as DbosSdk from '@dbos-inc/dbos-sdk';
import { CloudError, ConfigurationError, InvalidRequestError, ProviderUnavailableError } from '../core/errors.js';

/** The SDK module (a type-only import: nothing is loaded until {@link loadDbos}). */
export type DbosModule = typeof DbosSdk;

/** DBOS application name: scopes fleet workflows and queues in a shared system database. */
export const FLEET_APP_NAME = 'polycloud-fleet';
/**
 * The application version every worker and enqueuer stamps: DBOS only hands a workflow to an
 * executor of the same version, and its default (a hash of the code) would differ between a
 * CLI build and a library build of the same fleet protocol.
 */
export const FLEET_APP_VERSION = 'polycloud-fleet-1';
/** The queue run workflows (the fan-out of a plan) are enqueued on. */
export const RUNS_QUEUE = 'polycloud-fleet-runs';
/** DBOS workflow names. */
export const RUN_WORKFLOW = 'polycloudFleetRun';
export const NODE_WORKFLOW = 'polycloudFleetNode';
/** The cleanup of one node (destroying its source), a child of the node workflow on the source side's queue. */
export const CLEANUP_WORKFLOW = 'polycloudFleetCleanup';

/** The id of a node's cleanup workflow (the node's is its migration key). */
export function cleanupIdOf(nodeWorkflowId: string): string {
  return `${nodeWorkflowId}:cleanup`;
}

/** Variables that would make the SDK connect to DBOS Cloud / Conductor or export telemetry. */
const PHONE_HOME_VARIABLES = [
  'DBOS__CLOUD',
  'DBOS__CONDUCTOR_KEY',
  'DBOS__CONDUCTOR_URL',
  'DBOS__OTLP_LOGS_ENDPOINT',
  'DBOS__OTLP_TRACES_ENDPOINT',
];

let loading: Promise<DbosModule> | undefined;

/** The SDK, imported once; a `ConfigurationError` naming the package when it is not installed. */
export function loadDbos(operation: string): Promise<DbosModule> {
  const set = PHONE_HOME_VARIABLES.filter((name) => process.env[name]);
  if (set.length > 0) {
    return Promise.reject(
      new ConfigurationError(
        `${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set: polycloud fleet never connects DBOS to DBOS Cloud, Conductor or an OTLP endpoint; unset ${set.length === 1 ? 'it' : 'them'}`,
        { provider: 'polycloud', operation },
      ),
    );
  }
  loading ??= import('@dbos-inc/dbos-sdk').catch((error: unknown) => {
    loading = undefined;
    throw new ConfigurationError('fleet mode needs the optional package @dbos-inc/dbos-sdk (v5): npm install @dbos-inc/dbos-sdk', {
      provider: 'polycloud',
      operation,
      cause: error,
    });
  });
  return loading;
}

/** Checks a PostgreSQL URL before DBOS sees it (DBOS would otherwise retry a bad one for a while). */
export function checkDatabaseUrl(database: unknown, operation: string): string {
  let url: URL | undefined;
  try {
    url = typeof database === 'string' ? new URL(database) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !['postgres:', 'postgresql:'].includes(url.protocol) || url.hostname === '') {
    throw new InvalidRequestError('"database" must be a PostgreSQL URL, postgres://user@host:port/database', {
      provider: 'polycloud',
      operation,
      field: 'database',
    });
  }
  return database as string;
}

/** A database URL with its password masked, for messages. */
export function maskDatabaseUrl(database: string): string {
  try {
    const url = new URL(database);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(invalid URL)';
  }
}

/**
 * What a failure of PostgreSQL (or of DBOS talking to it) becomes: the typed, retryable
 * {@link ProviderUnavailableError} naming the operation, with the URL's password masked and
 * removed from the message wherever DBOS or the driver repeated it. polycloud's own errors pass
 * through unchanged. The original error is not kept as `cause`: its fields may hold the full URL.
 */
export function databaseFailure(error: unknown, database: string, operation: string): CloudError {
  if (error instanceof CloudError) return error;
  let message = error instanceof Error ? error.message : String(error);
  const password = passwordOf(database);
  if (password) message = message.split(password).join('***').split(encodeURIComponent(password)).join('***');
  return new ProviderUnavailableError(`PostgreSQL at ${maskDatabaseUrl(database)} failed: ${message.split('\n')[0]}`, {
    provider: 'polycloud',
    operation,
    ...(error instanceof Error && 'code' in error && typeof error.code === 'string' ? { code: error.code } : {}),
  });
}

function passwordOf(database: string): string {
  try {
    return decodeURIComponent(new URL(database).password);
  } catch {
    return '';
  }
}
