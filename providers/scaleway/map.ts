/**
 * Pure mappers: Scaleway objects → polycloud types. Node ids are Scaleway's zoned ids
 * (`fr-par-1/<uuid>`, as scaleway-cli and Terraform write them): the zone is in every path.
 *
 * Tags: Scaleway tags are plain strings; polycloud's `{ key: value }` tags are stored as
 * `key=value` and read back by splitting at the first `=`. polycloud's own marker tags (the
 * idempotency tag, SSH-key marks) are left out of `Node.tags`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { isKeyMarkTag, makePrice, type Arch, type Image, type Node, type NodeState, type Size } from '../../src/kit.js';
import type { ScalewayLocalImage, ScalewayMarketplaceImage, ScalewayServer, ScalewayServerType } from './api.js';
import { regionOfZone, SCALEWAY_ZONES } from './zones.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A Scaleway resource UUID. */
export const UUID_PATTERN = new RegExp(`^${UUID}$`);
/** A zoned node id: `fr-par-1/<uuid>`, in a zone Scaleway documents (so no request goes to a zone that cannot exist). */
export const NODE_ID_PATTERN = new RegExp(`^(?:${Object.keys(SCALEWAY_ZONES).join('|')})/${UUID}$`);

/** Prefix of the tag marking a server with the idempotency key it was created with. */
export const IDEMPOTENCY_TAG_PREFIX = 'polycloud-idempotency=';

/** The idempotency tag of a key: a hash, because keys may hold characters tags should not. */
export function idempotencyTag(key: string): string {
  return `${IDEMPOTENCY_TAG_PREFIX}${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** `fr-par-1/<uuid>` → its zone and server id. */
export function splitNodeId(id: string): { zone: string; serverId: string } {
  const slash = id.indexOf('/');
  return { zone: id.slice(0, slash), serverId: id.slice(slash + 1) };
}

/** `{ env: 'prod' }` → `['env=prod']` (an empty value is the bare key). */
export function toScalewayTags(tags: Readonly<Record<string, string>>): string[] {
  return Object.entries(tags).map(([key, value]) => (value === '' ? key : `${key}=${value}`));
}

/** `['env=prod', 'web']` → `{ env: 'prod', web: '' }`, polycloud's marker tags left out. */
export function fromScalewayTags(tags: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags) {
    if (tag.startsWith(IDEMPOTENCY_TAG_PREFIX) || isKeyMarkTag(tag)) continue;
    const equals = tag.indexOf('=');
    if (equals === -1) record[tag] = '';
    else record[tag.slice(0, equals)] = tag.slice(equals + 1);
  }
  return record;
}

/** Scaleway server states → polycloud's. `locked` (Scaleway holds the server) is `unknown`. */
const STATES: Readonly<Record<string, NodeState>> = {
  starting: 'pending',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  'stopped in place': 'stopped',
};

/** `x86_64` / `arm64` (Scaleway also says `arm` for 32-bit ARM, which polycloud has no word for). */
export function toArch(arch: string | undefined): Arch | undefined {
  return arch === 'x86_64' ? 'x86_64' : arch === 'arm64' ? 'arm64' : undefined;
}

/** Hourly (and monthly, where the API gives one) price of a server type: EUR from the API; unknown → `null`. */
export function priceOfType(type: ScalewayServerType | undefined, asOf: string) {
  if (!type) return null;
  return makePrice(type.hourly_price, {
    currency: 'EUR',
    source: 'provider-api',
    asOf,
    ...(typeof type.monthly_price === 'number' ? { monthly: type.monthly_price } : {}),
  });
}

/** A server type of a zone → a polycloud size. */
export function mapServerType(id: string, type: ScalewayServerType, zone: string, asOf: string): Size {
  const arch = toArch(type.arch);
  const maxVolume = type.volumes_constraint?.max_size ?? 0;
  return {
    id,
    name: id,
    provider: 'scaleway',
    vcpus: type.ncpus,
    memoryGiB: type.ram / 1024 ** 3,
    ...(maxVolume > 0 ? { diskGiB: Math.round(maxVolume / 1e9) } : {}),
    ...(type.gpu ? { gpus: type.gpu } : {}),
    ...(arch ? { arch } : {}),
    // Shared-vCPU families (Development, Play, Stardust, Basic, Cost-Optimized): Scaleway's own naming.
    sharedCore: /^(DEV1|PLAY2|STARDUST1|BASIC2|COPARM1|START1|VC1)-?/.test(id),
    price: priceOfType(type, asOf),
    priceLocation: zone,
    locations: [zone],
  };
}

/** A server → a polycloud node, priced from the zone's server types when they are known. */
export function mapServer(server: ScalewayServer, type: ScalewayServerType | undefined, asOf: string): Node<ScalewayServer> {
  const publicIps = [
    ...(server.public_ips ?? []).map((ip) => ip.address),
    ...(server.public_ip?.address ? [server.public_ip.address] : []),
  ];
  const created = server.creation_date ? new Date(server.creation_date) : null;
  return {
    id: `${server.zone}/${server.id}`,
    name: server.name,
    provider: 'scaleway',
    state: STATES[server.state] ?? 'unknown',
    rawState: server.state,
    location: {
      id: server.zone,
      region: regionOfZone(server.zone),
      zone: server.zone,
      country: SCALEWAY_ZONES[server.zone]?.country ?? 'ZZ',
    },
    sizeId: server.commercial_type,
    imageId: server.image?.id ?? '',
    publicIps: [...new Set(publicIps)],
    privateIps: server.private_ip ? [server.private_ip] : [],
    tags: fromScalewayTags(server.tags ?? []),
    createdAt: created && !Number.isNaN(created.getTime()) ? created : null,
    price: priceOfType(type, asOf),
    raw: server,
  };
}

/** OS family and version from a marketplace name (`Ubuntu 24.04 Noble Numbat`, `Debian 12 (Bookworm)`, `Rocky Linux 9`). */
export function osOfName(name: string): { family: string; version: string } | undefined {
  const match = /^(ubuntu|debian|rocky ?linux|almalinux|centos stream|fedora)\s+(\d+(?:\.\d+)?)\b/i.exec(name.trim());
  if (!match) return undefined;
  const family = (match[1] as string).toLowerCase().replace(/\s+/g, '');
  return { family: family === 'centosstream' ? 'centos' : family, version: match[2] as string };
}

/** A local image (one label, arch and zone) → a polycloud image, named and dated by its marketplace entry. */
export function mapLocalImage(local: ScalewayLocalImage, entry: ScalewayMarketplaceImage | undefined): Image {
  const arch = toArch(local.arch);
  const os = entry ? osOfName(entry.name) : undefined;
  const updated = entry?.updated_at ? new Date(entry.updated_at) : undefined;
  return {
    id: local.id,
    name: `${entry?.name ?? local.label} (${local.arch})`,
    provider: 'scaleway',
    ...(os ? { os } : {}),
    ...(arch ? { arch } : {}),
    location: local.zone,
    ...(updated && !Number.isNaN(updated.getTime()) ? { createdAt: updated } : {}),
  };
}
