/**
 * TinyCloud: a provider written the way a driver outside this repository is written. It imports
 * only `polycloud/kit` (the package's public entry, resolved through `exports` to `dist/`), keeps
 * its machines in memory, and declares its own id formats — node ids `tc-<number>`, image ids
 * with a `/` (`tiny/ubuntu-24.04`) — so the core checks them.
 */
import {
  ConflictError,
  InvalidRequestError,
  NodeNotFoundError,
  defineDriver,
  idPattern,
  mergeDefaults,
  pathIdPattern,
  systemClock,
  type Clock,
  type Driver,
  type Image,
  type Location,
  type Node,
  type NodeState,
  type Size,
} from 'polycloud/kit';

/** Options of the TinyCloud driver. */
export interface TinyCloudOptions {
  /** The clock machines boot on. @defaultValue the system clock */
  readonly clock?: Clock;
  /** How long a machine takes to boot or stop, in ms. @defaultValue 2000 */
  readonly transitionMs?: number;
  /** Machines per listing page. @defaultValue 20 */
  readonly pageSize?: number;
}

/** A machine as TinyCloud stores it. */
export interface TinyMachine {
  readonly id: string;
  readonly name: string;
  readonly size: string;
  readonly image: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly createdAt: number;
  /** What the machine is becoming, and when it gets there. */
  target: 'running' | 'stopped';
  since: number;
}

/** The backend: one instance can be shared by several drivers (like one account). */
export class TinyBackend {
  readonly machines = new Map<string, TinyMachine>();
  readonly byKey = new Map<string, string>();
  /** Every operation that reached the backend. */
  operations = 0;
  #next = 1;
  nextId(): string {
    return `tc-${this.#next++}`;
  }
}

const TINY_LOCATIONS: readonly Location[] = [
  { id: 'north-1', name: 'North 1', provider: 'tinycloud', kind: 'region', region: 'north-1', country: 'NO', city: 'Oslo' },
  { id: 'south-1', name: 'South 1', provider: 'tinycloud', kind: 'region', region: 'south-1', country: 'ZA', city: 'Cape Town' },
];
const TINY_SIZES: readonly Size[] = [
  { id: 'small', name: 'Small', provider: 'tinycloud', vcpus: 1, memoryGiB: 1, price: null },
  {
    id: 'large',
    name: 'Large',
    provider: 'tinycloud',
    vcpus: 4,
    memoryGiB: 8,
    price: { hourly: 0.05, monthly: 36.5, currency: 'EUR', source: 'provider-api', asOf: '2026-12-01' },
  },
];
const TINY_IMAGES: readonly Image[] = [
  { id: 'tiny/debian-12', name: 'Debian 12', provider: 'tinycloud', os: { family: 'debian', version: '12' }, arch: 'x86_64' },
  { id: 'tiny/ubuntu-24.04', name: 'Ubuntu 24.04', provider: 'tinycloud', os: { family: 'ubuntu', version: '24.04' }, arch: 'x86_64' },
  {
    id: 'tiny/ubuntu-24.04-arm',
    name: 'Ubuntu 24.04 (Arm)',
    provider: 'tinycloud',
    os: { family: 'ubuntu', version: '24.04' },
    arch: 'arm64',
  },
];

const DEFAULTS = { clock: systemClock, transitionMs: 2_000, pageSize: 20 } satisfies TinyCloudOptions;

