/**
 * Pure mappers from Hetzner Cloud API objects to polycloud's types, and the server status map.
 *
 * @module
 */
import type { Arch, Continent, Image, Location, Node, NodeState, Price, Size } from '../../src/kit.js';
import type { HetznerImage, HetznerLocation, HetznerLocationPrice, HetznerServer, HetznerServerStatus, HetznerServerType } from './api.js';
import { IDEMPOTENCY_LABEL } from './labels.js';

/**
 * Which Hetzner price figure a {@link Price} holds: `net` (without VAT) or `gross` (with the VAT
 * of the account's country, what a customer in that country pays).
 */
export type HetznerPriceBasis = 'net' | 'gross';

/** Every status Hetzner reports, mapped. `migrating` and `rebuilding` are passing states. */
const STATE_MAP: Readonly<Record<HetznerServerStatus, NodeState>> = {
  initializing: 'pending',
  starting: 'pending',
  running: 'running',
  stopping: 'stopping',
  off: 'stopped',
  deleting: 'terminating',
  migrating: 'pending',
  rebuilding: 'pending',
  unknown: 'unknown',
};

/** Hetzner's server status as a {@link NodeState}; a status this driver does not know is `unknown`. */
export function mapServerStatus(status: string): NodeState {
  return STATE_MAP[status as HetznerServerStatus] ?? 'unknown';
}

const CONTINENTS: Readonly<Record<string, Continent>> = { DE: 'Europe', FI: 'Europe', US: 'North America', SG: 'Asia' };

/** Hetzner's `x86` / `arm` as an {@link Arch}. */
export function mapArchitecture(architecture: string | undefined): Arch | undefined {
  if (architecture === 'x86') return 'x86_64';
  if (architecture === 'arm') return 'arm64';
  return undefined;
}

/** polycloud's {@link Arch} as Hetzner's architecture word. */
export function toHetznerArchitecture(arch: Arch): 'x86' | 'arm' {
  return arch === 'arm64' ? 'arm' : 'x86';
}

/** A Hetzner location as a polycloud {@link Location} (country upper-cased, continent where known). */
export function mapLocation(location: HetznerLocation): Location {
  const continent = CONTINENTS[location.country.toUpperCase()];
  return {
    id: location.name,
    name: location.description,
    provider: 'hetzner',
    kind: 'region',
    region: location.name,
    country: location.country.toUpperCase(),
    city: location.city,
    ...(continent ? { continent } : {}),
  };
}

/** Parses one of Hetzner's decimal price strings; `null` for anything that is not a positive number. */
export function parsePriceAmount(value: string | undefined): number | null {
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value.trim())) return null;
  const amount = Number(value);
  return amount > 0 ? amount : null;
}

/**
 * The price of a server type in `locationName`, or `null` when Hetzner does not sell it there or
 * sends no usable figure. Hetzner prices are always in EUR.
 */
export function priceIn(
  serverType: Pick<HetznerServerType, 'prices'>,
  locationName: string,
  basis: HetznerPriceBasis,
  asOf: string,
): Price | null {
  const entry: HetznerLocationPrice | undefined = (serverType.prices ?? []).find((price) => price.location === locationName);
  if (!entry) return null;
  const hourly = parsePriceAmount(entry.price_hourly[basis]);
  if (hourly === null) return null;
  const monthly = parsePriceAmount(entry.price_monthly[basis]) ?? Math.round(hourly * 730 * 100) / 100;
  return { hourly, monthly, currency: 'EUR', source: 'provider-api', asOf };
}

/** A server type as a {@link Size}, priced for `locationName`. */
export function mapServerType(serverType: HetznerServerType, locationName: string, basis: HetznerPriceBasis, asOf: string): Size {
  const arch = mapArchitecture(serverType.architecture);
  return {
    id: serverType.name,
    name: serverType.description || serverType.name,
    provider: 'hetzner',
    vcpus: serverType.cores,
    // Hetzner states memory and disk in "GB" that are binary gigabytes (a cx22 has 4 GiB).
    memoryGiB: serverType.memory,
    diskGiB: serverType.disk,
    ...(arch ? { arch } : {}),
    ...(serverType.cpu_type === 'shared' ? { sharedCore: true } : {}),
    price: priceIn(serverType, locationName, basis, asOf),
    priceLocation: locationName,
    locations: (serverType.prices ?? []).map((price) => price.location),
  };
}

/** The OS family and version of a system image, from `os_flavor` and `os_version`. */
export function imageOs(image: Pick<HetznerImage, 'os_flavor' | 'os_version'>): { family: string; version: string } | undefined {
  if (!image.os_flavor || image.os_flavor === 'unknown' || !image.os_version) return undefined;
  return { family: image.os_flavor.toLowerCase(), version: image.os_version };
}

/** A system image as an {@link Image}. */
export function mapImage(image: HetznerImage): Image {
  const os = imageOs(image);
  const arch = mapArchitecture(image.architecture);
  return {
    // The numeric id: Hetzner gives x86 and arm images the same name (`ubuntu-24.04`).
    id: String(image.id),
    name: image.name ?? image.description,
    provider: 'hetzner',
    ...(os ? { os } : {}),
    ...(arch ? { arch } : {}),
    createdAt: new Date(image.created),
  };
}

/** A server's labels without the ones polycloud keeps for itself. */
export function userLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const { [IDEMPOTENCY_LABEL]: _idempotency, ...rest } = labels;
  return rest;
}

/** A server as a {@link Node}, priced for the location it runs in. */
export function mapServer(server: HetznerServer, basis: HetznerPriceBasis, asOf: string): Node<HetznerServer> {
  const location = server.location ?? server.datacenter?.location;
  const locationName = location?.name ?? 'unknown';
  const created = new Date(server.created);
  return {
    id: String(server.id),
    name: server.name,
    provider: 'hetzner',
    state: mapServerStatus(server.status),
    rawState: server.status,
    location: { id: locationName, region: locationName, country: location?.country ? location.country.toUpperCase() : null },
    sizeId: server.server_type?.name ?? null,
    imageId: server.image ? String(server.image.id) : null,
    // Hetzner assigns a whole IPv6 /64 network rather than one address, so only IPv4 is listed.
    publicIps: server.public_net?.ipv4 ? [server.public_net.ipv4.ip] : [],
    privateIps: (server.private_net ?? []).map((network) => network.ip).filter((ip): ip is string => typeof ip === 'string'),
    tags: userLabels(server.labels ?? {}),
    createdAt: Number.isNaN(created.getTime()) ? null : created,
    price: server.server_type ? priceIn(server.server_type, locationName, basis, asOf) : null,
    raw: server,
  };
}

/** Hetzner statuses per polycloud state; a status filter is sent only when it is exactly one status. */
export function singleStatus(states: readonly NodeState[] | undefined): HetznerServerStatus | undefined {
  if (!states) return undefined;
  const wanted = (Object.keys(STATE_MAP) as HetznerServerStatus[]).filter((status) => states.includes(mapServerStatus(status)));
  return wanted.length === 1 ? wanted[0] : undefined;
}

/** Whether a server is what a create request would make (size and location by name or numeric id). */
export function sameServer(
  server: HetznerServer,
  request: { readonly name: string; readonly sizeId: string; readonly locationId: string },
): boolean {
  const location = server.location ?? server.datacenter?.location;
  return (
    server.name === request.name &&
    [server.server_type?.name, String(server.server_type?.id)].includes(request.sizeId) &&
    [location?.name, String(location?.id)].includes(request.locationId)
  );
}
