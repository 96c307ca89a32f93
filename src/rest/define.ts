/**
 * `defineRestDriver(spec)`: a REST provider described by a {@link RestDriverSpec} becomes a driver
 * factory. The layer does, once for every REST provider: options with defaults and the token,
 * the transport (bounded concurrency), paging, collections and their mappers, one node by id, the
 * create (SSH keys registered by fingerprint, tag idempotency checked on the client), the node
 * routes (a 404 on destroy is success), and action polling through the core's `pollUntil`.
 *
 * @module
 */
import { systemClock } from '../core/clock.js';
import { defineDriver, type Driver, type DriverContext, type DriverImplementation } from '../core/driver.js';
import { attachGeneratedCredentials, generatedPassword } from '../core/launch-spec.js';
import { isConflictError, isInvalidRequestError, isNodeNotFoundError } from '../core/errors.js';
import { safeLogger } from '../core/logger.js';
import { mergeDefaults } from '../core/options.js';
import type { Node } from '../core/types.js';
import { checkPositiveInteger, invalid } from '../core/validate.js';
import { actionIn, waitForAction } from './actions.js';
import { field } from './body.js';
import { createRestClient, type RestRequest, type RestResponse } from './client.js';
import { malformedResponse } from './errors.js';
import { malformedEntryError } from '../core/entries.js';
import { createOnce } from './idempotency.js';
import { keyRegistry } from './key-registry.js';
import { keysMarkedOn, withKeyMarks } from './key-marks.js';
import { ConflictError } from '../core/errors.js';
import { publicKeyFingerprint } from '../core/key-pairs.js';
import {
  REST_ACTION_DEFAULTS,
  REST_DRIVER_DEFAULTS,
  requestTimeoutOf,
  resolveToken,
  type RestActionOptions,
  type RestDriverOptions,
} from './options.js';
import { limitedClient } from './limited.js';
import { checkPageSize, pageQuery } from './paging.js';
import type { EntryCheck, ListRequest, RestCollection, RestDriverSpec, RestRoute, RestRuntime } from './spec.js';

/**
 * Turns a REST provider's spec into its driver factory.
 *
 * @example
 * ```ts
 * export const createAcmeDriver = defineRestDriver<AcmeServer, object, AcmeDriverOptions>({
 *   provider: 'acme', defaultEndpoint: 'https://api.acme.test/v1', tokenEnv: ['ACME_TOKEN'], … });
 * const driver = createAcmeDriver({ token });
 * ```
 */
export function defineRestDriver<
  Raw,
  PO = Record<string, unknown>,
  Options extends RestDriverOptions = RestDriverOptions,
  State = undefined,
>(spec: RestDriverSpec<Raw, PO, Options, State>): (options?: Options) => Driver<Raw, PO> {
  return (given) => createRestDriver(spec, given);
}

