/**
 * Pure mappers from Linode API objects to polycloud's types, and the instance status map.
 *
 * @module
 */
import {
  idPattern,
  type Continent,
  type Image,
  type IdPattern,
  type Location,
  type Node,
  type NodeState,
  type Price,
  type Size,
} from '../../src/kit.js';
import type { LinodeImage, LinodeInstance, LinodePrice, LinodeRegion, LinodeStatus, LinodeType } from './api.js';
import { decodeTags } from './tags.js';

/** Every status Linode reports, mapped. Passing states that end in a running instance are `pending`. */
const STATE_MAP: Readonly<Record<LinodeStatus, NodeState>> = {
  provisioning: 'pending',
  booting: 'pending',
  running: 'running',
  rebooting: 'rebooting',
  shutting_down: 'stopping',
  offline: 'stopped',
  stopped: 'stopped',
  deleting: 'terminating',
  migrating: 'pending',
  rebuilding: 'pending',
  cloning: 'pending',
  restoring: 'pending',
  // Powered off by Linode until the account is settled; it does not start by itself.
  billing_suspension: 'stopped',
};

/** Linode's instance status as a {@link NodeState}; a status this driver does not know is `unknown`. */
export function mapInstanceStatus(status: string): NodeState {
  return STATE_MAP[status as LinodeStatus] ?? 'unknown';
}

const CONTINENTS: Readonly<Record<string, Continent>> = {
  US: 'North America',
  CA: 'North America',
  GB: 'Europe',
  DE: 'Europe',
  FR: 'Europe',
  NL: 'Europe',
  SE: 'Europe',
  IT: 'Europe',
  ES: 'Europe',
  JP: 'Asia',
  SG: 'Asia',
  IN: 'Asia',
  ID: 'Asia',
  AU: 'Oceania',
  BR: 'South America',
};

/** The city in a region label such as `Newark, NJ` or `Tokyo 2, JP`. */
export function cityOf(label: string): string | undefined {
  const city = (label.split(',')[0] ?? '').replace(/\s+\d+$/, '').trim();
  return city === '' ? undefined : city;
}

/** A region as a polycloud {@link Location}: country upper-cased, city from the label. */
export function mapRegion(region: LinodeRegion): Location {
  const country = region.country.toUpperCase();
  const city = cityOf(region.label);
  const continent = CONTINENTS[country];
  return {
    id: region.id,
    name: region.label,
    provider: 'linode',
    kind: 'region',
    region: region.id,
    country,
    ...(city ? { city } : {}),
    ...(continent ? { continent } : {}),
  };
}

function toPrice(price: LinodePrice | undefined, asOf: string): Price | null {
  const hourly = price?.hourly;
  if (typeof hourly !== 'number' || !(hourly > 0)) return null;
  const monthly = typeof price?.monthly === 'number' && price.monthly > 0 ? price.monthly : Math.round(hourly * 730 * 100) / 100;
  return { hourly, monthly, currency: 'USD', source: 'provider-api', asOf };
}

/** The price of a type in a region: its `region_prices` entry where there is one, else its base price. */
export function typePriceIn(type: Pick<LinodeType, 'price' | 'region_prices'>, region: string, asOf: string): Price | null {
  const regional = type.region_prices?.find((entry) => entry.id === region);
  return toPrice(regional ?? type.price, asOf);
}

/** MB as Linode states them (binary megabytes) → GiB, to two decimals. */
export function mbToGiB(mb: number): number {
  return Math.round((mb / 1024) * 100) / 100;
}

/** A type as a {@link Size}, priced for `region`. */
export function mapType(type: LinodeType, region: string, asOf: string): Size {
  return {
    id: type.id,
    name: type.label,
    provider: 'linode',
    vcpus: type.vcpus,
    memoryGiB: mbToGiB(type.memory),
    diskGiB: mbToGiB(type.disk),
    ...(type.gpus > 0 ? { gpus: type.gpus } : {}),
    // Every Linode plan runs on x86-64.
    arch: 'x86_64',
    ...(type.class === 'nanode' || type.class === 'standard' ? { sharedCore: true } : {}),
    price: typePriceIn(type, region, asOf),
    priceLocation: region,
  };
}

