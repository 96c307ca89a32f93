/**
 * The Compute Engine API through `@google-cloud/compute` on its REST transport: lazy loading of
 * only the seven clients the driver uses, one retry layer (polycloud's `withRetry`; the SDK's own
 * retries are turned off on every call), cancellation, error mapping, paging and operation waits.
 *
 * @module
 */
import {
  ConfigurationError,
  isCloudError,
  ProviderUnavailableError,
  pollUntil,
  settleOrAbort,
  withRetry,
  type Clock,
  type Logger,
  type RetryOptions,
  DEFAULT_BOUNDS,
  ListingGuard,
  type TransportBounds,
} from '../../src/kit.js';
import { discoverProject } from './project.js';
import { boundAuthFetch, boundedAuthClient, runBounded } from './transport.js';
import { mapGceError, operationError, type GceErrorContext } from './errors.js';
import type { GceDisk, GceImage, GceInstance, GceMachineType, GceOperation, GceRegion, GceScopedInstances, GceZone } from './types.js';

/** The npm package the driver needs. */
export const SDK_PACKAGE = '@google-cloud/compute';

/**
 * The client modules, imported one by one: `import('@google-cloud/compute')` loads all ~100
 * clients and costs seconds on a cold start; these seven cost a fraction of that.
 */
const CLIENT_MODULES = {
  instances: ['instances_client', 'InstancesClient'],
  zoneOperations: ['zone_operations_client', 'ZoneOperationsClient'],
  machineTypes: ['machine_types_client', 'MachineTypesClient'],
  zones: ['zones_client', 'ZonesClient'],
  regions: ['regions_client', 'RegionsClient'],
  images: ['images_client', 'ImagesClient'],
  // Only to learn a custom image a boot disk was made from (launch specs).
  disks: ['disks_client', 'DisksClient'],
} as const;

type ClientName = keyof typeof CLIENT_MODULES;

/**
 * Per-call options the SDK takes: `retry: null` turns its retries off, `timeout` is the request
 * deadline, and `signal` aborts the HTTP request itself (closing its connection).
 */
interface GaxCallOptions {
  readonly retry: null;
  readonly timeout: number;
  readonly signal?: AbortSignal;
  readonly autoPaginate?: false;
}

type SdkMethod<Response> = (request: Record<string, unknown>, options: GaxCallOptions) => Promise<Response>;
/** A paged SDK call with `autoPaginate: false`: `[items, nextRequest, rawResponse]`. */
type SdkPage<Items> = [
  Items,
  unknown,
  { readonly kind?: string | null; readonly nextPageToken?: string | null; readonly unreachables?: readonly string[] | null } | undefined,
];
/** A mutation: the SDK wraps the returned Operation as `latestResponse`. */
type SdkMutation = [{ readonly latestResponse: GceOperation }, ...unknown[]];

/** The parts of the generated clients polycloud calls, and the project they work in. */
export interface GceClients {
  /** The project: the one configured, or the one found from the credentials (see `project.ts`). */
  readonly project: string;
  readonly instances: {
    get: SdkMethod<[GceInstance, ...unknown[]]>;
    list: SdkMethod<SdkPage<GceInstance[]>>;
    insert: SdkMethod<SdkMutation>;
    start: SdkMethod<SdkMutation>;
    stop: SdkMethod<SdkMutation>;
    reset: SdkMethod<SdkMutation>;
    delete: SdkMethod<SdkMutation>;
    /** `aggregatedList` has no paged method on the client; its inner call is the page-by-page one. */
    readonly innerApiCalls: { aggregatedList: SdkMethod<SdkPage<Record<string, GceScopedInstances>>> };
  };
  readonly zoneOperations: { wait: SdkMethod<[GceOperation, ...unknown[]]>; get: SdkMethod<[GceOperation, ...unknown[]]> };
  readonly machineTypes: { get: SdkMethod<[GceMachineType, ...unknown[]]>; list: SdkMethod<SdkPage<GceMachineType[]>> };
  readonly zones: { list: SdkMethod<SdkPage<GceZone[]>> };
  readonly regions: { list: SdkMethod<SdkPage<GceRegion[]>> };
  readonly images: {
    list: SdkMethod<SdkPage<GceImage[]>>;
    get: SdkMethod<[GceImage, ...unknown[]]>;
    getFromFamily: SdkMethod<[GceImage, ...unknown[]]>;
  };
  readonly disks: { get: SdkMethod<[GceDisk, ...unknown[]]> };
}

