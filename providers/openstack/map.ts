/**
 * Pure mapping from Nova and Glance shapes to polycloud's types: servers → `Node` (status and
 * task state → node state; metadata → tags), flavors → `Size`, images → `Image` (OS from
 * `os_distro`/`os_version`, else from the name), availability zones → `Location`.
 *
 * @module
 */
import type { Image, Location, Node, NodeState, Price, Size } from '../../src/kit.js';
import type { OpenStackRegionFacts } from './regions.js';

/** Metadata key holding the idempotency key of the create that made the server; hidden from `Node.tags`. */
export const IDEMPOTENCY_KEY_METADATA = 'polycloud-idempotency-key';

/** A Nova server (microversion 2.38) as the driver reads it. */
export interface NovaServer {
  /** The server's UUID (`Node.id`). */
  readonly id: string;
  /** The server's name. */
  readonly name?: string;
  /** Nova status, e.g. `BUILD`, `ACTIVE`, `SHUTOFF`, `ERROR`; mapped to a `NodeState`. */
  readonly status?: string;
  /** The transition under way, e.g. `spawning`, `powering-off`, `deleting`; `null` when none. Wins over `status`. */
  readonly 'OS-EXT-STS:task_state'?: string | null;
  /** Availability zone the server runs in (`Node.location.zone`); empty before it is scheduled. */
  readonly 'OS-EXT-AZ:availability_zone'?: string;
  /** The server's flavor (before microversion 2.47, a reference by id). */
  readonly flavor?: {
    /** Flavor id (`Node.sizeId`). */
    readonly id?: string;
  };
  /** The image the server booted from; `''` for a server booted from a volume. */
  readonly image?:
    | {
        /** Glance image UUID (`Node.imageId`). */
        readonly id?: string;
      }
    | '';
  /** Server metadata: the request's tags plus polycloud's idempotency key (hidden from `Node.tags`). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Addresses keyed by network name. */
  readonly addresses?: Readonly<
    Record<
      string,
      readonly {
        /** The IP address; floating or public-range addresses go to `Node.publicIps`, the rest to `privateIps`. */
        readonly addr?: string;
        /** IP version, `4` or `6`. */
        readonly version?: number;
        /** `fixed` (on the network) or `floating` (a floating IP, always public). */
        readonly 'OS-EXT-IPS:type'?: string;
      }[]
    >
  >;
  /** When the server was created, ISO 8601 (`Node.createdAt`). */
  readonly created?: string;
}

/** A Nova flavor. */
export interface NovaFlavor {
  /** Flavor id (`Size.id`). */
  readonly id: string;
  /** Flavor name, e.g. `b2-7`; the key of the `prices` option. */
  readonly name?: string;
  /** Number of vCPUs. */
  readonly vcpus?: number;
  /** MiB. */
  readonly ram?: number;
  /** GB. */
  readonly disk?: number;
}

/** A Glance v2 image (properties are flattened into it). */
export interface GlanceImage {
  /** The image's UUID (`Image.id`). */
  readonly id: string;
  /** Display name, e.g. `Ubuntu 24.04`; OS and version are read from it when `os_distro` is absent. */
  readonly name?: string | null;
  /** Glance status, e.g. `active`, `queued`, `deactivated`. */
  readonly status?: string;
  /** OS family property, e.g. `ubuntu` (`Image.os.family`). */
  readonly os_distro?: string;
  /** OS version property, e.g. `24.04` (`Image.os.version`). */
  readonly os_version?: string;
  /** CPU architecture property, e.g. `x86_64`, `aarch64`. */
  readonly architecture?: string;
  /** When the image was created, ISO 8601 (`Image.createdAt`). */
  readonly created_at?: string;
}

const STATUS: Readonly<Record<string, NodeState>> = {
  BUILD: 'pending',
  ACTIVE: 'running',
  REBOOT: 'rebooting',
  HARD_REBOOT: 'rebooting',
  SHUTOFF: 'stopped',
  STOPPED: 'stopped',
  SUSPENDED: 'stopped',
  PAUSED: 'stopped',
  SHELVED: 'stopped',
  SHELVED_OFFLOADED: 'stopped',
  DELETED: 'terminated',
  SOFT_DELETED: 'terminated',
  ERROR: 'error',
  REBUILD: 'pending',
  RESIZE: 'pending',
  VERIFY_RESIZE: 'running',
  MIGRATING: 'running',
  RESCUE: 'error',
};

/** Nova's task states (`nova/compute/task_states.py`) that mean a transition is under way. */
const TASK_STATE: Readonly<Record<string, NodeState>> = {
  'powering-off': 'stopping',
  'powering-on': 'pending',
  deleting: 'terminating',
  rebooting: 'rebooting',
  reboot_pending: 'rebooting',
  reboot_started: 'rebooting',
  rebooting_hard: 'rebooting',
  reboot_pending_hard: 'rebooting',
  reboot_started_hard: 'rebooting',
  scheduling: 'pending',
  spawning: 'pending',
  networking: 'pending',
  block_device_mapping: 'pending',
};

