/**
 * Loads `@aws-sdk/client-ec2` (an optional peer) on first use, through its public entry point.
 * The import sits in a `try` so bundlers leave it to run time when the SDK is not installed, and
 * a missing SDK becomes a `ConfigurationError` that says what to install.
 *
 * @module
 */
import type * as Ec2SdkModule from '@aws-sdk/client-ec2';
import type * as HttpHandlerModule from '@smithy/node-http-handler';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import { ConfigurationError } from '../../src/kit.js';

/** The npm package the driver needs. */
export const SDK_PACKAGE = '@aws-sdk/client-ec2';

/** The SDK's HTTP handler package, a dependency of the SDK. */
const HTTP_HANDLER_PACKAGE = '@smithy/node-http-handler';

/** The SDK module. */
export type Ec2Sdk = typeof Ec2SdkModule;

let loading: Promise<Ec2Sdk> | undefined;
let httpHandlerClass: typeof NodeHttpHandler | undefined;

/**
 * The SDK's HTTP handler class (from `@smithy/node-http-handler`, which the SDK depends on),
 * loaded with the SDK by {@link loadEc2Sdk}: a static import would make the package need the
 * SDK's dependencies at import time and break bundling without the SDK.
 */
export function nodeHttpHandler(): typeof NodeHttpHandler {
  if (!httpHandlerClass) throw new Error('the AWS SDK is not loaded yet (loadEc2Sdk first)');
  return httpHandlerClass;
}

/** The SDK module, imported once per process. */
export function loadEc2Sdk(): Promise<Ec2Sdk> {
  loading ??= (async () => {
    try {
      // Each import directly in the `try`: that is what bundlers leave to run time.
      const sdk = requireInstalled<Ec2Sdk>(SDK_PACKAGE) ?? (await import('@aws-sdk/client-ec2'));
      const http = requireInstalled<typeof HttpHandlerModule>(HTTP_HANDLER_PACKAGE) ?? (await import('@smithy/node-http-handler'));
      httpHandlerClass = http.NodeHttpHandler;
      return sdk;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | undefined)?.code;
      const message = String((error as Error).message);
      if (
        (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
        (message.includes(SDK_PACKAGE) || message.includes('@smithy/'))
      ) {
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

/**
 * `require()` of an installed package, or `undefined` when it cannot be required here (not
 * installed, or this file was bundled and the package was not shipped beside it). The SDK's
 * packages are CommonJS as Node loads them: `import()` of one makes Node compile its bundle a
 * second time to detect the format and scan it for export names, which costs more than the
 * rest of the driver's start-up together (`@aws-sdk/client-ec2` is a 2 MB file); `require()`
 * skips both. The `import()` beside each call stays for bundlers and ES-module-only builds.
 */
function requireInstalled<T>(specifier: string): T | undefined {
  try {
    // Reached through getBuiltinModule, not a static import: esbuild's usual banner for ES module
    // bundles declares `createRequire` at the top, and a second import of that name breaks them.
    return process.getBuiltinModule('node:module').createRequire(import.meta.url)(specifier) as T;
  } catch {
    return undefined;
  }
}