interface GeneratedClient {
  initialize(): Promise<unknown>;
  close(): Promise<void>;
  readonly auth: unknown;
}

/**
 * Anything google-auth-library accepts as an auth client: it must have `getRequestHeaders()` and
 * `fetch()`, e.g. a `GoogleAuth`, `OAuth2Client`, `JWT` or `ExternalAccountClient`.
 */
export interface GceAuthClient {
  /** The headers (with `Authorization`) that authenticate a request to `url`. */
  getRequestHeaders(url?: string): Promise<unknown>;
  /** Sends an authenticated HTTP request, as `fetch` does. */
  fetch(input: string, init?: object): Promise<unknown>;
}

/** Service account key JSON fields (`credentials` option). */
export interface GceCredentials {
  /** The service account's email, e.g. `sa@my-project.iam.gserviceaccount.com`. */
  readonly client_email: string;
  /** The account's PEM private key; registered as a secret, never shown. */
  readonly private_key: string;
  readonly [field: string]: unknown;
}

/** How the API layer connects. */
export interface GceApiSettings {
  /** The project; when absent it is found from the credentials on the first call. */
  readonly project?: string;
  /** Checked endpoint URL without a path, e.g. `http://127.0.0.1:8080`. */
  readonly endpoint?: string;
  readonly credentials?: GceCredentials;
  readonly keyFilename?: string;
  readonly authClient?: GceAuthClient;
  readonly retry?: RetryOptions;
  readonly clock: Clock;
  readonly logger: Required<Logger>;
  /** Longest wait for one zone operation. */
  readonly operationTimeoutMs: number;
  /** Longest wait for one HTTP request, connect to the last byte of the body. */
  readonly requestTimeoutMs: number;
  /**
   * Body size, page and listing bounds.
   * @defaultValue `DEFAULT_BOUNDS`
   */
  readonly bounds?: TransportBounds;
}

/** What one API call is, for retries and errors. */
export interface GceCallContext extends GceErrorContext {
  readonly signal?: AbortSignal;
  /** Whether the call may be repeated: reads, and mutations carrying a `requestId`. */
  readonly idempotent: boolean;
  /** Deadline of each request of this call, when it is not the driver's `requestTimeoutMs`. */
  readonly timeoutMs?: number;
}

/** The Compute API as the driver uses it. */
export interface GceApi {
  /** The project: the configured one, or the one found from the credentials (connecting first). */
  project(context: GceCallContext): Promise<string>;
  /** Runs one SDK call with retries, cancellation and error mapping. */
  call<T>(context: GceCallContext, run: (clients: GceClients, options: GaxCallOptions) => Promise<T>): Promise<T>;
  /** Every page of a paged call, each page fetched (and retried) on its own. */
  pages<Items>(
    context: GceCallContext,
    fetch: (
      clients: GceClients,
      pageToken: string | undefined,
      options: GaxCallOptions & { autoPaginate: false },
    ) => Promise<SdkPage<Items>>,
  ): AsyncGenerator<{ readonly items: Items; readonly unreachables: readonly string[] }>;
  /** Waits for a zone operation to be `DONE` and throws its error, if it has one. */
  waitForOperation(operation: GceOperation, zone: string, context: GceCallContext): Promise<GceOperation>;
  /** Closes the clients, if they were created. */
  close(): Promise<void>;
}

