/**
 * The polycloud data model: what every driver returns and accepts, whatever the provider.
 *
 * @module
 */

/**
 * A provider's name: any string a driver was registered under with `registerProvider`, e.g.
 * `aws` or `vultr`. The set is open: a driver from another package is as much a provider as the
 * built-in ones.
 */
export type ProviderName = string;

/** Names of the providers polycloud ships a driver for (their options are typed per name). */
export type BuiltInProviderName =
  'aws' | 'gce' | 'digitalocean' | 'hetzner' | 'linode' | 'scaleway' | 'azure' | 'openstack' | 'vultr' | 'local';

/** Every built-in provider name, in a stable order. */
export const BUILT_IN_PROVIDER_NAMES: readonly BuiltInProviderName[] = [
  'local',
  'aws',
  'gce',
  'digitalocean',
  'hetzner',
  'linode',
  'scaleway',
  'azure',
  'openstack',
  'vultr',
];

/**
 * Every built-in provider name.
 *
 * @deprecated The set of providers is open; use `listProviders()` for every registered one, or
 * {@link BUILT_IN_PROVIDER_NAMES}.
 */
export const PROVIDER_NAMES: readonly BuiltInProviderName[] = BUILT_IN_PROVIDER_NAMES;

/**
 * The portable lifecycle state of a node. Each driver maps every state its provider reports
 * onto one of these and keeps the provider's own word in {@link Node.rawState}.
 */
export type NodeState = 'pending' | 'running' | 'rebooting' | 'stopping' | 'stopped' | 'terminating' | 'terminated' | 'error' | 'unknown';

/** Every {@link NodeState}, in lifecycle order. */
export const NODE_STATES: readonly NodeState[] = [
  'pending',
  'running',
  'rebooting',
  'stopping',
  'stopped',
  'terminating',
  'terminated',
  'error',
  'unknown',
];

/** CPU architecture of a size or image. */
export type Arch = 'x86_64' | 'arm64';

/** Where a price figure came from. */
export type PriceSource = 'provider-api' | 'catalog';

/** Hours in the month that monthly prices are computed with (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/**
 * What running a node of a size costs. A price polycloud does not know is `null` wherever a
 * `Price` may appear; it is never `0`.
 */
export interface Price {
  /** Cost of one hour. */
  readonly hourly: number;
  /** Cost of one month: the provider's own monthly figure, or `hourly × 730`. */
  readonly monthly: number;
  /** ISO 4217 currency code, e.g. `USD`, `EUR`. */
  readonly currency: string;
  /** `provider-api` for figures fetched from the provider, `catalog` for polycloud's bundled snapshot. */
  readonly source: PriceSource;
  /** ISO 8601 date (`YYYY-MM-DD`) the figure was valid on. */
  readonly asOf: string;
}

/** Where a node runs. */
export interface NodeLocation {
  /** The location id the node was placed with: a zone where the provider has zones, else a region. */
  readonly id: string;
  /** The provider's region. */
  readonly region: string;
  /** The zone, for providers with zones. */
  readonly zone?: string;
  /** ISO 3166-1 alpha-2 country code, e.g. `DE`; `null` only when the region is unknown to polycloud. */
  readonly country: string | null;
}

/** Continents used in {@link Location.continent}. */
export type Continent = 'Africa' | 'Asia' | 'Europe' | 'North America' | 'Oceania' | 'South America' | 'Antarctica';

/** A place nodes can run in: a region or a zone. */
export interface Location {
  /** The id to pass as {@link CreateNodeRequest.location} or `query.location`. */
  readonly id: string;
  /** Human name, e.g. `Frankfurt 1`. */
  readonly name: string;
  /** The provider the location belongs to. */
  readonly provider: ProviderName;
  /** `region`, or `zone` for a zone inside a region. */
  readonly kind: 'region' | 'zone';
  /** The region: the location's own id when `kind` is `region`. */
  readonly region: string;
  /**
   * ISO 3166-1 alpha-2 country code. `ZZ` (the code reserved for "unknown") only for a region that
   * is newer than polycloud's table of region facts.
   */
  readonly country: string;
  /** The city the provider names for the location. */
  readonly city?: string;
  /** The continent, when known, e.g. `Europe`. */
  readonly continent?: Continent;
}

/** A machine size (instance type, machine type, plan). */
export interface Size {
  /** The id to pass as {@link CreateNodeRequest.size}. */
  readonly id: string;
  /** The provider's name for the size. */
  readonly name: string;
  /** The provider the size belongs to. */
  readonly provider: ProviderName;
  /** Virtual CPUs as the provider reports them. */
  readonly vcpus: number;
  /** Memory in GiB (2^30 bytes). */
  readonly memoryGiB: number;
  /** Local boot disk in GiB, where the size includes one. */
  readonly diskGiB?: number;
  /** Number of GPUs, where the size has any. */
  readonly gpus?: number;
  /** The CPU architecture, when the provider says. */
  readonly arch?: Arch;
  /** True for sizes that share a physical core (burstable / shared-core). */
  readonly sharedCore?: boolean;
  /**
   * The on-demand price in {@link Size.priceLocation}, or `null` when polycloud does not know it.
   */
  readonly price: Price | null;
  /** The location {@link Size.price} applies to. */
  readonly priceLocation?: string;
  /** Location ids this size is offered in, when the provider says. */
  readonly locations?: readonly string[];
}

