/**
 * The `Driver` contract and `defineDriver()`, which turns a provider's small implementation into
 * a full driver: the core adds argument validation, pagination plumbing (`listNodes` /
 * `iterateNodes`), query filtering, `waitForNode`, and error wrapping, the same for every provider.
 *
 * @module
 */
import { systemClock, type Clock } from './clock.js';
import { CapabilityError, CloudError, isCloudError, isNodeNotFoundError } from './errors.js';
import { redactSecrets } from './secrets.js';
import type {
  Capabilities,
  CallOptions,
  CreateNodeRequest,
  Image,
  ImageQuery,
  Location,
  Node,
  NodeQuery,
  NodeState,
  ProviderLimits,
  ProviderName,
  ResolvedCreateNodeRequest,
  Size,
  SizeQuery,
  WaitOptions,
} from './types.js';
import {
  DEFAULT_LIMITS,
  checkDuration,
  checkId,
  checkObject,
  checkSignal,
  checkStates,
  floorPollInterval,
  invalid,
  type CheckContext,
} from './validate.js';
import type { IdKind, IdPattern, IdPatterns } from './ids.js';
import {
  checkImageQuery,
  checkSizeQuery,
  normalizeNodeQuery,
  resolveCreateRequest,
  resolveIdPatterns,
  type DriverRules,
  type NormalizedNodeQuery,
} from './driver-checks.js';
import { filterAndSortImages } from './images.js';
import { pollNodeUntil } from './wait.js';
import { settleOrAbort } from './abort.js';
import { keyPairMethods, type DestroyNodeOptions, type KeyPairImplementation, type KeyPairMethods } from './key-pairs.js';
import { launchSpecMember, type LaunchSpecDriver, type LaunchSpecImplementation } from './launch-spec.js';

/**
 * A cloud, through polycloud's one API. Every method validates its arguments before any
 * request and fails only with {@link CloudError}s.
 *
 * @typeParam Raw - the provider's own node object, kept in {@link Node.raw}.
 * @typeParam ProviderOptions - the driver's typed `providerOptions` for {@link Driver.createNode}.
 */
export interface Driver<Raw = unknown, ProviderOptions = Record<string, unknown>> extends KeyPairMethods, LaunchSpecDriver {
  /** The provider this driver talks to, e.g. `aws` (the name it was registered under). */
  readonly provider: ProviderName;
  /** What the provider can do (start/stop, user data, tags, idempotency, …); a call it cannot do is a `CapabilityError`. */
  readonly capabilities: Capabilities;
  /**
   * What the provider's ids look like, per kind: an id that does not match is refused with an
   * `InvalidRequestError` before any request.
   */
  readonly idPatterns: Readonly<Record<IdKind, IdPattern>>;
  /** Regions and zones nodes can run in, with ISO country codes. */
  listLocations(options?: CallOptions): Promise<Location[]>;
  /** Sizes, priced for `query.location` (or the driver's default location) where the price is known. */
  listSizes(query?: SizeQuery, options?: CallOptions): Promise<Size[]>;
  /** Base images, filterable by OS family, version and architecture. */
  listImages(query?: ImageQuery, options?: CallOptions): Promise<Image[]>;
  /** Every node matching `query`: every page, every configured location. */
  listNodes(query?: NodeQuery, options?: CallOptions): Promise<Node<Raw>[]>;
  /** The same nodes as {@link Driver.listNodes}, page by page as they arrive. */
  iterateNodes(query?: NodeQuery, options?: CallOptions): AsyncIterable<Node<Raw>>;
  /** One node; rejects with `NodeNotFoundError` when there is none with this id. */
  getNode(id: string, options?: CallOptions): Promise<Node<Raw>>;
  /** Creates a node and returns it as first seen (usually `pending`). */
  createNode(request: CreateNodeRequest<ProviderOptions>, options?: CallOptions): Promise<Node<Raw>>;
  /** Reboots a running node; `CapabilityError` where the provider cannot. */
  rebootNode(node: Node | string, options?: CallOptions): Promise<void>;
  /** Starts a stopped node; `CapabilityError` where the provider cannot. */
  startNode(node: Node | string, options?: CallOptions): Promise<void>;
  /** Stops a running node; `CapabilityError` where the provider cannot. */
  stopNode(node: Node | string, options?: CallOptions): Promise<void>;
  /** Destroys a node. Destroying a node that is already gone succeeds. */
  destroyNode(node: Node | string, options?: DestroyNodeOptions): Promise<void>;
  /**
   * Polls until the node is in one of `state`. A node that is gone counts as `terminated`.
   * Rejects with `TimeoutError` (naming the last state seen) or `ConflictError` when the node
   * reached a final state it will not leave.
   */
  waitForNode(node: Node | string, state: NodeState | readonly NodeState[], options?: WaitOptions): Promise<Node<Raw>>;
}