/** Creates a TinyCloud driver on `backend`. */
export function createTinyCloudDriver(backend: TinyBackend, given: TinyCloudOptions = {}): Driver<TinyMachine> {
  const options = mergeDefaults(DEFAULTS, given);
  const { clock, transitionMs } = options;

  const stateOf = (machine: TinyMachine): NodeState => {
    const settled = clock.now() - machine.since >= transitionMs;
    if (machine.target === 'running') return settled ? 'running' : 'pending';
    return settled ? 'stopped' : 'stopping';
  };
  const toNode = (machine: TinyMachine): Node<TinyMachine> => {
    const location = TINY_LOCATIONS.find((each) => each.id === machine.location);
    const state = stateOf(machine);
    return {
      id: machine.id,
      name: machine.name,
      provider: 'tinycloud',
      state,
      rawState: state,
      location: { id: machine.location, region: machine.location, country: location?.country ?? null },
      sizeId: machine.size,
      imageId: machine.image,
      publicIps: [],
      privateIps: [],
      tags: machine.tags,
      createdAt: new Date(machine.createdAt),
      price: TINY_SIZES.find((size) => size.id === machine.size)?.price ?? null,
      raw: machine,
    };
  };
  const machine = (id: string, operation: string): TinyMachine => {
    backend.operations++;
    const found = backend.machines.get(id);
    if (!found) throw new NodeNotFoundError(id, { provider: 'tinycloud', operation });
    return found;
  };
  const unknown = (field: string, list: readonly { id: string }[], value: string, operation: string): never => {
    throw new InvalidRequestError(`"${field}" must be one of ${list.map((each) => each.id).join(', ')}, got ${JSON.stringify(value)}`, {
      provider: 'tinycloud',
      operation,
      field,
    });
  };

  return defineDriver<TinyMachine>({
    provider: 'tinycloud',
    capabilities: {
      startStop: true,
      reboot: true,
      userData: false,
      sshKeys: false,
      tags: true,
      idempotency: 'native',
      locationKind: 'region',
    },
    limits: { maxPageSize: 50 },
    idPatterns: {
      node: idPattern(/^tc-[1-9][0-9]{0,8}$/, '"tc-" and a number, such as "tc-12"'),
      image: pathIdPattern(2, '"tiny/<name>", such as "tiny/ubuntu-24.04"'),
    },
    clock,
    async listLocations() {
      backend.operations++;
      return [...TINY_LOCATIONS];
    },
    async listSizes(query, context) {
      backend.operations++;
      if (query.location !== undefined && !TINY_LOCATIONS.some((each) => each.id === query.location)) {
        unknown('query.location', TINY_LOCATIONS, query.location, context.operation);
      }
      return [...TINY_SIZES];
    },
    async listImages() {
      backend.operations++;
      // Unfiltered and unsorted on purpose: the core filters by the query and sorts.
      return [...TINY_IMAGES].reverse();
    },
    async *listNodePages(query) {
      const all = [...backend.machines.values()];
      const pageSize = query.pageSize ?? options.pageSize;
      for (let start = 0; start === 0 || start < all.length; start += pageSize) {
        backend.operations++;
        // Only the location is pushed down; the core filters states and tags.
        yield all
          .slice(start, start + pageSize)
          .filter((each) => !query.locations || query.locations.includes(each.location))
          .map(toNode);
      }
    },
    async getNode(id, context) {
      return toNode(machine(id, context.operation));
    },
    async createNode(request, context) {
      backend.operations++;
      if (!TINY_SIZES.some((each) => each.id === request.sizeId)) unknown('size', TINY_SIZES, request.sizeId, context.operation);
      if (!TINY_IMAGES.some((each) => each.id === request.imageId)) unknown('image', TINY_IMAGES, request.imageId, context.operation);
      if (!TINY_LOCATIONS.some((each) => each.id === request.locationId)) {
        unknown('location', TINY_LOCATIONS, request.locationId, context.operation);
      }
      const existing = backend.byKey.get(request.idempotencyKey);
      if (existing) {
        const earlier = backend.machines.get(existing);
        if (earlier && earlier.name !== request.name) {
          throw new ConflictError('the idempotency key was used for another machine', {
            provider: 'tinycloud',
            operation: context.operation,
          });
        }
        if (earlier) return toNode(earlier);
      }
      const created: TinyMachine = {
        id: backend.nextId(),
        name: request.name,
        size: request.sizeId,
        image: request.imageId,
        location: request.locationId,
        tags: { ...request.tags },
        createdAt: clock.now(),
        target: 'running',
        since: clock.now(),
      };
      backend.machines.set(created.id, created);
      backend.byKey.set(request.idempotencyKey, created.id);
      return toNode(created);
    },
    async rebootNode(id, context) {
      const found = machine(id, context.operation);
      found.target = 'running';
      found.since = clock.now();
    },
    async startNode(id, context) {
      const found = machine(id, context.operation);
      found.target = 'running';
      found.since = clock.now();
    },
    async stopNode(id, context) {
      const found = machine(id, context.operation);
      found.target = 'stopped';
      found.since = clock.now();
    },
    async destroyNode(id, context) {
      machine(id, context.operation);
      // Gone at once; a second destroy finds nothing, and the core makes that a success.
      backend.machines.delete(id);
    },
  });
}
