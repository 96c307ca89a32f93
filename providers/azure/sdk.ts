/**
 * The Azure SDKs as the driver uses them: lazy loading of `@azure/arm-compute`,
 * `@azure/arm-network`, `@azure/arm-resources` and `@azure/identity` (optional peers, imported on
 * the first call, never by `import('polycloud')`), one retry layer (ours: the SDK pipelines are
 * built with `maxRetries: 0`), a deadline and cancellation on every request and every
 * long-running operation, and error mapping.
 *
 * @module
 */
import {
  ConfigurationError,
  DEFAULT_BOUNDS,
  ListingGuard,
  TimeoutError,
  isCloudError,
  registerSecret,
  type RetryOptions,
  withRetry,
  type Clock,
  type Logger,
  type TransportBounds,
} from '../../src/kit.js';
import { mapAzureError, type AzureErrorContext } from './errors.js';
import { armDecodeFailure } from './decode.js';
import { createBoundedHttpClient, runBoundedCall } from './transport.js';

/** The packages the driver loads, in the order it needs them. */
export const AZURE_PACKAGES = ['@azure/arm-compute', '@azure/arm-network', '@azure/arm-resources', '@azure/identity'] as const;

/**
 * A credential as `@azure/core-auth` defines it (`DefaultAzureCredential`, `ClientSecretCredential`,
 * `AzureCliCredential`, …): anything with `getToken(scopes)`.
 */
export interface AzureTokenCredential {
  /**
   * An access token for `scopes` (the driver asks for `https://management.azure.com/.default`);
   * `null` when the credential cannot give one.
   */
  getToken(
    scopes: string | string[],
    options?: object,
  ): Promise<{
    /** The bearer token, sent as `Authorization: Bearer …`; registered as a secret so no message shows it. */
    token: string;
    /** When the token expires, in ms since the Unix epoch. */
    expiresOnTimestamp: number;
    [field: string]: unknown;
  } | null>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the SDK clients are loaded at run time; their types stay out of our public typings. */
/** The three SDK clients (typed loosely so that our typings never name an optional peer). */
export interface AzureClients {
  readonly compute: any;
  readonly network: any;
  readonly resources: any;
  /** `createPipelineRequest` of `@azure/core-rest-pipeline` (a dependency of every Azure SDK). */
  readonly createPipelineRequest: (options: { url: string; method: string; abortSignal?: AbortSignal }) => any;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** How the API layer connects. */
export interface AzureApiSettings {
  readonly subscriptionId: string;
  /**
   * ARM endpoint without a trailing slash.
   * @defaultValue `https://management.azure.com`
   */
  readonly endpoint?: string;
  /** PEM certificate(s) to trust for `endpoint` besides the system roots. */
  readonly caCertificate?: string;
  /**
   * The credential to use.
   * @defaultValue `DefaultAzureCredential` from `@azure/identity`
   */
  readonly credential?: AzureTokenCredential;
  readonly retry?: RetryOptions;
  readonly clock: Clock;
  readonly logger: Required<Logger>;
  readonly requestTimeoutMs: number;
  readonly operationTimeoutMs: number;
  /** Pause between polls of a long-running operation when ARM sends no `Retry-After`. */
  readonly pollIntervalMs: number;
  /**
   * Body size, page and listing bounds.
   * @defaultValue `DEFAULT_BOUNDS`
   */
  readonly bounds?: TransportBounds;
}

/** One API call: for retries, deadlines and errors. */
export interface AzureCallContext extends AzureErrorContext {
  readonly signal?: AbortSignal;
  /** Whether the call may be repeated: reads, and ARM PUT/DELETE (idempotent by contract). */
  readonly idempotent: boolean;
  /** A long-running operation: the deadline is `operationTimeoutMs`, not `requestTimeoutMs`. */
  readonly longRunning?: boolean;
}

/** What each SDK call receives: cancellation and, for LROs, the poll interval. */
export interface AzureCallOptions {
  readonly abortSignal: AbortSignal;
  readonly updateIntervalInMs: number;
}

/** The Azure API as the driver uses it. */
export interface AzureApi {
  readonly subscriptionId: string;
  /** Runs one SDK call (or one whole long-running operation) with retries, a deadline and error mapping. */
  call<T>(context: AzureCallContext, run: (clients: AzureClients, options: AzureCallOptions) => Promise<T>): Promise<T>;
  /** Every page of a paged SDK listing; each page is fetched (and retried) on its own. */
  pages<T>(
    context: AzureCallContext,
    list: (clients: AzureClients, options: AzureCallOptions) => { byPage(settings?: { continuationToken?: string }): AsyncIterator<T[]> },
  ): AsyncGenerator<T[]>;
}

const ARM_SCOPE = 'https://management.azure.com/.default';

/** Creates the API layer. Loads nothing until the first call. */
export function createAzureApi(settings: AzureApiSettings): AzureApi {
  let clients: Promise<AzureClients> | undefined;
  const requestBounds = {
    requestTimeoutMs: settings.requestTimeoutMs,
    maxBodyBytes: settings.bounds?.maxBodyBytes ?? DEFAULT_BOUNDS.maxBodyBytes,
  };

  function load(): Promise<AzureClients> {
    clients ??= loadClients(settings, requestBounds).catch((error: unknown) => {
      clients = undefined;
      throw error;
    });
    return clients;
  }

  function deadline(context: AzureCallContext): { signal: AbortSignal; timedOut: () => boolean; done: () => void; ms: number } {
    const ms = context.longRunning ? settings.operationTimeoutMs : settings.requestTimeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error(`deadline of ${ms} ms passed`)), ms);
    const signal = context.signal ? AbortSignal.any([context.signal, timeout.signal]) : timeout.signal;
    return { signal, timedOut: () => timeout.signal.aborted, done: () => clearTimeout(timer), ms };
  }