/** What a driver method receives from the core besides its arguments. */
export interface DriverContext {
  /** The public operation running, e.g. `createNode`. */
  readonly operation: string;
  /** The caller's signal: abort it to cancel the call, its requests and its waits. */
  readonly signal?: AbortSignal;
}

export type { NormalizedNodeQuery } from './driver-checks.js';

/**
 * What a provider implements. Everything here receives validated arguments; whatever it throws
 * that is not a `CloudError` goes through {@link DriverImplementation.mapError}.
 */
export interface DriverImplementation<Raw, ProviderOptions> extends KeyPairImplementation<Raw>, LaunchSpecImplementation<Raw> {
  /** The provider's name, as the driver's {@link Driver.provider}. */
  readonly provider: ProviderName;
  /** What the provider can do; the core refuses the rest with a `CapabilityError`. */
  readonly capabilities: Capabilities;
  /**
   * Provider limits checked before create; fields left out keep the default.
   *
   * @defaultValue {@link DEFAULT_LIMITS}
   */
  readonly limits?: Partial<ProviderLimits>;
  /**
   * What the provider's own ids look like, per kind (node, image, size, location). The core
   * refuses an id that does not match with an `InvalidRequestError` naming the field, before
   * any request. A kind not declared keeps the default pattern (no `/`).
   * @defaultValue `DEFAULT_ID_PATTERN` for every kind
   */
  readonly idPatterns?: IdPatterns;
  /**
   * What node ids look like.
   * @deprecated Use `idPatterns.node`.
   */
  readonly nodeIdPattern?: IdPattern;
  /**
   * The clock `waitForNode` sleeps on; tests pass a virtual one.
   *
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
  /**
   * Shown by `util.inspect` and `JSON.stringify` of the driver, e.g. its regions. Never secrets.
   *
   * @defaultValue nothing besides `provider`, which is always shown
   */
  readonly description?: Readonly<Record<string, unknown>>;
  /** Every region or zone the account can launch in; backs {@link Driver.listLocations}. */
  listLocations(context: DriverContext): Promise<Location[]>;
  /** Sizes for the validated `query`, priced where the provider's price is known; backs {@link Driver.listSizes}. */
  listSizes(query: SizeQuery, context: DriverContext): Promise<Size[]>;
  /** Images for the validated `query`; the core filters and sorts the answer again, so pushing the filter down is optional. */
  listImages(query: ImageQuery, context: DriverContext): Promise<Image[]>;
  /**
   * Yields every page of nodes. Push as much of `query` to the provider as it supports; the core
   * filters the rest, so a node that does not match is never returned.
   */
  listNodePages(query: NormalizedNodeQuery, context: DriverContext): AsyncIterable<readonly Node<Raw>[]>;
  /** Rejects with `NodeNotFoundError` when absent. */
  getNode(id: string, context: DriverContext): Promise<Node<Raw>>;
  /** Launches one node from a validated request (defaults filled in) and returns it as the provider first reports it. */
  createNode(request: ResolvedCreateNodeRequest<ProviderOptions>, context: DriverContext): Promise<Node<Raw>>;
  /** Reboots the node with this (validated) id; only called when `capabilities.reboot` is true. */
  rebootNode(id: string, context: DriverContext): Promise<void>;
  /** Omit when `capabilities.startStop` is false. */
  startNode?(id: string, context: DriverContext): Promise<void>;
  /** Omit when `capabilities.startStop` is false. */
  stopNode?(id: string, context: DriverContext): Promise<void>;
  /** Deletes the node; may reject with `NodeNotFoundError` for a node already gone, which the core turns into success. */
  destroyNode(id: string, context: DriverContext): Promise<void>;
  /** Checks provider-specific parts of a create request (e.g. `providerOptions`) before any request. */
  validateCreate?(request: ResolvedCreateNodeRequest<ProviderOptions>, check: CheckContext): void;
  /**
   * Turns a provider error into a `CloudError`.
   *
   * @defaultValue a generic `CloudError` whose detail is the error's name and message (redacted)
   */
  mapError?(error: unknown, context: DriverContext): CloudError;
}

