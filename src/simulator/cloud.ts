/**
 * A deterministic simulated cloud: nodes with timed lifecycle transitions, tags, idempotency
 * keys, quotas, optional persistence and fault injection. The `local` provider is a driver over
 * it, and the tests' wire-level fakes are protocol front-ends over it, so lifecycle semantics
 * are written once.
 *
 * @module
 */
import { systemClock, type Clock } from '../core/clock.js';
import { STANDARD_CATALOG, sizeOfferedIn, type SimCatalog, type SimImage, type SimLocation, type SimSize } from './catalog.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { EMPTY_STATE, loadState, updateState, type PersistedState } from './persistence.js';
import { createRandom } from './random.js';
import { SimulatorError } from './errors.js';

/** The lifecycle states of a simulated node. */
export type SimState = 'pending' | 'running' | 'rebooting' | 'stopping' | 'stopped' | 'terminating' | 'terminated';

/** How long each transition takes, in ms of the cloud's clock. */
export interface SimTimings {
  /**
   * pending → running (create and start).
   * @defaultValue 1500
   */
  readonly boot: number;
  /**
   * rebooting → running.
   * @defaultValue 1000
   */
  readonly reboot: number;
  /**
   * stopping → stopped.
   * @defaultValue 1000
   */
  readonly stop: number;
  /**
   * terminating → terminated.
   * @defaultValue 1000
   */
  readonly terminate: number;
  /**
   * How long a terminated node stays listed before it is gone.
   * @defaultValue 3600000 (1 hour)
   */
  readonly terminatedRetention: number;
}

/** Defaults of {@link SimTimings}. */
export const DEFAULT_TIMINGS: SimTimings = { boot: 1_500, reboot: 1_000, stop: 1_000, terminate: 1_000, terminatedRetention: 3_600_000 };

/** Options of a {@link SimulatedCloud}. */
export interface SimulatedCloudOptions {
  /**
   * What the cloud offers.
   * @defaultValue {@link STANDARD_CATALOG} (the `standard` preset)
   */
  readonly catalog?: SimCatalog;
  /**
   * The clock transitions, latency and timestamps run on. Pass a `VirtualClock` to make
   * transitions instant in tests.
   * @defaultValue the system clock
   */
  readonly clock?: Clock;
  /**
   * Seed of the random draws of injected errors.
   * @defaultValue 1
   */
  readonly seed?: number;
  /**
   * Transition durations; each one left out keeps its default.
   * @defaultValue {@link DEFAULT_TIMINGS}
   */
  readonly timings?: Partial<SimTimings>;
  /**
   * A JSON file the state is kept in, shared safely by concurrent processes: every operation reads
   * it, every change is made under a lock on the state as stored.
   * @defaultValue none (state in memory only)
   */
  readonly stateFile?: string;
  /**
   * Faults to inject from the start; change them later through {@link SimulatedCloud.faults}.
   * @defaultValue none
   */
  readonly faults?: FaultSettings;
  /**
   * Most nodes not yet terminating or terminated; a create beyond it fails with a `quota` error.
   * @defaultValue unlimited
   */
  readonly maxNodes?: number;
  /**
   * Prefix of node ids, followed by six or more hex digits.
   * @defaultValue `'node-'`
   */
  readonly idPrefix?: string;
}