/** OS family and version of a public distribution image, from its vendor and id (`linode/ubuntu24.04`). */
export function imageOs(image: Pick<LinodeImage, 'id' | 'vendor'>): { family: string; version: string } | undefined {
  if (!image.vendor) return undefined;
  const version = /(\d+(?:\.\d+)*)$/.exec(image.id)?.[1];
  if (!version) return undefined;
  return { family: image.vendor.toLowerCase().replace(/\s+/g, ''), version };
}

/**
 * What a Linode image id looks like: Linode's own `linode/<name>` (a public image, `linode/ubuntu24.04`)
 * or `private/<id>` (an account's own), or one of the aliases {@link fromImageId} accepts
 * (`linode:ubuntu24.04`, `private:12345`, `ubuntu24.04`). No other owner exists, so `a/b` is malformed.
 */
export const LINODE_IMAGE_ID: IdPattern = idPattern(
  /^(?:(?:linode|private)[/:])?[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/,
  'a Linode image id such as linode/ubuntu24.04 or private/12345',
);

/**
 * polycloud's id for a Linode image: Linode's own id, as is (`linode/ubuntu24.04`,
 * `private/12345`). The driver declares image ids as two path segments ({@link LINODE_IMAGE_ID}).
 */
export function toImageId(linodeId: string): string {
  return linodeId;
}

/**
 * Linode's id for an image id given to polycloud: Linode's own id as is (`linode/ubuntu24.04`);
 * the older polycloud form with `:` for the `/` (`linode:ubuntu24.04`) and a bare public image
 * name (`ubuntu24.04`) are accepted as aliases.
 */
export function fromImageId(id: string): string {
  if (id.includes('/')) return id;
  return id.includes(':') ? id.replace(':', '/') : `linode/${id}`;
}

/** An image as an {@link Image}, with Linode's own id. */
export function mapImage(image: LinodeImage): Image {
  const os = imageOs(image);
  const createdAt = parseLinodeTime(image.created);
  return {
    id: toImageId(image.id),
    name: image.label,
    provider: 'linode',
    ...(os ? { os } : {}),
    arch: 'x86_64',
    ...(createdAt ? { createdAt } : {}),
  };
}

/** Linode times are UTC without a zone designator (`2026-01-01T00:01:01`). */
export function parseLinodeTime(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Whether an IPv4 address is private (RFC 1918; Linode's private addresses are in 192.168.128.0/17). */
export function isPrivateIpv4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return a === 10 || (a === 172 && b !== undefined && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** An instance as a {@link Node}; `regions` and `types` give its country and price. */
export function mapInstance(
  instance: LinodeInstance,
  regions: ReadonlyMap<string, LinodeRegion>,
  types: ReadonlyMap<string, LinodeType>,
  asOf: string,
): Node<LinodeInstance> {
  const type = instance.type === null ? undefined : types.get(instance.type);
  const ipv6 = instance.ipv6?.split('/')[0];
  return {
    id: String(instance.id),
    name: instance.label,
    provider: 'linode',
    state: mapInstanceStatus(instance.status),
    rawState: instance.status,
    location: { id: instance.region, region: instance.region, country: regions.get(instance.region)?.country.toUpperCase() ?? null },
    sizeId: instance.type,
    imageId: instance.image === null ? null : toImageId(instance.image),
    publicIps: [...(instance.ipv4 ?? []).filter((ip) => !isPrivateIpv4(ip)), ...(ipv6 ? [ipv6] : [])],
    privateIps: (instance.ipv4 ?? []).filter(isPrivateIpv4),
    tags: decodeTags(instance.tags ?? []),
    createdAt: parseLinodeTime(instance.created),
    price: type ? typePriceIn(type, instance.region, asOf) : null,
    raw: instance,
  };
}
