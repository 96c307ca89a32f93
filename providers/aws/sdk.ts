/**
 * Loads `@aws-sdk/client-ec2` (an optional peer) on first use, through its public entry point.
 * The import sits in a `try` so bundlers leave it to run time when the SDK is not installed, and
 * a missing SDK becomes a `ConfigurationError` that says what to install.
 *
 * @module
 */
import type * as Ec2SdkModule from '@aws-sdk/client-ec2';
import { ConfigurationError } from '../../src/kit.js';

/** The npm package the driver needs. */
export const SDK_PACKAGE = '@aws-sdk/client-ec2';

/** The SDK module. */
export type Ec2Sdk = typeof Ec2SdkModule;

let loading: Promise<Ec2Sdk> | undefined;

/** The SDK module, imported once per process. */
export function loadEc2Sdk(): Promise<Ec2Sdk> {
  loading ??= (async () => {
    try {
      return await import('@aws-sdk/client-ec2');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(SDK_PACKAGE)) {
        throw new ConfigurationError(`the aws driver needs the package ${SDK_PACKAGE}: run \`npm install ${SDK_PACKAGE}\``, {
          provider: 'aws',
          operation: 'loadSdk',
          cause: error,
        });
      }
      throw error;
    }
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