/** A simulated node as stored. */
export interface SimNodeRecord {
  /** The node id: the cloud's `idPrefix` and a hex counter, e.g. `node-00002a`; never reused. */
  readonly id: string;
  /** The node's name as created (or last updated); not required to be unique. */
  name: string;
  /** The {@link SimSize.id} the node was created with. */
  readonly sizeId: string;
  /** The {@link SimImage.id} the node was created with. */
  readonly imageId: string;
  /** The {@link SimLocation.id} the node runs in. */
  readonly locationId: string;
  /** Tags as key → value; replaced as a whole by `updateNode`. */
  tags: Record<string, string>;
  /** The user data (e.g. a cloud-init script) given at create; absent when none was. */
  readonly userData?: string;
  /** OpenSSH public key lines the node accepts (the SSH endpoints check logins against them); empty when none were given. */
  readonly sshKeys: readonly string[];
  /** When the node was created, in epoch ms of the cloud's clock. */
  readonly createdAt: number;
  /** The lifecycle state as of the last read; a due transition is applied on every read. */
  state: SimState;
  /** When the node entered `state`, in epoch ms of the cloud's clock. */
  stateSince: number;
  /** The transition under way: the state the node will be in at `at`. */
  next?: {
    /** The state the node will be in when the transition ends, e.g. `running` after `pending`. */
    readonly state: SimState;
    /** When the transition ends, in epoch ms of the cloud's clock. */
    readonly at: number;
  };
  /** The node's public IPv4 address, unique per node, in `198.18.0.0/15` (a benchmarking range, never routed). */
  readonly publicIp: string;
  /** The node's private IPv4 address, unique per node, in `10.0.0.0/15`. */
  readonly privateIp: string;
  /** The idempotency key the node was created with; absent when the create gave none. */
  readonly idempotencyKey?: string;
  /** Free-form data a protocol front-end keeps with the node (e.g. its own resource fields). */
  extra: Record<string, unknown>;
}

/** A snapshot of a node at the time it was read. */
export type SimNode = Readonly<SimNodeRecord> & {
  /** The catalog entry of `locationId` (a frozen copy). */
  readonly location: SimLocation;
  /** The catalog entry of `sizeId` (a frozen copy). */
  readonly size: SimSize;
  /** The catalog entry of `imageId` (a frozen copy). */
  readonly image: SimImage;
};

/** What to create. */
export interface SimCreateInput {
  /** The node's name; the simulator does not check its shape (drivers do). */
  readonly name: string;
  /** A {@link SimSize.id} offered in `locationId`; otherwise an `invalid` error on `size`. */
  readonly sizeId: string;
  /** A {@link SimImage.id} of the size's architecture; otherwise an `invalid` error on `image`. */
  readonly imageId: string;
  /** A {@link SimLocation.id} of the catalog; otherwise an `invalid` error on `location`. */
  readonly locationId: string;
  /**
   * Tags as key → value.
   * @defaultValue none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** User data kept with the node (the simulator does not run it). */
  readonly userData?: string;
  /**
   * OpenSSH public key lines the node accepts.
   * @defaultValue none
   */
  readonly sshKeys?: readonly string[];
  /** The same key returns the same node instead of creating another. */
  readonly idempotencyKey?: string;
  /**
   * Free-form data a protocol front-end keeps with the node; see {@link SimNodeRecord.extra}.
   * @defaultValue `{}`
   */
  readonly extra?: Record<string, unknown>;
}

/** A page request. */
export interface SimListQuery {
  /**
   * Only nodes in these location ids.
   * @defaultValue every location
   */
  readonly locations?: readonly string[];
  /**
   * Only nodes in these states.
   * @defaultValue every state
   */
  readonly states?: readonly SimState[];
  /**
   * Only nodes carrying every one of these tags with these values.
   * @defaultValue no tag filter
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Most nodes on one page.
   * @defaultValue 100
   */
  readonly pageSize?: number;
  /** From the previous page's `nextPageToken`. */
  readonly pageToken?: string;
}

/** One page of nodes. */
export interface SimPage {
  /** The page's nodes, oldest first (by `createdAt`, then id). */
  readonly nodes: SimNode[];
  /** Absent on the last page. */
  readonly nextPageToken?: string;
}

/** The simulated cloud engine. */
export class SimulatedCloud {
  /** What the cloud offers: the `catalog` option, else {@link STANDARD_CATALOG}. */
  readonly catalog: SimCatalog;
  /** The clock transitions and injected latency run on, and node timestamps come from. */
  readonly clock: Clock;
  /** Transition durations in ms: the `timings` option over {@link DEFAULT_TIMINGS}. */
  readonly timings: SimTimings;
  /** Change faults at any time: `cloud.faults.set({ outage: true })`. */
  readonly faults: FaultInjector;
  /** How many operations (the simulator's "requests") have been made. */
  operationCount = 0;
  readonly #nodes = new Map<string, SimNodeRecord>();
  readonly #idempotency = new Map<string, string>();
  readonly #stateFile?: string;
  readonly #maxNodes?: number;
  readonly #idPrefix: string;
  readonly #random: () => number;
  #counter = 0;

