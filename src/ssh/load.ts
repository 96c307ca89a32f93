/**
 * Loads `ssh2`, an optional peer dependency, on first use only: `import('polycloud/ssh')` costs
 * nothing until something connects, and a missing package is a `ConfigurationError` that names it.
 *
 * @module
 */
import type * as Ssh2 from 'ssh2';
import { ConfigurationError } from '../core/errors.js';

/** The `ssh2` module as loaded. */
export type Ssh2Module = typeof Ssh2;

let loading: Promise<Ssh2Module> | undefined;

/** The `ssh2` module, imported once; `ConfigurationError` naming the package when it is absent. */
export function loadSsh2(operation: string): Promise<Ssh2Module> {
  loading ??= import('ssh2').then(
    (module) => ((module as unknown as { default?: Ssh2Module }).default ?? module) as Ssh2Module,
    (error: unknown) => {
      loading = undefined;
      throw new ConfigurationError('polycloud/ssh needs the optional package "ssh2": npm install ssh2', {
        provider: 'polycloud',
        operation,
        cause: error,
      });
    },
  );
  return loading;
}