function createRestDriver<Raw, PO, Options extends RestDriverOptions, State>(
  spec: RestDriverSpec<Raw, PO, Options, State>,
  given: Options | undefined,
): Driver<Raw, PO> {
  const { provider, paging } = spec;
  const configure = { provider, operation: 'configure' };
  const options = mergeDefaults({ ...(spec.actions ? REST_ACTION_DEFAULTS : {}), ...spec.defaults } as Partial<Options>, given) as Options;
  const token = resolveToken(provider, options.token, spec.tokenEnv);
  const timeoutMs = requestTimeoutOf(options, provider);
  const maxConcurrency = checkPositiveInteger(configure, 'maxConcurrency', options.maxConcurrency) ?? REST_DRIVER_DEFAULTS.maxConcurrency;
  const pageSize = checkPageSize(configure, 'pageSize', options.pageSize, paging) ?? paging.maxPageSize;
  spec.checkOptions?.(options, configure);
  const clock = options.clock ?? systemClock;
  const { tokenHeader, ...transport } = spec.transport ?? {};
  const client = limitedClient(
    createRestClient({
      provider,
      endpoint: options.endpoint ?? spec.defaultEndpoint,
      token,
      timeoutMs,
      ...transport,
      // A provider that takes the token in its own header (Scaleway's X-Auth-Token).
      ...(tokenHeader ? { authHeaders: () => ({ [tokenHeader]: token.reveal() }) } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.bounds ? { bounds: options.bounds } : {}),
    }),
    maxConcurrency,
  );

  /** A spec part a hand-written method may replace: reached only when neither was given. */
  const part = <T>(given: T | undefined, name: string): T => {
    if (given === undefined) throw new Error(`${provider}: the spec has neither "${name}" nor a method replacing it`);
    return given;
  };
  const where = (context: DriverContext) => ({ provider, operation: context.operation });
  const checkEntry = (context: DriverContext, entry: unknown, check: EntryCheck | undefined) => {
    const problem = check?.(entry);
    if (problem !== undefined) throw malformedEntryError(problem, { ...where(context), statusCode: 200 });
  };
  const request = <T>(context: DriverContext, described: Omit<RestRequest, 'operation' | 'signal'>): Promise<RestResponse<T>> =>
    client.request<T>({ ...described, operation: context.operation, ...(context.signal ? { signal: context.signal } : {}) });
  async function* pages(context: DriverContext, path: string, key: string, list: ListRequest = {}): AsyncGenerator<unknown[]> {
    const first: RestRequest = {
      method: 'GET',
      path,
      query: { ...list.query, ...(list.pageSize === false ? {} : pageQuery(paging, list.pageSize ?? paging.maxPageSize)) },
      operation: context.operation,
      ...(list.headers ? { headers: list.headers } : {}),
      ...(list.retry ? { retry: list.retry } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
    };
    for await (const page of client.paginate(first, paging.next(where(context)))) {
      const entries = field(page, key, 'array', where(context));
      for (const entry of entries) checkEntry(context, entry, list.validate);
      yield entries;
    }
  }
  const runtime = {
    provider,
    client,
    options,
    clock,
    logger: safeLogger(options.logger),
    pageSize,
    paging,
    state: undefined as State,
    asOf: () => new Date(clock.now()).toISOString().slice(0, 10),
    where,
    request,
    pages,
    async listAll(context: DriverContext, path: string, key: string, list?: ListRequest) {
      const entries: unknown[] = [];
      for await (const page of pages(context, path, key, list)) entries.push(...page);
      return entries;
    },
    checkEntry,
  } satisfies RestRuntime<Options, State> as RestRuntime<Options, State> & { state: State };
  runtime.state = spec.setup?.(runtime as unknown as RestRuntime<Options, undefined>) as State;

  const registry = spec.sshKeys ? keyRegistry(spec.sshKeys, runtime) : undefined;
  const actionOptions = options as RestActionOptions;

  async function followAction(response: RestResponse, context: DriverContext, nodeId?: string): Promise<void> {
    if (!spec.actions || actionOptions.waitForActions === false) return;
    const action = actionIn(spec.actions, response, runtime, context);
    if (action) await waitForAction(spec.actions, action, runtime, context, actionOptions, nodeId);
  }

  /** The node object in an answer: its `key` field, or the whole body. */
  function rawIn(response: RestResponse, key: string | undefined, context: DriverContext): Raw {
    const raw = key === undefined ? response.data : field(response, key, 'object', where(context));
    if (typeof raw !== 'object' || raw === null)
      throw malformedResponse('expected a JSON object', where(context), response.status, response.requestId);
    checkEntry(context, raw, spec.nodes.validate);
    return raw as Raw;
  }

  async function listCollection<Out, Q>(
    collection: RestCollection<Out, Q, typeof runtime>,
    query: Q,
    context: DriverContext,
  ): Promise<Out[]> {
    const entries = await runtime.listAll(context, collection.path, collection.field, {
      query: collection.query?.(query, runtime) ?? {},
      ...(collection.validate ? { validate: collection.validate } : {}),
      ...(collection.pageSize === false ? { pageSize: false as const } : {}),
    });
    const mapped: Out[] = [];
    for (const entry of entries) {
      const out = collection.map(entry, query, runtime);
      if (out !== undefined) mapped.push(out);
    }
    return mapped;
  }

  async function getNode(id: string, context: DriverContext): Promise<Node<Raw>> {
    const [map, response] = await Promise.all([
      spec.nodes.mapper(runtime, context),
      request(context, { method: 'GET', path: spec.nodes.get.path(id), nodeId: id }),
    ]);
    return map(rawIn(response, spec.nodes.get.field, context));
  }

  async function runRoute(
    route: RestRoute<typeof runtime> | undefined,
    id: string,
    context: DriverContext,
    destroy = false,
  ): Promise<void> {
    if (!route) throw new Error(`${provider}: no route for ${context.operation}`);
    let response: RestResponse;
    try {
      response = await request(context, {
        method: route.method ?? (destroy ? 'DELETE' : 'POST'),
        path: route.path(id, runtime),
        nodeId: id,
        ...(route.body ? { body: route.body(id, runtime) } : {}),
      });
    } catch (error) {
      // Destroying a node that is already gone succeeds.
      if (destroy && isNodeNotFoundError(error)) return;
      // The provider refuses to stop a stopped node: the caller's goal is met.
      if (route.satisfiedBy && (isInvalidRequestError(error) || isConflictError(error))) {
        if ((await getNode(id, context)).state === route.satisfiedBy) return;
      }
      throw error;
    }
    await followAction(response, context, id);
  }

  const implementation: DriverImplementation<Raw, PO> = {
    provider,
    capabilities: spec.capabilities,
    // The core refuses a query.pageSize the API does not serve, before any request.
    limits: { ...spec.limits, minPageSize: paging.minPageSize, maxPageSize: paging.maxPageSize },
    ...(spec.idPatterns ? { idPatterns: spec.idPatterns } : {}),
    clock,
    description: { endpoint: client.endpoint, ...spec.describe?.(options) },

    listLocations: (context) => listCollection(part(spec.locations, 'locations'), undefined, context),

    async listSizes(query, context) {
      const collection = part(spec.sizes, 'sizes');
      const sizes = await listCollection(collection, query, context);
      if (query.location !== undefined) {
        const known = collection.locationKnown ? await collection.locationKnown(query.location, runtime, context) : sizes.length > 0;
        if (!known) invalid(where(context), 'query.location', `a ${provider} location`, query.location);
      }
      return sizes;
    },

    async listImages(query, context) {
      // The core filters the images by the query and sorts them, for every driver.
      return listCollection(part(spec.images, 'images'), query, context);
    },

    async *listNodePages(query, context) {
      const map = await spec.nodes.mapper(runtime, context);
      const pushed = spec.nodes.push?.(query, runtime) ?? {};
      const list = { ...pushed, pageSize: query.pageSize ?? pageSize, ...(spec.nodes.validate ? { validate: spec.nodes.validate } : {}) };
      for await (const page of pages(context, spec.nodes.path, spec.nodes.field, list)) yield page.map((raw) => map(raw as Raw));
    },

    getNode,

    ...(spec.validateCreate ? { validateCreate: spec.validateCreate.bind(spec) } : {}),

    async createNode(resolved, context) {
      const create = part(spec.create, 'create');
      const sshKeys = registry ? await registry.ensure(resolved.sshKeys, context) : resolved.sshKeys;
      const unmarked = create.body(resolved, sshKeys, runtime);
      // The keys the node is created with, recorded on it: the only way to know later which keys are in use.
      const body = spec.keyMarks ? withKeyMarks(unmarked, resolved.sshKeys, spec.keyMarks) : unmarked;
      let sent: { raw: Raw; response: RestResponse } | undefined;
      const send = async (retry?: RestRequest['retry']): Promise<Raw> => {
        const response = await request(context, { method: 'POST', path: create.path, body, ...(retry ? { retry } : {}) });
        sent = { raw: rawIn(response, create.field, context), response };
        return sent.raw;
      };
      const raw =
        spec.idempotency && spec.capabilities.idempotency === 'tag'
          ? await createOnce(
              {
                idempotency: spec.idempotency,
                list: { path: spec.nodes.path, field: spec.nodes.field, ...(spec.nodes.validate ? { validate: spec.nodes.validate } : {}) },
                // Each attempt is checked for the marker first, so the request itself is sent once.
                send: () => send({ retries: 0 }),
              },
              resolved,
              runtime,
              context,
            )
          : await send();
      if (sent && sent.raw === raw) await followAction(sent.response, context);
      const node = (await spec.nodes.mapper(runtime, context))(raw);
      const password = sent && sent.raw === raw ? create.generatedPassword?.(sent.response.data, body, resolved) : undefined;
      return password ? attachGeneratedCredentials(node, { rootPassword: generatedPassword(password) }) : node;
    },

    rebootNode: (id, context) => runRoute(spec.routes.reboot, id, context),
    ...(spec.routes.start ? { startNode: (id: string, context: DriverContext) => runRoute(spec.routes.start, id, context) } : {}),
    ...(spec.routes.stop ? { stopNode: (id: string, context: DriverContext) => runRoute(spec.routes.stop, id, context) } : {}),
    destroyNode: (id, context) => runRoute(spec.routes.destroy, id, context, true),

    // The key-pair methods, from the registry the spec describes (the core checks `capabilities.keyPairs`).
    ...(registry
      ? {
          listKeyPairs: (context: DriverContext) => registry.list(context),
          async importKeyPair(request: { name: string; publicKey: string }, context: DriverContext) {
            // Some registries take two keys of one name; a name must find one key, so a taken name is refused here.
            const taken = (await registry.list(context)).find((key) => key.name === request.name);
            if (taken && taken.fingerprint !== publicKeyFingerprint(request.publicKey)) {
              throw new ConflictError(`a key named ${JSON.stringify(request.name)} is already registered (id ${taken.id})`, {
                provider,
                operation: context.operation,
              });
            }
            return registry.importKey(request.publicKey, context, request.name);
          },
          deleteKeyPair: (id: string, context: DriverContext) => registry.deleteKey(id, context),
        }
      : {}),
    ...(registry && spec.keyMarks ? { keyPairsOfNode: (node: Node<Raw>) => keysMarkedOn(node.raw, spec.keyMarks!) } : {}),

    ...spec.methods?.(runtime),
  };
  return defineDriver<Raw, PO>(implementation);
}