  constructor(options: SimulatedCloudOptions = {}) {
    this.catalog = options.catalog ?? STANDARD_CATALOG;
    this.clock = options.clock ?? systemClock;
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.#random = createRandom(options.seed ?? 1);
    this.faults = new FaultInjector(this.#random, options.faults);
    this.#maxNodes = options.maxNodes;
    this.#idPrefix = options.idPrefix ?? 'node-';
    // With a state file nothing is read here: every operation reads the file as stored at that
    // moment, so a malformed file fails that operation (with an error naming the bad record).
    if (options.stateFile) this.#stateFile = options.stateFile;
  }

  // ---- catalog ---------------------------------------------------------------------------

  /** The catalog's location with this id, or `undefined`; not an operation (no faults, not counted). */
  location(id: string): SimLocation | undefined {
    return this.catalog.locations.find((location) => location.id === id);
  }
  /** The catalog's size with this id, or `undefined`; not an operation (no faults, not counted). */
  size(id: string): SimSize | undefined {
    return this.catalog.sizes.find((size) => size.id === id);
  }
  /** The catalog's image with this id, or `undefined`; not an operation (no faults, not counted). */
  image(id: string): SimImage | undefined {
    return this.catalog.images.find((image) => image.id === id);
  }

  /** Every location of the catalog (an operation: counted, and faults apply). */
  async listLocations(): Promise<readonly SimLocation[]> {
    await this.#operation('listLocations');
    return this.catalog.locations;
  }

  /** Sizes offered in `locationId`, or all sizes. */
  async listSizes(locationId?: string): Promise<readonly SimSize[]> {
    await this.#operation('listSizes');
    if (locationId !== undefined && !this.location(locationId))
      throw SimulatorError.invalid('location', `unknown location ${JSON.stringify(locationId)}`);
    return locationId === undefined ? this.catalog.sizes : this.catalog.sizes.filter((size) => sizeOfferedIn(size, locationId));
  }

  /** Every image of the catalog, deprecated ones included (an operation: counted, and faults apply). */
  async listImages(): Promise<readonly SimImage[]> {
    await this.#operation('listImages');
    return this.catalog.images;
  }

  // ---- nodes -----------------------------------------------------------------------------

  /**
   * One page of the nodes not yet purged (terminated ones stay listed for `terminatedRetention`),
   * filtered by `query`, oldest first.
   *
   * @throws SimulatorError `invalid` (field `pageToken`) for a page token this cloud did not issue.
   */
  async listNodes(query: SimListQuery = {}): Promise<SimPage> {
    await this.#operation('listNodes');
    const pageSize = query.pageSize ?? 100;
    const offset = query.pageToken === undefined ? 0 : decodePageToken(query.pageToken);
    const matching = [...this.#nodes.values()]
      .map((record) => this.#advance(record))
      .filter((record): record is SimNodeRecord => record !== undefined)
      .filter((record) => !query.locations || query.locations.includes(record.locationId))
      .filter((record) => !query.states || query.states.includes(record.state))
      .filter((record) => Object.entries(query.tags ?? {}).every(([key, value]) => record.tags[key] === value))
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    const page = matching.slice(offset, offset + pageSize).map((record) => this.#snapshot(record));
    const nextOffset = offset + pageSize;
    return nextOffset < matching.length ? { nodes: page, nextPageToken: encodePageToken(nextOffset) } : { nodes: page };
  }

  /**
   * The node as it is now.
   *
   * @throws SimulatorError `not-found` when there is no such node, or it has been purged.
   */
  async getNode(id: string): Promise<SimNode> {
    await this.#operation('getNode');
    return this.#snapshot(this.#require(id));
  }

  /** Finds the node created with an idempotency key, if any (and not yet purged). */
  async findByIdempotencyKey(key: string): Promise<SimNode | undefined> {
    await this.#operation('findByIdempotencyKey');
    const id = this.#idempotency.get(key);
    const record = id === undefined ? undefined : this.#nodes.get(id);
    const current = record && this.#advance(record);
    return current && this.#snapshot(current);
  }

  /**
   * Creates a node in `pending`, `running` after `timings.boot`. With an `idempotencyKey` already
   * used for the same name, size, image and location, returns that node instead.
   *
   * @throws SimulatorError `invalid` (field `location`, `size` or `image`) for an unknown or
   * mismatched catalog entry, `conflict` for an idempotency key used for a different request,
   * `quota` beyond `maxNodes`.
   */
  async createNode(input: SimCreateInput): Promise<SimNode> {
    await this.#operation('createNode');
    return this.#commit(() => this.#create(input));
  }

  #create(input: SimCreateInput): SimNode {
    if (input.idempotencyKey !== undefined) {
      const existingId = this.#idempotency.get(input.idempotencyKey);
      const existing = existingId === undefined ? undefined : this.#nodes.get(existingId);
      if (existing) {
        if (
          existing.name !== input.name ||
          existing.sizeId !== input.sizeId ||
          existing.imageId !== input.imageId ||
          existing.locationId !== input.locationId
        ) {
          throw SimulatorError.conflict(`idempotency key ${JSON.stringify(input.idempotencyKey)} was used for a different request`);
        }
        return this.#snapshot(this.#advance(existing) ?? existing);
      }
    }
    const location = this.location(input.locationId);
    if (!location) throw SimulatorError.invalid('location', `unknown location ${JSON.stringify(input.locationId)}`);
    const size = this.size(input.sizeId);
    if (!size) throw SimulatorError.invalid('size', `unknown size ${JSON.stringify(input.sizeId)}`);
    if (!sizeOfferedIn(size, location.id)) throw SimulatorError.invalid('size', `size ${size.id} is not offered in ${location.id}`);
    const image = this.image(input.imageId);
    if (!image) throw SimulatorError.invalid('image', `unknown image ${JSON.stringify(input.imageId)}`);
    if (image.arch !== size.arch)
      throw SimulatorError.invalid('image', `image ${image.id} is ${image.arch} but size ${size.id} is ${size.arch}`);
    if (this.#maxNodes !== undefined && this.#liveCount() >= this.#maxNodes) {
      throw SimulatorError.quota(`node limit of ${this.#maxNodes} reached`);
    }
    const now = this.clock.now();
    const { number, id } = this.#nextId();
    this.#counter = number;
    const record: SimNodeRecord = {
      id,
      name: input.name,
      sizeId: size.id,
      imageId: image.id,
      locationId: location.id,
      tags: { ...input.tags },
      ...(input.userData === undefined ? {} : { userData: input.userData }),
      sshKeys: [...(input.sshKeys ?? [])],
      createdAt: now,
      state: 'pending',
      stateSince: now,
      next: { state: 'running', at: now + this.timings.boot },
      publicIp: addressFor(198, 18, number),
      privateIp: addressFor(10, 0, number),
      ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
      extra: { ...input.extra },
    };
    this.#nodes.set(record.id, record);
    if (input.idempotencyKey !== undefined) this.#idempotency.set(input.idempotencyKey, record.id);
    return this.#snapshot(record);
  }

  /**
   * Puts a running node in `rebooting`, `running` again after `timings.reboot`; a node already
   * rebooting is returned as is.
   *
   * @throws SimulatorError `not-found` for an unknown node, `conflict` when it is not running.
   */
  async rebootNode(id: string): Promise<SimNode> {
    await this.#operation('rebootNode');
    return this.#commit(() => {
      const record = this.#require(id);
      if (record.state === 'rebooting') return this.#snapshot(record);
      if (record.state !== 'running') throw SimulatorError.conflict(`node ${id} is ${record.state}; only running nodes can be rebooted`);
      return this.#transition(record, 'rebooting', 'running', this.timings.reboot);
    });
  }

  /**
   * Puts a running (or rebooting) node in `stopping`, `stopped` after `timings.stop`; a node
   * already stopping or stopped is returned as is.
   *
   * @throws SimulatorError `not-found` for an unknown node, `conflict` in any other state.
   */
  async stopNode(id: string): Promise<SimNode> {
    await this.#operation('stopNode');
    return this.#commit(() => {
      const record = this.#require(id);
      if (record.state === 'stopping' || record.state === 'stopped') return this.#snapshot(record);
      if (record.state !== 'running' && record.state !== 'rebooting') {
        throw SimulatorError.conflict(`node ${id} is ${record.state}; only running nodes can be stopped`);
      }
      return this.#transition(record, 'stopping', 'stopped', this.timings.stop);
    });
  }

  /**
   * Puts a stopped node in `pending`, `running` after `timings.boot`; a node already pending or
   * running is returned as is.
   *
   * @throws SimulatorError `not-found` for an unknown node, `conflict` in any other state.
   */
  async startNode(id: string): Promise<SimNode> {
    await this.#operation('startNode');
    return this.#commit(() => {
      const record = this.#require(id);
      if (record.state === 'running' || record.state === 'pending') return this.#snapshot(record);
      if (record.state !== 'stopped') throw SimulatorError.conflict(`node ${id} is ${record.state}; only stopped nodes can be started`);
      return this.#transition(record, 'pending', 'running', this.timings.boot);
    });
  }

  /**
   * Puts a node in `terminating`, `terminated` after `timings.terminate`; it is purged
   * `timings.terminatedRetention` later. A node already terminating or terminated is returned
   * as is.
   *
   * @throws SimulatorError `not-found` for an unknown (or purged) node.
   */
  async destroyNode(id: string): Promise<SimNode> {
    await this.#operation('destroyNode');
    return this.#commit(() => {
      const record = this.#require(id);
      if (record.state === 'terminating' || record.state === 'terminated') return this.#snapshot(record);
      return this.#transition(record, 'terminating', 'terminated', this.timings.terminate);
    });
  }

  /** Changes a node's name, tags or extra data (for protocol front-ends that support updates). */
  async updateNode(
    id: string,
    changes: { name?: string; tags?: Record<string, string>; extra?: Record<string, unknown> },
  ): Promise<SimNode> {
    await this.#operation('updateNode');
    return this.#commit(() => {
      const record = this.#require(id);
      if (changes.name !== undefined) record.name = changes.name;
      if (changes.tags !== undefined) record.tags = { ...changes.tags };
      if (changes.extra !== undefined) record.extra = { ...record.extra, ...changes.extra };
      return this.#snapshot(record);
    });
  }

  /** Every node not yet purged, in creation order, without counting an operation or injecting faults. */
  peekNodes(): SimNode[] {
    this.#reload();
    return [...this.#nodes.values()]
      .map((record) => this.#advance(record))
      .filter((record): record is SimNodeRecord => record !== undefined)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((record) => this.#snapshot(record));
  }

  // ---- internals -------------------------------------------------------------------------

  async #operation(name: string): Promise<void> {
    this.operationCount += 1;
    await this.faults.apply(name, this.clock);
    this.#reload();
  }

  /** With a state file: replaces what is in memory with what is stored now (another process may have changed it). */
  #reload(): void {
    if (!this.#stateFile) return;
    this.#restore(loadState(this.#stateFile) ?? EMPTY_STATE);
  }

  /**
   * Runs a change. With a state file, under the cross-process lock: the stored state is re-read
   * first and written after, so no process overwrites another's change.
   */
  async #commit<T>(change: () => T): Promise<T> {
    if (!this.#stateFile) return change();
    return updateState(this.#stateFile, (current) => {
      this.#restore(current ?? EMPTY_STATE);
      const result = change();
      return { state: this.#stateNow(), result };
    });
  }

  /**
   * The next node id: one past both the counter and every id stored, so an id is never given
   * twice, even when the counter was lost or a record was added by hand.
   */
  #nextId(): { readonly number: number; readonly id: string } {
    let highest = this.#counter;
    // Only a cloud shared through a state file can have ids another process gave out.
    for (const id of this.#stateFile === undefined ? [] : this.#nodes.keys()) {
      if (!id.startsWith(this.#idPrefix)) continue;
      const suffix = id.slice(this.#idPrefix.length);
      if (/^[0-9a-f]+$/.test(suffix)) highest = Math.max(highest, Number.parseInt(suffix, 16));
    }
    let number = highest + 1;
    const idOf = (n: number) => `${this.#idPrefix}${n.toString(16).padStart(6, '0')}`;
    while (this.#nodes.has(idOf(number))) number += 1;
    return { number, id: idOf(number) };
  }

  #require(id: string): SimNodeRecord {
    const record = this.#nodes.get(id);
    const current = record && this.#advance(record);
    if (!current) throw SimulatorError.notFound(`node ${JSON.stringify(id)} does not exist`);
    return current;
  }

  /** Applies a due transition; returns undefined when the node has been purged. */
  #advance(record: SimNodeRecord): SimNodeRecord | undefined {
    const now = this.clock.now();
    if (record.next && now >= record.next.at) {
      // Transitions follow from the stored times, so reading needs no write: the next change stores them.
      record.state = record.next.state;
      record.stateSince = record.next.at;
      delete record.next;
    }
    if (record.state === 'terminated' && now - record.stateSince >= this.timings.terminatedRetention) {
      this.#nodes.delete(record.id);
      return undefined;
    }
    return record;
  }

  #transition(record: SimNodeRecord, during: SimState, after: SimState, duration: number): SimNode {
    const now = this.clock.now();
    record.state = during;
    record.stateSince = now;
    record.next = { state: after, at: now + duration };
    return this.#snapshot(record);
  }

  #snapshot(record: SimNodeRecord): SimNode {
    const location = this.location(record.locationId);
    const size = this.size(record.sizeId);
    const image = this.image(record.imageId);
    if (!location || !size || !image) throw SimulatorError.internal(`node ${record.id} refers to a catalog entry that no longer exists`);
    // Only the record is copied per snapshot; the catalog entries it refers to are shared frozen
    // copies (cloning them on every read was most of a read's cost, and a caller must not be able
    // to change the catalog through a node either way).
    return { ...structuredClone(record), location: frozenCopy(location), size: frozenCopy(size), image: frozenCopy(image) };
  }

  #liveCount(): number {
    let count = 0;
    for (const record of this.#nodes.values()) {
      const current = this.#advance(record);
      if (current && current.state !== 'terminating' && current.state !== 'terminated') count += 1;
    }
    return count;
  }

  #stateNow(): PersistedState {
    return {
      version: 1,
      counter: this.#counter,
      nodes: [...this.#nodes.values()],
      idempotency: Object.fromEntries(this.#idempotency),
    };
  }

  #restore(state: PersistedState): void {
    this.#nodes.clear();
    this.#idempotency.clear();
    this.#counter = state.counter;
    for (const node of state.nodes) this.#nodes.set(node.id, { ...node, extra: node.extra ?? {} });
    for (const [key, id] of Object.entries(state.idempotency)) this.#idempotency.set(key, id);
  }
}

/** A unique address for the n-th node inside `a.b.0.0/15`. */
function addressFor(a: number, b: number, n: number): string {
  return `${a}.${b + ((n >> 16) & 1)}.${(n >> 8) & 255}.${n & 255}`;
}

function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodePageToken(token: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // falls through to the error below
  }
  throw SimulatorError.invalid('pageToken', `page token ${JSON.stringify(token)} is not one this cloud issued`);
}

/** Frozen deep copies of catalog entries, made once per entry. */
const FROZEN_COPIES = new WeakMap<object, object>();

/** A deep copy of a catalog entry, frozen, shared by every snapshot that refers to the entry. */
function frozenCopy<T extends object>(entry: T): T {
  let copy = FROZEN_COPIES.get(entry) as T | undefined;
  if (!copy) {
    copy = deepFreeze(structuredClone(entry));
    FROZEN_COPIES.set(entry, copy);
  }
  return copy;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const each of Object.values(value)) deepFreeze(each);
  }
  return value;
}