/** Loads the client classes, once per process. */
let modulesPromise: Promise<Record<ClientName, new (options: Record<string, unknown>) => unknown>> | undefined;

type ClientClasses = Record<ClientName, new (options: Record<string, unknown>) => unknown>;

/**
 * The seven client modules by their files: ~0.5-1 s cold, where the package's entry point (which
 * also loads the v1beta and v1small clients and a 31 MB protobuf module) takes 3-6 s. The package
 * has no `exports` map, so Node and bundlers resolve these paths; should a 7.x release move them,
 * {@link loadFromEntryPoint} still works, only slower. A computed specifier keeps TypeScript from
 * loading the SDK's 100 000-line typings.
 */
async function loadClientFiles(): Promise<ClientClasses> {
  const entries = await Promise.all(
    (Object.keys(CLIENT_MODULES) as ClientName[]).map(async (name) => {
      const [file, exportName] = CLIENT_MODULES[name];
      const specifier = `${SDK_PACKAGE}/build/src/v1/${file}.js`;
      const module = (await import(specifier)) as Record<string, unknown>;
      return [name, classIn(module, exportName)] as const;
    }),
  );
  return Object.fromEntries(entries) as ClientClasses;
}

/** The same classes through the package's public entry point. */
async function loadFromEntryPoint(): Promise<ClientClasses> {
  const specifier: string = SDK_PACKAGE;
  const module = (await import(specifier)) as Record<string, unknown>;
  const entries = (Object.keys(CLIENT_MODULES) as ClientName[]).map((name) => [name, classIn(module, CLIENT_MODULES[name][1])] as const);
  return Object.fromEntries(entries) as ClientClasses;
}

function classIn(module: Record<string, unknown>, exportName: string): new (options: Record<string, unknown>) => unknown {
  const loaded = (module[exportName] ?? (module.default as Record<string, unknown> | undefined)?.[exportName]) as
    (new (options: Record<string, unknown>) => unknown) | undefined;
  if (!loaded) throw new Error(`${SDK_PACKAGE} has no ${exportName}`);
  return loaded;
}

function loadClientClasses(): Promise<ClientClasses> {
  modulesPromise ??= loadClientFiles().catch((error: unknown) => {
    // The package is there but its files moved: take the slower public entry point.
    if (missingSdk(error) || isModuleNotFound(error)) return loadFromEntryPoint();
    throw error;
  });
  modulesPromise.catch(() => {
    modulesPromise = undefined;
  });
  return modulesPromise;
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /has no \w+Client/.test(String((error as Error)?.message));
}

function missingSdk(error: unknown): ConfigurationError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = String((error as Error | undefined)?.message ?? '');
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(SDK_PACKAGE)) {
    return new ConfigurationError(`the gce driver needs the package ${SDK_PACKAGE}: run \`npm install ${SDK_PACKAGE}\``, {
      provider: 'gce',
      operation: 'loadSdk',
      cause: error,
    });
  }
  return undefined;
}

/** How long Compute's `operations.wait` may block (two minutes), plus a margin. */
const WAIT_DEADLINE_MS = 130_000;