  async function attempt<T>(context: AzureCallContext, run: (options: AzureCallOptions) => Promise<T>): Promise<T> {
    const { signal, timedOut, done, ms } = deadline(context);
    try {
      return await runBoundedCall(requestBounds, context, () => run({ abortSignal: signal, updateIntervalInMs: settings.pollIntervalMs }));
    } catch (error) {
      if (context.signal?.aborted) throw context.signal.reason;
      if (timedOut()) {
        throw new TimeoutError(`Azure ${context.operation}: no answer within ${ms} ms`, {
          provider: 'azure',
          operation: context.operation,
          timeoutMs: ms,
          retryable: true,
          ...(context.location ? { location: context.location } : {}),
        });
      }
      throw isCloudError(error) ? error : (armDecodeFailure(error, context) ?? mapAzureError(error, context));
    } finally {
      done();
    }
  }

  const onRetry = (context: AzureCallContext) => (info: { attempt: number; error: unknown; delayMs: number }) =>
    settings.logger.debug(
      `azure ${context.operation}: attempt ${info.attempt} failed (${String(info.error)}); retrying in ${info.delayMs} ms`,
    );

  return {
    subscriptionId: settings.subscriptionId,
    async call(context, run) {
      const sdk = await load();
      return withRetry(() => attempt(context, (options) => run(sdk, options)), settings.retry, {
        idempotent: context.idempotent,
        onRetry: onRetry(context),
        ...(context.signal ? { signal: context.signal } : {}),
      });
    },
    async *pages(context, list) {
      const sdk = await load();
      let continuationToken: string | undefined;
      let first = true;
      const guard = new ListingGuard({ provider: 'azure', operation: context.operation }, settings.bounds, settings.clock);
      while (first || continuationToken !== undefined) {
        first = false;
        guard.beforePage();
        const token = continuationToken;
        const page = await withRetry(
          () =>
            attempt(context, async (options) => {
              const iterator = list(sdk, options).byPage(token === undefined ? {} : { continuationToken: token });
              const next = await iterator.next();
              return next.done ? undefined : next.value;
            }),
          settings.retry,
          { idempotent: true, onRetry: onRetry(context), ...(context.signal ? { signal: context.signal } : {}) },
        );
        if (page === undefined) return;
        continuationToken = (page as { continuationToken?: string }).continuationToken;
        yield page;
      }
    },
  };
}

