/**
 * What a REST provider says about itself to `defineRestDriver`: where its API is, how it pages,
 * which collections hold locations, sizes, images and nodes and how their entries map, the create
 * body, the node routes, the idempotency marker, the SSH-key registry and the actions to poll.
 * Everything a spec cannot say is a hand-written method beside it ({@link RestDriverSpec.methods}).
 *
 * @module
 */
import type { Clock } from '../core/clock.js';
import type { CloudError } from '../core/errors.js';
import type { DriverContext, DriverImplementation, NormalizedNodeQuery } from '../core/driver.js';
import type { Logger } from '../core/logger.js';
import type {
  Capabilities,
  Image,
  ImageQuery,
  Location,
  Node,
  NodeState,
  ProviderLimits,
  ProviderName,
  ResolvedCreateNodeRequest,
  Size,
  SizeQuery,
} from '../core/types.js';
import type { IdPatterns } from '../core/ids.js';
import type { CheckContext } from '../core/validate.js';
import type { HttpMethod, RestClient, RestRequest, RestResponse } from './client.js';
import type { ErrorBodyParser, FailureContext } from './errors.js';
import type { KeyRegistrySpec } from './key-registry.js';
import type { RestKeyMarks } from './key-marks.js';
import type { RestDriverOptions } from './options.js';
import type { Query } from './pages.js';
import type { PagingStyle } from './paging.js';

/**
 * Checks one entry of an answer before it is mapped (a schema plugs in here). Returns what is
 * wrong with it, or `undefined` when it is fine; the layer turns a problem into a `CloudError`
 * with `code: 'malformed-response'`.
 */
export type EntryCheck = (entry: unknown) => string | undefined;