/** Creates the API layer. Nothing is loaded or contacted until the first call. */
export function createGceApi(settings: GceApiSettings): GceApi {
  const requestBounds = {
    requestTimeoutMs: settings.requestTimeoutMs,
    maxBodyBytes: settings.bounds?.maxBodyBytes ?? DEFAULT_BOUNDS.maxBodyBytes,
  };
  const optionsFor = (context: GceCallContext): GaxCallOptions => ({
    retry: null,
    timeout: context.timeoutMs ?? settings.requestTimeoutMs,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  let clientsPromise: Promise<GceClients> | undefined;
  let created: GeneratedClient[] = [];

  async function connect(): Promise<GceClients> {
    let classes: Awaited<ReturnType<typeof loadClientClasses>>;
    try {
      classes = await loadClientClasses();
    } catch (error) {
      throw missingSdk(error) ?? error;
    }
    const base: Record<string, unknown> = { fallback: true, ...(settings.project ? { projectId: settings.project } : {}) };
    if (settings.endpoint) {
      const url = new URL(settings.endpoint);
      base.apiEndpoint = url.hostname.replace(/^\[|\]$/g, '');
      base.port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
      base.protocol = url.protocol.replace(':', '');
    }
    // Every request: whole-exchange deadline, body size bound, no redirects (see transport.ts).
    if (settings.authClient) base.authClient = boundedAuthClient(settings.authClient, requestBounds);
    else if (settings.credentials) base.credentials = settings.credentials;
    else if (settings.keyFilename) base.keyFilename = settings.keyFilename;
    // Each client costs ~100 ms of CPU to construct (it hashes the Compute protos), so clients are
    // built on first use. The first one builds the auth client (ADC or the given credentials) and
    // the rest share it, so credentials are read and tokens fetched once.
    let sharedAuth: unknown;
    const built = new Map<ClientName, GeneratedClient>();
    const build = (name: ClientName): GeneratedClient => {
      let client = built.get(name);
      if (!client) {
        const options = settings.authClient || sharedAuth === undefined ? base : { ...base, auth: sharedAuth };
        client = new classes[name](options) as GeneratedClient;
        boundAuthFetch(client.auth, requestBounds);
        sharedAuth ??= client.auth;
        // aggregatedList has no public paged method; its inner call exists once initialize() ran.
        if (name === 'instances') client.initialize().catch(() => undefined);
        built.set(name, client);
        created.push(client);
      }
      return client;
    };
    // Loading the modules blocked the event loop; let due timers (an AbortSignal.timeout) fire
    // before the first client's construction blocks it again for its protobuf parse.
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Credentials are loaded here, before any SDK method runs: each generated method starts with
    // `this.initialize().catch(err => { throw err })`, so a set-up that fails (no credentials)
    // would also leave an unhandled rejection, which Node turns into a crash. Once the shared auth
    // has its credentials, the other clients' set-up reuses them.
    const first = build('instances');
    try {
      await first.initialize();
    } catch (error) {
      built.delete('instances');
      created = created.filter((client) => client !== first);
      throw error;
    }
    const project = settings.project ?? (await discoverProject(settings.authClient ?? first.auth, settings.authClient === undefined));
    const clients = { project };
    for (const name of Object.keys(CLIENT_MODULES) as ClientName[]) {
      Object.defineProperty(clients, name, { get: () => build(name), enumerable: true });
    }
    return clients as GceClients;
  }

  function clients(): Promise<GceClients> {
    clientsPromise ??= connect();
    clientsPromise.catch(() => {
      clientsPromise = undefined;
    });
    return clientsPromise;
  }

  /** The connected clients; a failure to connect (no SDK, credentials or project) is a `CloudError`. */
  async function connected(context: GceCallContext): Promise<GceClients> {
    try {
      return await settleOrAbort(clients(), context.signal);
    } catch (error) {
      if (context.signal?.aborted || isCloudError(error)) throw error;
      throw mapGceError(error, context);
    }
  }

  async function call<T>(context: GceCallContext, run: (clients: GceClients, options: GaxCallOptions) => Promise<T>): Promise<T> {
    const sdk = await connected(context);
    return withRetry(
      async () => {
        try {
          return await runBounded(requestBounds, context, () => settleOrAbort(run(sdk, optionsFor(context)), context.signal));
        } catch (error) {
          if (context.signal?.aborted) throw context.signal.reason;
          if (isCloudError(error)) throw error;
          throw mapGceError(error, context);
        }
      },
      settings.retry,
      {
        idempotent: context.idempotent,
        ...(context.signal ? { signal: context.signal } : {}),
        onRetry: ({ attempt, error, delayMs }) =>
          settings.logger.debug(
            `gce ${context.operation}: attempt ${attempt} failed (${(error as Error).message}); retrying in ${Math.round(delayMs)} ms`,
          ),
      },
    );
  }

  async function* pages<Items>(
    context: GceCallContext,
    fetch: (
      clients: GceClients,
      pageToken: string | undefined,
      options: GaxCallOptions & { autoPaginate: false },
    ) => Promise<SdkPage<Items>>,
  ): AsyncGenerator<{ readonly items: Items; readonly unreachables: readonly string[] }> {
    let pageToken: string | undefined;
    const guard = new ListingGuard(
      { provider: 'gce', operation: context.operation, ...(context.location ? { location: context.location } : {}) },
      settings.bounds,
    );
    do {
      // Counted once per page, not per attempt: a page cap stops a provider that links pages for ever.
      guard.beforePage();
      const token = pageToken;
      const [items, , raw] = await call(context, async (sdk, options) => {
        const page = await fetch(sdk, token, { ...options, autoPaginate: false });
        // Compute always names the kind of a list; an answer without one (e.g. `[]`) is not a list.
        if (typeof page[2]?.kind !== 'string')
          throw new ProviderUnavailableError('Compute answered a list request with a malformed body', {
            provider: 'gce',
            operation: context.operation,
            ...(context.location ? { location: context.location } : {}),
          });
        return page;
      });
      yield { items, unreachables: raw?.unreachables ?? [] };
      pageToken = raw?.nextPageToken || undefined;
    } while (pageToken !== undefined);
  }

  async function waitForOperation(operation: GceOperation, zone: string, context: GceCallContext): Promise<GceOperation> {
    const errorContext = { ...context, requestId: context.requestId ?? operation.name ?? undefined, location: zone };
    if (operation.status !== 'DONE' && !operation.name) {
      throw mapGceError(new Error('Compute returned an operation without a name'), errorContext);
    }
    const name = operation.name ?? '';
    const deadline = settings.clock.now() + settings.operationTimeoutMs;
    let current = operation;
    // The kit's one polling loop: between `wait` calls it backs off from 250 ms to 5 s, and it
    // ends with a TimeoutError naming the operation and its last status.
    const done = await pollUntil<GceOperation>(
      async () => {
        if (current.status === 'DONE') return { done: true, value: current };
        // `wait` blocks on the server for up to two minutes and may return before the operation is
        // done, so its deadline is longer than an ordinary request's (and bounded by the operation's).
        const remainingMs = deadline - settings.clock.now();
        const timeoutMs = Math.max(settings.requestTimeoutMs, Math.min(WAIT_DEADLINE_MS, remainingMs));
        [current] = await call({ ...errorContext, idempotent: true, timeoutMs }, (sdk, options) =>
          sdk.zoneOperations.wait({ project: sdk.project, zone, operation: name }, options),
        );
        return current.status === 'DONE'
          ? { done: true, value: current }
          : { done: false, state: `${current.status ?? 'unknown'} (${current.operationType ?? 'unknown'})` };
      },
      {
        provider: 'gce',
        operation: context.operation,
        what: `operation ${name}`,
        requestId: name,
        location: zone,
        clock: settings.clock,
        ...(context.signal ? { signal: context.signal } : {}),
        timeoutMs: settings.operationTimeoutMs,
        intervalMs: 250,
        maxIntervalMs: 5_000,
        backoffFactor: 2,
      },
    );
    const failure = operationError(done, errorContext);
    if (failure) throw failure;
    return done;
  }

  return {
    project: async (context) => (await connected(context)).project,
    call,
    pages,
    waitForOperation,
    async close() {
      const closing = created;
      created = [];
      clientsPromise = undefined;
      await Promise.allSettled(closing.map((client) => client.close()));
    },
  };
}