/** A credential whose tokens are registered as secrets, so they never reach a message. */
function redactingCredential(credential: AzureTokenCredential): AzureTokenCredential {
  return {
    async getToken(scopes, options) {
      const token = await credential.getToken(scopes, options);
      registerSecret(token?.token);
      return token;
    },
  };
}

async function importPackage(name: string): Promise<Record<string, unknown>> {
  try {
    return (await import(name)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new ConfigurationError(`the azure driver needs the package ${name}: run \`npm install ${name}\``, {
        provider: 'azure',
        operation: 'configure',
        cause: error,
      });
    }
    throw error;
  }
}

async function loadClients(
  settings: AzureApiSettings,
  bounds: { readonly requestTimeoutMs: number; readonly maxBodyBytes: number },
): Promise<AzureClients> {
  const [compute, network, resources] = (await Promise.all(AZURE_PACKAGES.slice(0, 3).map(importPackage))) as [
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, unknown>,
  ];
  const pipeline = await importPackage('@azure/core-rest-pipeline');
  let credential = settings.credential;
  if (!credential) {
    const identity = await importPackage('@azure/identity');
    const DefaultAzureCredential = identity.DefaultAzureCredential as new () => AzureTokenCredential;
    credential = new DefaultAzureCredential();
  }
  const wrapped = redactingCredential(credential);
  const common = {
    // Our withRetry is the one retry layer; the SDK pipelines must not retry underneath it.
    retryOptions: { maxRetries: 0 },
    // A request carrying the bearer token never follows a redirect (ARM does not redirect).
    redirectOptions: { maxRetries: 0 },
    // Every request through our bounded client: one deadline on the whole exchange, a body size bound.
    httpClient: createBoundedHttpClient(
      bounds,
      pipeline.createHttpHeaders as (raw: Record<string, string>) => unknown,
      settings.caCertificate,
    ),
    credentials: { scopes: [ARM_SCOPE] },
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.caCertificate ? { tlsOptions: { ca: settings.caCertificate } } : {}),
  };
  type Ctor = new (credential: AzureTokenCredential, subscriptionId: string, options: object) => SdkClient;
  const clients = {
    compute: new (compute.ComputeManagementClient as Ctor)(wrapped, settings.subscriptionId, common),
    network: new (network.NetworkManagementClient as Ctor)(wrapped, settings.subscriptionId, common),
    resources: new (resources.ResourceManagementClient as Ctor)(wrapped, settings.subscriptionId, {
      ...common,
      apiVersion: '2024-07-01',
    }),
  };
  if (settings.endpoint?.startsWith('http:')) for (const client of Object.values(clients)) allowLoopbackHttp(client, wrapped);
  return { ...clients, createPipelineRequest: pipeline.createPipelineRequest as AzureClients['createPipelineRequest'] };
}

/** The part of an SDK client's pipeline used here. */
interface SdkClient {
  readonly pipeline: {
    removePolicy(options: { name: string }): unknown;
    addPolicy(
      policy: { name: string; sendRequest(request: SignedRequest, next: (request: SignedRequest) => Promise<unknown>): Promise<unknown> },
      options?: { phase?: string },
    ): void;
  };
}
interface SignedRequest {
  readonly headers: { set(name: string, value: string): void };
  readonly abortSignal?: AbortSignal;
}

/**
 * For an `http:` endpoint, which `createAzureDriver` allows only on loopback (a local test server or
 * emulator): the SDK's bearer policy refuses any URL that is not `https:`, so it is replaced by one
 * that sets the same `Authorization: Bearer` header without that check.
 */
function allowLoopbackHttp(client: SdkClient, credential: AzureTokenCredential): void {
  client.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
  client.pipeline.addPolicy(
    {
      name: 'polycloudLoopbackBearerPolicy',
      async sendRequest(request, next) {
        const token = await credential.getToken([ARM_SCOPE], request.abortSignal ? { abortSignal: request.abortSignal } : {});
        if (token) request.headers.set('Authorization', `Bearer ${token.token}`);
        return next(request);
      },
    },
    { phase: 'Sign' },
  );
}