/** Extra request parts a query pushes down to the provider. */
export interface PushedQuery {
  /** Query parameters added to the list request, e.g. `{ tag_name: 'web' }`. */
  readonly query?: Query;
  /** Headers added to the list request, e.g. Linode's `X-Filter` JSON filter. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options of {@link RestRuntime.pages} and {@link RestRuntime.listAll}. */
export interface ListRequest extends PushedQuery {
  /**
   * Entries per page; `false` when the list takes no page size.
   * @defaultValue the paging style's `maxPageSize`
   */
  readonly pageSize?: number | false;
  /**
   * Retry options of each page request.
   * @defaultValue the driver's `retry` option
   */
  readonly retry?: RestRequest['retry'];
  /** Checks each entry before it is returned. */
  readonly validate?: EntryCheck;
}

/**
 * What a spec's functions receive: the driver's transport, its options with defaults merged, and
 * helpers. One per driver instance.
 *
 * @typeParam Options - the driver's options type.
 * @typeParam State - what {@link RestDriverSpec.setup} returned (caches and the like).
 */
export interface RestRuntime<Options extends RestDriverOptions = RestDriverOptions, State = unknown> {
  /** The spec's provider, named in every error the runtime raises. */
  readonly provider: ProviderName;
  /** The transport (at most `maxConcurrency` requests in flight). */
  readonly client: RestClient;
  /** The options, defaults merged in. */
  readonly options: Options;
  /** The driver's clock (the `clock` option, else the system clock): waits, polls and `asOf` run on it. */
  readonly clock: Clock;
  /** The caller's logger, made safe (never throws, secrets scrubbed). */
  readonly logger: Required<Logger>;
  /** Nodes per page when listing, within the API's range. */
  readonly pageSize: number;
  /** The spec's {@link RestDriverSpec.paging}: page-size parameter, range and next-page rule. */
  readonly paging: PagingStyle;
  /** What {@link RestDriverSpec.setup} returned. */
  readonly state: State;
  /** Today's date (`YYYY-MM-DD`) on the driver's clock, for `Price.asOf`. */
  asOf(): string;
  /** Where a request's failure happened, for `field()` and `malformedResponse()`. */
  where(context: DriverContext): FailureContext;
  /** Sends one request for the running operation (its name and signal filled in). */
  request<T = unknown>(context: DriverContext, request: Omit<RestRequest, 'operation' | 'signal'>): Promise<RestResponse<T>>;
  /** The entries of every page of a list, page by page. */
  pages(context: DriverContext, path: string, field: string, request?: ListRequest): AsyncGenerator<unknown[]>;
  /** Every entry of every page of a list. */
  listAll(context: DriverContext, path: string, field: string, request?: ListRequest): Promise<unknown[]>;
  /** Checks one entry with `check`, throwing a malformed-response `CloudError` when it fails. */
  checkEntry(context: DriverContext, entry: unknown, check: EntryCheck | undefined): void;
}

/**
 * A listed collection: where it is, which field of each page holds its entries, what is pushed
 * down to the provider, and how each entry maps (`undefined` leaves the entry out).
 *
 * Entries are typed by the mapper's own parameter: methods are checked bivariantly, so a spec
 * writes `map(region: DoRegion, …)`.
 */
export interface RestCollection<Out, Q, R extends RestRuntime> {
  /** The list path under the endpoint, e.g. `/v2/regions`. */
  readonly path: string;
  /** The field of each page that holds the entries, e.g. `regions`. */
  readonly field: string;
  /** Query parameters sent with the list. */
  query?(query: Q, runtime: R): Query;
  /** Checks each entry before it is mapped. */
  readonly validate?: EntryCheck;
  /**
   * `false` when the API takes no page size on this list.
   * @defaultValue the paging style's `maxPageSize` is asked for
   */
  readonly pageSize?: false;
  /**
   * One entry as a polycloud object (`Location`, `Size`, `Image`), or `undefined` to leave it out
   * (e.g. a size not sold in `query.location`).
   */
  map(entry: unknown, query: Q, runtime: R): Out | undefined;
}

/** The sizes collection: a {@link RestCollection} that also knows which locations exist. */
export interface RestSizesCollection<R extends RestRuntime> extends RestCollection<Size, SizeQuery, R> {
  /**
   * Whether `location` is one of the provider's, for `listSizes({ location })`. An unknown
   * location is an `InvalidRequestError` naming `query.location`.
   * @defaultValue whether any size maps for it
   */
  locationKnown?(location: string, runtime: R, context: DriverContext): Promise<boolean>;
}

/** Nodes: the listing, one node by id, and the mapper. */
export interface RestNodes<Raw, R extends RestRuntime> {
  /** The list path, e.g. `/v2/droplets`. */
  readonly path: string;
  /** The field of each page holding the nodes. */
  readonly field: string;
  /** Checks each node entry (of lists, gets and creates) before it is mapped. */
  readonly validate?: EntryCheck;
  /** What of a query the provider can filter by; the core filters the rest. */
  push?(query: NormalizedNodeQuery, runtime: R): PushedQuery;
  /** One node: its path (build it with `urlPath` so the id is encoded) and the answer's field holding it (none: the body is the node). */
  readonly get: {
    /** The node's path for its id, e.g. ``(id) => urlPath`/v2/droplets/${id}` ``. */
    path(id: string): string;
    /** The answer's field holding the node, e.g. `droplet`; absent when the body is the node. */
    readonly field?: string;
  };
  /**
   * Makes the mapper for one call (it may first load what nodes are mapped with, e.g. a catalog
   * of regions and prices).
   */
  mapper(runtime: R, context: DriverContext): ((raw: Raw) => Node<Raw>) | Promise<(raw: Raw) => Node<Raw>>;
}

/**
 * Tag idempotency: the provider takes no idempotency token, so each created node carries a marker
 * derived from the idempotency key, and a create first looks for a node carrying it. The server's
 * filter is a hint only: {@link RestIdempotency.carries} is checked on the client.
 */
export interface RestIdempotency<Raw, PO, R extends RestRuntime> {
  /** What to ask the provider for nodes carrying the key's marker (query parameters, headers). */
  filter(key: string, runtime: R): PushedQuery;
  /** Whether a node carries the key's marker, checked on the client whatever the server filtered. */
  carries(raw: Raw, key: string): boolean;
  /** Whether a node found by its marker is what `request` would create; another one is a `ConflictError`. */
  matches(raw: Raw, request: ResolvedCreateNodeRequest<PO>): boolean;
  /**
   * Nodes that no longer count (e.g. being deleted), skipped when looking for the marker.
   * @defaultValue none is gone
   */
  gone?(raw: Raw): boolean;
  /**
   * Failures of the create request that may mean an earlier attempt did create the node (e.g. a
   * name already taken); the marker is looked for once more before the failure is reported.
   */
  raced?(error: unknown): boolean;
}

/** How `createNode` is sent. */
export interface RestCreate<PO, R extends RestRuntime> {
  /** The create path, e.g. `/v2/droplets`. */
  readonly path: string;
  /** The answer's field holding the node; none: the body is the node. */
  readonly field?: string;
  /**
   * The request body. `sshKeys` are what the body should name: registry references (ids, names
   * or fingerprints) when the spec has an SSH-key registry, else the public keys themselves.
   */
  body(request: ResolvedCreateNodeRequest<PO>, sshKeys: readonly string[], runtime: R): unknown;
  /**
   * The root password generated for this create (by the provider, in its answer, or by the
   * driver, in the body), handed back once as a `Secret` on the created node
   * (`generatedCredentialsOf`). Only for the request this call sent.
   * @defaultValue none (no password is handed back)
   */
  generatedPassword?(answer: unknown, body: unknown, request: ResolvedCreateNodeRequest<PO>): string | undefined;
}

/** One node route (reboot, start, stop, destroy). */
export interface RestRoute<R extends RestRuntime> {
  /**
   * The HTTP method of the route.
   * @defaultValue `POST` (`DELETE` for destroy)
   */
  readonly method?: HttpMethod;
  /** The route's path for a node id; build it with `urlPath` so the id is encoded. */
  path(id: string, runtime: R): string;
  /** The body, when the route takes one. */
  body?(id: string, runtime: R): unknown;
  /**
   * The state in which the route's goal is already met: when the provider refuses the request
   * (400/409/422) and the node is found in this state, the call succeeds (e.g. stopping a stopped
   * droplet).
   */
  readonly satisfiedBy?: NodeState;
}

/** The node routes; `start` and `stop` only where `capabilities.startStop`. */
export interface RestRoutes<R extends RestRuntime> {
  /** Reboots a node; required unless {@link RestDriverSpec.methods} gives `rebootNode`. */
  readonly reboot?: RestRoute<R>;
  /** Powers a stopped node on; without it (and no `startNode` method) the driver has no `startNode`. */
  readonly start?: RestRoute<R>;
  /** Powers a node off; without it (and no `stopNode` method) the driver has no `stopNode`. */
  readonly stop?: RestRoute<R>;
  /** A 404 is success: the node is already gone. */
  readonly destroy: RestRoute<R>;
}

/** Where an action stands. */
export type ActionStatus = 'running' | 'done' | 'failed';

/**
 * Actions: providers that answer a change with an action object to follow (DigitalOcean,
 * Hetzner). Whenever an answer carries one in {@link RestActions.field}, the layer polls it
 * through the core's `pollUntil` until it is done, failing with {@link RestActions.failure}.
 */
export interface RestActions {
  /** The answer field holding the action, e.g. `action`. */
  readonly field: string;
  /** Checks an action object (e.g. numeric `id`, string `status`). */
  readonly validate?: EntryCheck;
  /** Where to poll an action. */
  path(action: Record<string, unknown>): string;
  /** Reads where an action stands from the provider's status, e.g. DigitalOcean's `in-progress` → `running`. */
  status(action: Record<string, unknown>): ActionStatus;
  /** The error of a failed action. */
  failure(action: Record<string, unknown>, operation: string, nodeId: string | undefined): CloudError;
  /** Names the action in a timeout, e.g. `action 42 (reboot)`. */
  describe(action: Record<string, unknown>): string;
}

/** How the transport reads the provider's answers. */
export interface RestTransportSpec {
  /**
   * Reads the provider's error body.
   * @defaultValue none (errors carry the status only)
   */
  readonly parseErrorBody?: ErrorBodyParser;
  /**
   * Response headers holding the request id, first match wins.
   * @defaultValue `['x-request-id']`
   */
  readonly requestIdHeaders?: readonly string[];
  /**
   * Rate-limit reset headers, read on a 429 without `Retry-After`.
   * @defaultValue `['ratelimit-reset', 'x-ratelimit-reset']`
   */
  readonly rateLimitResetHeaders?: readonly string[];
  /**
   * The header the token is sent in, as is (e.g. Scaleway's `X-Auth-Token`).
   * @defaultValue `Authorization: Bearer <token>`
   */
  readonly tokenHeader?: string;
}

/**
 * A REST provider, described.
 *
 * @typeParam Raw - the provider's node object (`Node.raw`).
 * @typeParam PO - the driver's `providerOptions` of `createNode`.
 * @typeParam Options - the driver's options (extending {@link RestDriverOptions}).
 * @typeParam State - per-driver state made by {@link RestDriverSpec.setup}.
 */
export interface RestDriverSpec<Raw, PO, Options extends RestDriverOptions, State = undefined> {
  /** The provider's name, e.g. `hetzner`: the driver's `provider` and the one named in errors. */
  readonly provider: ProviderName;
  /** The public API base URL, e.g. `https://api.hetzner.cloud/v1`. */
  readonly defaultEndpoint: string;
  /** Environment variables the token is read from, in order, when the option is not given. */
  readonly tokenEnv: readonly string[];
  /** What the driver supports (start/stop, key pairs, idempotency style…), checked by the core before each call. */
  readonly capabilities: Capabilities;
  /**
   * The provider's limits (name length, tags, user-data size…); the page-size range always comes
   * from {@link RestDriverSpec.paging}.
   * @defaultValue the core's `DEFAULT_LIMITS`
   */
  readonly limits?: Partial<ProviderLimits>;
  /** The provider's own id shapes (nodes, images, sizes, locations); a kind left out keeps the core's default. */
  readonly idPatterns?: IdPatterns;
  /**
   * How the transport reads the provider's answers and sends the token.
   * @defaultValue bearer token, `x-request-id`, no error-body parser
   */
  readonly transport?: RestTransportSpec;
  /** How the API pages its lists: one of `linkPaging`, `metaPaging`, `pageCountPaging`. */
  readonly paging: PagingStyle;
  /** Provider defaults of the options, merged under the caller's (an `undefined` option keeps its default). */
  readonly defaults?: Partial<Options>;
  /** Checks provider-specific options at set-up (throw `InvalidRequestError` with `operation: 'configure'`). */
  checkOptions?(options: Options, check: CheckContext): void;
  /** Makes the driver's state (caches…), once per driver. */
  setup?(runtime: RestRuntime<Options, undefined>): State;
  /** Shown by `util.inspect` / `JSON.stringify` of the driver besides the endpoint. Never secrets. */
  describe?(options: Options): Readonly<Record<string, unknown>>;
  /** Optional only where {@link RestDriverSpec.methods} gives `listLocations` (e.g. a fixed zone table). */
  readonly locations?: RestCollection<Location, undefined, RestRuntime<Options, State>>;
  /** Optional only where {@link RestDriverSpec.methods} gives `listSizes` (e.g. per-zone paths). */
  readonly sizes?: RestSizesCollection<RestRuntime<Options, State>>;
  /** Optional only where {@link RestDriverSpec.methods} gives `listImages`. */
  readonly images?: RestCollection<Image, ImageQuery, RestRuntime<Options, State>>;
  /** The nodes collection: listing, one node by id, and the mapper. */
  readonly nodes: RestNodes<Raw, RestRuntime<Options, State>>;
  /** Optional only where {@link RestDriverSpec.methods} gives `createNode` (e.g. a per-zone create path). */
  readonly create?: RestCreate<PO, RestRuntime<Options, State>>;
  /** Required when `capabilities.idempotency` is `tag`. */
  readonly idempotency?: RestIdempotency<Raw, PO, RestRuntime<Options, State>>;
  /** The node routes: reboot, start, stop, destroy. */
  readonly routes: RestRoutes<RestRuntime<Options, State>>;
  /**
   * Where the provider answers a change with an action to follow; with it, the driver takes
   * `RestActionOptions` and waits for each action to finish.
   */
  readonly actions?: RestActions;
  /** The provider's SSH-key registry, where a create takes registered keys rather than key text. */
  readonly sshKeys?: KeyRegistrySpec;
  /**
   * Where created nodes record the keys they were created with (one tag or label per key), so
   * that `cleanupKeyPairs` and `destroyNode(…, { removeKeys: true })` know which keys are in use.
   * With {@link RestDriverSpec.sshKeys}, it makes `keyPairsOfNode`.
   */
  readonly keyMarks?: RestKeyMarks;
  /** Checks provider-specific parts of a create request before any request. */
  validateCreate?(request: ResolvedCreateNodeRequest<PO>, check: CheckContext): void;
  /**
   * Checks, by reading the provider's catalog, that the request's size, image and location exist,
   * throwing `InvalidRequestError` naming the field otherwise. Called before SSH keys are
   * registered, so a create that will be refused changes nothing on the account.
   * @defaultValue none (the provider refuses the create itself)
   */
  checkPlaces?(request: ResolvedCreateNodeRequest<PO>, runtime: RestRuntime<Options, State>, context: DriverContext): Promise<void>;
  /** Hand-written methods beside the spec; each replaces the one the spec would make. */
  methods?(runtime: RestRuntime<Options, State>): Partial<DriverImplementation<Raw, PO>>;
}