/** Operating system of an image. */
export interface ImageOs {
  /** Lower-case family, e.g. `ubuntu`, `debian`. */
  readonly family: string;
  /** Version, e.g. `24.04`, `12`. */
  readonly version: string;
}

/** A bootable image. */
export interface Image {
  /** The id to pass as {@link CreateNodeRequest.image}. */
  readonly id: string;
  /** The provider's name for the image. */
  readonly name: string;
  /** The provider the image belongs to. */
  readonly provider: ProviderName;
  /** The operating system family and version, when recognised. */
  readonly os?: ImageOs;
  /** The CPU architecture the image runs on, when the provider says. */
  readonly arch?: Arch;
  /** For providers whose images are regional. */
  readonly location?: string;
  /** When the image was published, where known. */
  readonly createdAt?: Date;
}

/**
 * A virtual machine.
 *
 * @typeParam Raw - the provider's own object for the node (typed per driver).
 */
export interface Node<Raw = unknown> {
  /** Provider-unique id, stable for the node's life. */
  readonly id: string;
  /** The node's name. */
  readonly name: string;
  /** The provider the node runs on. */
  readonly provider: ProviderName;
  /** The normalized state; the provider's own word is in `rawState`. */
  readonly state: NodeState;
  /** The provider's own state word, e.g. `shutting-down`, `TERMINATED`, `off`. */
  readonly rawState: string;
  /** Where the node runs: its zone or region, with the country. */
  readonly location: NodeLocation;
  /** The id of its size (instance type, machine type, plan); `null` when the provider does not say. */
  readonly sizeId: string | null;
  /** The id of the image the node was created from; `null` when the provider does not say. */
  readonly imageId: string | null;
  /** Public IPv4/IPv6 addresses, possibly empty (e.g. while pending). */
  readonly publicIps: readonly string[];
  /** Private IPv4/IPv6 addresses, possibly empty. */
  readonly privateIps: readonly string[];
  /** Tags (AWS), labels (GCE, Hetzner) or tags as `key:value` strings (DigitalOcean, Linode), as a record. */
  readonly tags: Readonly<Record<string, string>>;
  /** When the provider created the node; `null` when it does not say. */
  readonly createdAt: Date | null;
  /** The hourly price of the node's size where it runs, or `null` when unknown. */
  readonly price: Price | null;
  /** The provider's object the node was mapped from. */
  readonly raw: Raw;
}