/** Turns a provider implementation into a full {@link Driver}. */
export function defineDriver<Raw, ProviderOptions = Record<string, unknown>, Extra extends object = object>(
  implementation: DriverImplementation<Raw, ProviderOptions>,
  /** Read-only members added to the driver, e.g. the simulated cloud of the `local` driver. */
  extra?: Extra,
): Driver<Raw, ProviderOptions> & Extra {
  const { provider, capabilities } = implementation;
  const limits: ProviderLimits = { ...DEFAULT_LIMITS, ...implementation.limits };
  const idPatterns = resolveIdPatterns(implementation.idPatterns, implementation.nodeIdPattern);
  const idPattern = idPatterns.node;
  const rules: DriverRules = { provider, capabilities, limits, idPatterns };
  const clock = implementation.clock ?? systemClock;

  const checkContext = (operation: string): CheckContext => ({ provider, operation });

  /** Runs a method with the core's error handling: cancellations and CloudErrors pass, the rest is mapped. */
  async function guarded<T>(operation: string, options: CallOptions | undefined, run: (context: DriverContext) => Promise<T>): Promise<T> {
    const signal = checkSignal(checkContext(operation), options?.signal);
    signal?.throwIfAborted();
    const context: DriverContext = signal ? { operation, signal } : { operation };
    try {
      return await settleOrAbort(run(context), signal);
    } catch (error) {
      throw toCloudError(error, context);
    }
  }

  function toCloudError(error: unknown, context: DriverContext): unknown {
    if (context.signal?.aborted) return context.signal.reason;
    if (isCloudError(error)) return error;
    if (implementation.mapError) return implementation.mapError(error, context);
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new CloudError(`unexpected failure: ${redactSecrets(detail)}`, { provider, operation: context.operation, cause: error });
  }

  function nodeIdOf(operation: string, node: unknown): string {
    if (typeof node === 'object' && node !== null && 'id' in node) {
      const owner = (node as { provider?: unknown }).provider;
      if (owner !== undefined && owner !== provider) {
        invalid(checkContext(operation), 'node', `a node of provider ${provider}`, `a node of provider ${String(owner)}`);
      }
      return checkId(checkContext(operation), 'node', (node as { id: unknown }).id, idPattern);
    }
    return checkId(checkContext(operation), typeof node === 'string' ? 'id' : 'node', node, idPattern);
  }

  const normalizeQuery = (operation: string, query: NodeQuery | undefined): NormalizedNodeQuery =>
    normalizeNodeQuery(checkContext(operation), query, rules);

  function resolveCreate(request: CreateNodeRequest<ProviderOptions>): ResolvedCreateNodeRequest<ProviderOptions> {
    const context = checkContext('createNode');
    const resolved = resolveCreateRequest(context, request, rules);
    implementation.validateCreate?.(resolved, context);
    return resolved;
  }

  async function* iterate(query: NormalizedNodeQuery, context: DriverContext): AsyncGenerator<Node<Raw>> {
    try {
      for await (const page of implementation.listNodePages(query, context)) {
        for (const node of page) if (matchesQuery(node, query)) yield node;
      }
    } catch (error) {
      throw toCloudError(error, context);
    }
  }

  function requireStartStop(operation: 'startNode' | 'stopNode') {
    const method = implementation[operation];
    if (!capabilities.startStop || !method) {
      throw new CapabilityError(`${provider} nodes cannot be started and stopped`, { provider, operation });
    }
    return method.bind(implementation);
  }

  const keyPairs = keyPairMethods<Raw>({
    provider,
    capabilities,
    implementation,
    nodeIdPattern: idPattern,
    guarded,
    allNodes: (context) => iterate({}, context),
  });
  const driver: Driver<Raw, ProviderOptions> = {
    provider,
    capabilities,
    idPatterns,
    listLocations: (options) => guarded('listLocations', options, (context) => implementation.listLocations(context)),
    listSizes: (query, options) =>
      guarded('listSizes', options, (context) =>
        implementation.listSizes(checkSizeQuery(checkContext('listSizes'), query, rules), context),
      ),
    listImages: (query, options) =>
      guarded('listImages', options, async (context) => {
        const given = checkImageQuery(checkContext('listImages'), query, rules);
        // Filtered and sorted here, whatever the provider did: the same answer on every driver.
        return filterAndSortImages(await implementation.listImages(given, context), given);
      }),
    listNodes: (query, options) =>
      guarded('listNodes', options, async (context) => {
        const nodes: Node<Raw>[] = [];
        for await (const node of iterate(normalizeQuery('listNodes', query), context)) nodes.push(node);
        return nodes;
      }),
    iterateNodes: (query, options) => {
      const signal = checkSignal(checkContext('iterateNodes'), options?.signal);
      const normalized = normalizeQuery('iterateNodes', query);
      return iterate(normalized, signal ? { operation: 'iterateNodes', signal } : { operation: 'iterateNodes' });
    },
    getNode: (id, options) =>
      guarded('getNode', options, (context) => implementation.getNode(checkId(checkContext('getNode'), 'id', id, idPattern), context)),
    createNode: (request, options) =>
      guarded('createNode', options, (context) => implementation.createNode(resolveCreate(request), context)),
    rebootNode: (node, options) =>
      guarded('rebootNode', options, (context) => {
        const id = nodeIdOf('rebootNode', node);
        if (!capabilities.reboot) throw new CapabilityError(`${provider} nodes cannot be rebooted`, { provider, operation: 'rebootNode' });
        return implementation.rebootNode(id, context);
      }),
    startNode: (node, options) =>
      guarded('startNode', options, (context) => {
        const id = nodeIdOf('startNode', node);
        return requireStartStop('startNode')(id, context);
      }),
    stopNode: (node, options) =>
      guarded('stopNode', options, (context) => {
        const id = nodeIdOf('stopNode', node);
        return requireStartStop('stopNode')(id, context);
      }),
    destroyNode: (node, options) =>
      guarded('destroyNode', options, async (context) => {
        const id = nodeIdOf('destroyNode', node);
        // removeKeys: learn the node's keys before it goes, remove the unused managed ones after.
        let keys: ReturnType<typeof keyPairs.keysOf> | undefined;
        try {
          if (options?.removeKeys) keys = keyPairs.keysOf(await implementation.getNode(id, context));
          await implementation.destroyNode(id, context);
        } catch (error) {
          // Destroying a node that is already gone succeeds, on every driver.
          if (isNodeNotFoundError(error)) return;
          throw error;
        }
        if (keys) await keyPairs.removeUnused(keys, id, context);
      }),
    waitForNode: (node, state, options) =>
      guarded('waitForNode', options, async () => {
        const check = checkContext('waitForNode');
        const id = nodeIdOf('waitForNode', node);
        const states = checkStates(check, 'state', state);
        const given = checkObject(check, 'options', options, true) as WaitOptions;
        checkDuration(check, 'options.timeoutMs', given.timeoutMs);
        checkDuration(check, 'options.intervalMs', given.intervalMs);
        checkDuration(check, 'options.maxIntervalMs', given.maxIntervalMs);
        if (given.backoffFactor !== undefined && !(typeof given.backoffFactor === 'number' && given.backoffFactor >= 1)) {
          invalid(check, 'options.backoffFactor', 'a number, 1 or more', given.backoffFactor);
        }
        if (given.pauseFirst !== undefined && typeof given.pauseFirst !== 'boolean') {
          invalid(check, 'options.pauseFirst', 'true or false', given.pauseFirst);
        }
        const lastSeen = typeof node === 'object' ? (node as Node<Raw>) : undefined;
        const intervalMs = floorPollInterval(given.intervalMs);
        const polling = intervalMs === undefined ? given : { ...given, intervalMs };
        const result = await pollNodeUntil(
          { provider, clock, getNode: driver.getNode as Driver['getNode'] },
          id,
          states,
          polling,
          lastSeen,
        );
        return result as Node<Raw>;
      }),
    listKeyPairs: keyPairs.listKeyPairs,
    importKeyPair: keyPairs.importKeyPair,
    deleteKeyPair: keyPairs.deleteKeyPair,
    cleanupKeyPairs: keyPairs.cleanupKeyPairs,
    sshLogin: keyPairs.sshLogin,
  };

  Object.assign(driver, launchSpecMember(implementation, guarded, driver.getNode, nodeIdOf));
  const description = { provider, ...implementation.description };
  Object.assign(driver, extra);
  Object.defineProperty(driver, 'toJSON', { value: () => description, enumerable: false });
  // `util.inspect.custom` by its registered name, and the `inspect` Node passes to it: importing
  // node:util would slow every `import('polycloud')`.
  const inspectDriver = (_depth: number, _options: unknown, inspect: (value: unknown) => string) => `Driver ${inspect(description)}`;
  Object.defineProperty(driver, Symbol.for('nodejs.util.inspect.custom'), { value: inspectDriver, enumerable: false });
  return Object.freeze(driver) as Driver<Raw, ProviderOptions> & Extra;
}

/** Whether a node matches a query; the core applies this to every node a driver yields. */
export function matchesQuery(node: Node, query: NormalizedNodeQuery): boolean {
  if (query.states && !query.states.includes(node.state)) return false;
  if (query.locations) {
    const { id, region, zone } = node.location;
    if (!query.locations.some((location) => location === id || location === region || location === zone)) return false;
  }
  if (query.tags) {
    for (const [key, value] of Object.entries(query.tags)) if (node.tags[key] !== value) return false;
  }
  return true;
}