/** The node state of a server: a transition in progress (task state) wins over the status. */
export function mapServerState(server: NovaServer): { state: NodeState; rawState: string } {
  const status = (server.status ?? 'UNKNOWN').toUpperCase();
  const task = server['OS-EXT-STS:task_state'] ?? undefined;
  const fromTask = task ? TASK_STATE[task] : undefined;
  return { state: fromTask ?? STATUS[status] ?? 'unknown', rawState: task ? `${status}(${task})` : status };
}

/** Maps a server to a node of `region`. */
export function mapServerToNode(
  server: NovaServer,
  region: string,
  facts: OpenStackRegionFacts | undefined,
  price: Price | null,
): Node<NovaServer> {
  const { state, rawState } = mapServerState(server);
  const zone = server['OS-EXT-AZ:availability_zone'] || undefined;
  const publicIps: string[] = [];
  const privateIps: string[] = [];
  for (const addresses of Object.values(server.addresses ?? {})) {
    for (const address of addresses) {
      if (!address.addr) continue;
      const floating = address['OS-EXT-IPS:type'] === 'floating';
      (floating || !isPrivate(address.addr) ? publicIps : privateIps).push(address.addr);
    }
  }
  const created = server.created ? new Date(server.created) : null;
  return {
    id: server.id,
    name: server.name ?? '',
    provider: 'openstack',
    state,
    rawState,
    location: { id: zone ?? region, region, ...(zone ? { zone } : {}), country: facts?.country ?? null },
    sizeId: server.flavor?.id ?? null,
    imageId: typeof server.image === 'object' ? (server.image.id ?? null) : null,
    publicIps,
    privateIps,
    tags: Object.fromEntries(Object.entries(server.metadata ?? {}).filter(([key]) => key !== IDEMPOTENCY_KEY_METADATA)),
    createdAt: created && !Number.isNaN(created.getTime()) ? created : null,
    price,
    raw: server,
  };
}

function isPrivate(address: string): boolean {
  return /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|fd|fe80:|127\.)/i.test(address);
}

/** Maps a flavor. */
export function mapFlavor(flavor: NovaFlavor, region: string, price: Price | null): Size {
  return {
    id: flavor.id,
    name: flavor.name ?? flavor.id,
    provider: 'openstack',
    vcpus: flavor.vcpus ?? 0,
    memoryGiB: Math.round(((flavor.ram ?? 0) / 1024) * 100) / 100,
    ...(flavor.disk ? { diskGiB: flavor.disk } : {}),
    price,
    priceLocation: region,
  };
}

const DISTROS = [
  'ubuntu',
  'debian',
  'centos',
  'rocky',
  'almalinux',
  'fedora',
  'rhel',
  'opensuse',
  'sles',
  'alpine',
  'arch',
  'freebsd',
  'windows',
];

/** The OS of an image: its `os_distro`/`os_version` properties, else read from its name (`Ubuntu 24.04`, `debian-12`). */
export function imageOs(image: GlanceImage): { family: string; version: string } | undefined {
  if (image.os_distro && image.os_version) return { family: image.os_distro.toLowerCase(), version: image.os_version };
  const name = (image.name ?? '').toLowerCase();
  const family = DISTROS.find((distro) => name.includes(distro)) ?? image.os_distro?.toLowerCase();
  const version = image.os_version ?? /(\d+(?:\.\d+)?)/.exec(name)?.[1];
  return family && version ? { family, version } : undefined;
}

/** Maps an image. */
export function mapImage(image: GlanceImage): Image {
  const os = imageOs(image);
  const arch =
    image.architecture === 'aarch64' || image.architecture === 'arm64' ? 'arm64' : image.architecture === 'x86_64' ? 'x86_64' : undefined;
  const created = image.created_at ? new Date(image.created_at) : undefined;
  return {
    id: image.id,
    name: image.name ?? image.id,
    provider: 'openstack',
    ...(os ? { os } : {}),
    ...(arch ? { arch } : {}),
    ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created } : {}),
  };
}

/** A zone (or, with no zones, the region itself) as a location. */
export function mapLocation(id: string, kind: 'region' | 'zone', region: string, facts: OpenStackRegionFacts | undefined): Location {
  return {
    id,
    name: kind === 'zone' ? `${region} / ${id}` : region,
    provider: 'openstack',
    kind,
    region,
    country: facts?.country ?? 'ZZ',
    ...(facts ? { city: facts.city, continent: facts.continent } : {}),
  };
}