/** Options every driver method accepts. */
export interface CallOptions {
  /** Cancels the call: pending requests are aborted and the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Which nodes `listNodes` / `iterateNodes` return. All given criteria must match. */
export interface NodeQuery {
  /**
   * Only nodes in these locations (region or zone ids).
   *
   * @defaultValue every location the driver is configured for
   */
  readonly location?: string | readonly string[];
  /**
   * Only nodes in one of these states.
   *
   * @defaultValue every state
   */
  readonly states?: readonly NodeState[];
  /**
   * Only nodes carrying every one of these tags with these values.
   *
   * @defaultValue no tag filter
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * How many nodes to ask the provider for per request.
   * polycloud always returns every page; this only changes how many requests that takes.
   *
   * @defaultValue the provider's maximum
   */
  readonly pageSize?: number;
}

/** Filter for {@link Driver.listSizes}. */
export interface SizeQuery {
  /** Only sizes offered in this location, priced for it. */
  readonly location?: string;
}

/** Filter for {@link Driver.listImages}. */
export interface ImageQuery {
  /** Only images usable in this location (for providers with regional images). */
  readonly location?: string;
  /** OS family, e.g. `ubuntu`, `debian`. */
  readonly os?: string;
  /** OS version, e.g. `24.04`, `12`. */
  readonly version?: string;
  /** Only images for this CPU architecture. */
  readonly arch?: Arch;
}

/**
 * What to create. `size`, `image` and `location` accept an id or the object a `list*` call returned.
 *
 * @typeParam ProviderOptions - the driver's typed provider-specific options.
 */
export interface CreateNodeRequest<ProviderOptions = Record<string, unknown>> {
  /** Node name; each provider's naming rules apply and are checked before any request. */
  readonly name: string;
  /** The size: an id from `listSizes` or the `Size` itself. */
  readonly size: string | Size;
  /** The image: an id from `listImages` or the `Image` itself. */
  readonly image: string | Image;
  /** Where the node runs: a location id from `listLocations` or the `Location` itself. */
  readonly location: string | Location;
  /** OpenSSH public keys (`ssh-ed25519 AAAA… comment`) to authorise for the default user. */
  readonly sshKeys?: readonly string[];
  /** Cloud-init user data (plain text; drivers encode it as their provider needs). */
  readonly userData?: string;
  /** Labels to put on the node, key to value; the driver checks the provider's limits before any request. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Makes the create safe to repeat: the same key creates at most one node, and repeating a call
   * with it returns that node.
   *
   * @defaultValue a fresh key per call, reused across polycloud's own retries
   */
  readonly idempotencyKey?: string;
  /** Provider-specific options, typed per driver. */
  readonly providerOptions?: ProviderOptions;
}

/**
 * A create request after the core has validated it: ids resolved from objects and an
 * idempotency key always present.
 */
export interface ResolvedCreateNodeRequest<ProviderOptions = Record<string, unknown>> {
  /** The node name, already checked against the provider's limits. */
  readonly name: string;
  /** The size id. */
  readonly sizeId: string;
  /** The image id. */
  readonly imageId: string;
  /** The location id. */
  readonly locationId: string;
  /** OpenSSH public keys to install, when given. */
  readonly sshKeys: readonly string[];
  /** Cloud-init user data, when given. */
  readonly userData?: string;
  /** The tags, already checked against the provider's limits. */
  readonly tags: Readonly<Record<string, string>>;
  /** The caller's idempotency key, or the one the core generated for this call (see `idempotencyKeyGiven`). */
  readonly idempotencyKey: string;
  /** True when the caller gave the key; false when the core generated one for this call. */
  readonly idempotencyKeyGiven: boolean;
  /** The driver's own `providerOptions`, as given. */
  readonly providerOptions?: ProviderOptions;
}

/** Options for {@link Driver.waitForNode}. */
export interface WaitOptions extends CallOptions {
  /**
   * Give up after this long, in ms, with a `TimeoutError` naming the state last seen.
   *
   * @defaultValue 600000 (10 minutes)
   */
  readonly timeoutMs?: number;
  /**
   * First pause between polls, in ms; raised to 100 when lower.
   *
   * @defaultValue 1000
   */
  readonly intervalMs?: number;
  /**
   * Longest pause between polls, in ms.
   *
   * @defaultValue 15000
   */
  readonly maxIntervalMs?: number;
  /**
   * Growth of the pause after each poll (1 or more).
   *
   * @defaultValue 1.5
   */
  readonly backoffFactor?: number;
  /**
   * Pause one interval before the first look, for a node known not to be there yet (e.g. one
   * just created, still pending): saves a request per node that could only see the old state.
   * @defaultValue false
   */
  readonly pauseFirst?: boolean;
}

/** What a driver's provider can do; callers check before relying on an optional feature. */
export interface Capabilities {
  /** Nodes can be stopped and started again. */
  readonly startStop: boolean;
  /** Whether `rebootNode` works. */
  readonly reboot: boolean;
  /** `userData` on create is honoured. */
  readonly userData: boolean;
  /** `sshKeys` on create are honoured. */
  readonly sshKeys: boolean;
  /** Nodes carry tags (or labels) that `NodeQuery.tags` can filter by. */
  readonly tags: boolean;
  /**
   * How a repeated create is made safe: `native` when the provider takes an idempotency token,
   * `tag` when polycloud tags the node with the key and checks for it before creating.
   */
  readonly idempotency: 'native' | 'tag';
  /**
   * The provider has a key registry polycloud can list, import into and delete from (`listKeyPairs` & co.).
   *
   * @defaultValue false
   */
  readonly keyPairs?: boolean;
  /** Whether nodes are listed by region, by zone, or globally. */
  readonly locationKind: 'region' | 'zone';
}

/**
 * Limits of the provider that the core checks before sending a create. A driver states them in
 * `DriverImplementation.limits`; each field it leaves out takes its default (`DEFAULT_LIMITS`).
 */
export interface ProviderLimits {
  /**
   * Longest node name, in characters.
   *
   * @defaultValue 63
   */
  readonly maxNameLength: number;
  /**
   * What a node name must look like, with a description for the error message; absent means any non-blank name.
   *
   * @defaultValue letters, digits, `.` and `-`, starting and ending with a letter or digit
   */
  readonly namePattern?: {
    /** Tested against the whole name; anchor it (`^…$`). */
    readonly pattern: RegExp;
    /** Completes `"name" must be …` in the error, e.g. `lower-case letters, digits and '-'`. */
    readonly description: string;
  };
  /**
   * Most tags on a node.
   *
   * @defaultValue 50
   */
  readonly maxTags: number;
  /**
   * Longest tag key, in characters.
   *
   * @defaultValue 128
   */
  readonly maxTagKeyLength: number;
  /**
   * Longest tag value, in characters.
   *
   * @defaultValue 256
   */
  readonly maxTagValueLength: number;
  /**
   * Largest user data in bytes (UTF-8, before any encoding the driver applies).
   *
   * @defaultValue 16384 (16 KiB)
   */
  readonly maxUserDataBytes: number;
  /**
   * Largest `NodeQuery.pageSize` the provider takes; a larger one is an `InvalidRequestError`
   * (never silently clamped).
   * @defaultValue 1000
   */
  readonly maxPageSize: number;
  /**
   * Smallest `NodeQuery.pageSize` the provider takes (EC2 takes at least 5).
   * @defaultValue 1
   */
  readonly minPageSize?: number;
}
