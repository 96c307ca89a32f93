/**
 * Pure functions from Compute Engine JSON to polycloud's types: node ids, the state map,
 * instances, machine types, zones, regions and images, and list filters.
 *
 * @module
 */
import { type Arch, type Image, type Location, type Node, type NodeState, type Price, type Size } from '../../src/kit.js';
import { GCE_REGIONS } from './regions.js';
import type { GceImage, GceInstance, GceMachineType, GceRegion, GceZone } from './types.js';

/** Looks up the hourly price of a machine type in a region; `null` when unknown. */
export type PriceLookup = (machineType: string, region: string) => Price | null;

/**
 * Compute instances are named per zone, so a node id is `<zone>.<name>`: neither part can hold a
 * dot, the id is safe in paths and URLs, and it resolves to one instance without a lookup.
 */
export const NODE_ID_PATTERN = {
  pattern: /^[a-z][a-z0-9-]{0,62}\.[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/,
  description: '"<zone>.<instance name>", e.g. "us-central1-a.web-1"',
} as const;

/** Instance names: RFC 1035 labels, 1-63 characters. */
export const INSTANCE_NAME_PATTERN = {
  pattern: /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/,
  description: "lower-case letters, digits and '-', starting with a letter and not ending with '-' (RFC 1035)",
} as const;

/** Builds the node id of an instance. */
export function nodeIdOf(zone: string, name: string): string {
  return `${zone}.${name}`;
}

/** Splits a node id into zone and instance name. The id has been checked against {@link NODE_ID_PATTERN}. */
export function parseNodeId(id: string): { readonly zone: string; readonly name: string } {
  const dot = id.indexOf('.');
  return { zone: id.slice(0, dot), name: id.slice(dot + 1) };
}

/** The last path segment of a Compute resource URL (or the string itself). */
export function lastSegment(url: string | null | undefined): string {
  if (!url) return '';
  const parts = url.split('/');
  return parts[parts.length - 1] ?? '';
}

/** The region of a zone: `us-central1-a` → `us-central1`. */
export function regionOfZone(zone: string): string {
  return zone.replace(/-[a-z]$/, '');
}

/** Whether a location id names a zone (`us-central1-a`) rather than a region (`us-central1`). */
export function isZoneId(location: string): boolean {
  return /-[a-z]$/.test(location);
}

/**
 * Every Compute instance status onto polycloud's states. `TERMINATED` is Compute's word for a
 * stopped instance (its disks remain); a deleted instance does not exist any more (404).
 */
export const STATE_MAP: Readonly<Record<string, NodeState>> = {
  PENDING: 'pending',
  PROVISIONING: 'pending',
  STAGING: 'pending',
  RUNNING: 'running',
  PENDING_STOP: 'stopping',
  STOPPING: 'stopping',
  SUSPENDING: 'stopping',
  DEPROVISIONING: 'stopping',
  STOPPED: 'stopped',
  SUSPENDED: 'stopped',
  TERMINATED: 'stopped',
  // Compute is repairing the instance after a host failure; it returns to RUNNING by itself.
  REPAIRING: 'pending',
};

export function mapInstanceState(status: string | null | undefined): NodeState {
  return (status && STATE_MAP[status]) || 'unknown';
}

/** Compute statuses per polycloud state, for pushing a state filter to the API. */
export function statusesFor(states: readonly NodeState[]): string[] {
  return Object.entries(STATE_MAP)
    .filter(([, state]) => states.includes(state))
    .map(([status]) => status);
}

/** Compute label rules: keys start with a lower-case letter; keys and values hold lower-case letters, digits, `_` and `-`. */
export const LABEL_KEY_PATTERN = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
export const LABEL_VALUE_PATTERN = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

/**
 * A Compute list filter for labels and statuses in the regular-expression syntax, whose
 * parenthesised expressions are ANDed: `(labels.env eq "prod") (status eq "STOPPED|SUSPENDED|TERMINATED")`.
 * (The AIP-160 syntax has no documented way to OR inside an AND, and the two cannot be mixed.)
 * `undefined` when there is nothing to push; `null` when nothing can match (states without a
 * Compute status, or a tag no Compute label can carry).
 */
export function buildInstanceFilter(
  tags: Readonly<Record<string, string>> | undefined,
  states: readonly NodeState[] | undefined,
): string | undefined | null {
  const expressions: string[] = [];
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (!LABEL_KEY_PATTERN.test(key) || !LABEL_VALUE_PATTERN.test(value)) return null;
    // Label keys and values hold no regular-expression metacharacters, so they match literally.
    expressions.push(`(labels.${key} eq "${value}")`);
  }
  if (states) {
    const statuses = statusesFor(states);
    if (statuses.length === 0) return null;
    expressions.push(`(status eq "${statuses.join('|')}")`);
  }
  return expressions.length === 0 ? undefined : expressions.join(' ');
}

/** Architecture from Compute's `X86_64` / `ARM64`. */
export function mapArchitecture(value: string | null | undefined): Arch | undefined {
  if (value === 'X86_64') return 'x86_64';
  if (value === 'ARM64') return 'arm64';
  return undefined;
}

function ipsOf(instance: GceInstance): { publicIps: string[]; privateIps: string[] } {
  const publicIps: string[] = [];
  const privateIps: string[] = [];
  for (const nic of instance.networkInterfaces ?? []) {
    if (nic.networkIP) privateIps.push(nic.networkIP);
    if (nic.ipv6Address) privateIps.push(nic.ipv6Address);
    for (const access of nic.accessConfigs ?? []) if (access.natIP) publicIps.push(access.natIP);
    for (const access of nic.ipv6AccessConfigs ?? []) if (access.externalIpv6) publicIps.push(access.externalIpv6);
  }
  return { publicIps, privateIps };
}

/** Maps an instance to a node. */
export function mapInstanceToNode(instance: GceInstance, priceOf: PriceLookup): Node<GceInstance> {
  const zone = lastSegment(instance.zone);
  const region = regionOfZone(zone);
  const name = instance.name ?? '';
  const sizeId = instance.machineType ? lastSegment(instance.machineType) : null;
  const created = instance.creationTimestamp ? new Date(instance.creationTimestamp) : null;
  return {
    id: nodeIdOf(zone, name),
    name,
    provider: 'gce',
    state: mapInstanceState(instance.status),
    rawState: instance.status ?? '',
    location: { id: zone, region, zone, country: GCE_REGIONS.facts(region)?.country ?? null },
    sizeId,
    // Compute keeps the source image on the boot disk, not on the instance.
    imageId: null,
    ...ipsOf(instance),
    tags: { ...instance.labels },
    createdAt: created && !Number.isNaN(created.getTime()) ? created : null,
    price: sizeId ? priceOf(sizeId, region) : null,
    raw: instance,
  };
}

/** Maps a machine type to a size priced for `region`. */
export function mapMachineType(machineType: GceMachineType, region: string, priceOf: PriceLookup): Size {
  const id = machineType.name ?? '';
  const gpus = (machineType.accelerators ?? []).reduce((sum, accelerator) => sum + (accelerator.guestAcceleratorCount ?? 0), 0);
  const arch = mapArchitecture(machineType.architecture) ?? (/^(t2a|c4a|n4a)-/.test(id) ? 'arm64' : 'x86_64');
  return {
    id,
    name: machineType.description ?? id,
    provider: 'gce',
    vcpus: machineType.guestCpus ?? 0,
    memoryGiB: Math.round(((machineType.memoryMb ?? 0) / 1024) * 100) / 100,
    arch,
    ...(gpus > 0 ? { gpus } : {}),
    ...(machineType.isSharedCpu ? { sharedCore: true } : {}),
    price: priceOf(id, region),
    priceLocation: machineType.zone ? lastSegment(machineType.zone) : region,
    ...(machineType.zone ? { locations: [lastSegment(machineType.zone)] } : {}),
  };
}

/** Country used when polycloud has no facts for a region (CLDR's "unknown region"). */
export const UNKNOWN_COUNTRY = 'ZZ';

/** Maps a region to a location. */
export function mapRegion(region: GceRegion): Location {
  const id = region.name ?? '';
  const facts = GCE_REGIONS.facts(id);
  return {
    id,
    name: facts ? `${id} (${facts.city})` : id,
    provider: 'gce',
    kind: 'region',
    region: id,
    country: facts?.country ?? UNKNOWN_COUNTRY,
    ...(facts ? { city: facts.city, continent: facts.continent } : {}),
  };
}

/** Maps a zone to a location. */
export function mapZone(zone: GceZone): Location {
  const id = zone.name ?? '';
  const region = zone.region ? lastSegment(zone.region) : regionOfZone(id);
  const facts = GCE_REGIONS.facts(region);
  return {
    id,
    name: facts ? `${id} (${facts.city})` : id,
    provider: 'gce',
    kind: 'zone',
    region,
    country: facts?.country ?? UNKNOWN_COUNTRY,
    ...(facts ? { city: facts.city, continent: facts.continent } : {}),
  };
}

/** OS family and version from an image family name: `ubuntu-2404-lts-amd64` → ubuntu 24.04, `debian-12-arm64` → debian 12. */
export function osOfFamily(family: string): { family: string; version: string } | undefined {
  const ubuntu = /^ubuntu-(?:minimal-|pro-)?(\d{2})(\d{2})(?:-|$)/.exec(family);
  if (ubuntu) return { family: 'ubuntu', version: `${ubuntu[1]}.${ubuntu[2]}` };
  const debian = /^debian-(\d+)(?:-|$)/.exec(family);
  if (debian?.[1]) return { family: 'debian', version: debian[1] };
  const other = /^([a-z]+)-(\d+(?:-\d+)?)(?:-|$)/.exec(family);
  if (other?.[1] && other[2]) return { family: other[1], version: other[2].replace('-', '.') };
  return undefined;
}

/** Whether an image is current: not deprecated, obsolete or deleted, and ready. */
export function isCurrentImage(image: GceImage): boolean {
  const state = image.deprecated?.state;
  return (!state || state === 'ACTIVE') && (!image.status || image.status === 'READY');
}

/** A project id, with the optional domain prefix of older projects (`example.com:my-project`). */
const PROJECT = '[a-z][-a-z0-9.:]*[a-z0-9]';
/** An image or family name: an RFC 1035 label. */
const IMAGE_NAME = '[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?';
/** The API prefix of a Compute self-link. */
const SELF_LINK_PREFIX = 'https://(?:www|compute)\\.googleapis\\.com/compute/(?:v1|beta|alpha)/';
const IMAGE_PATH = new RegExp(`^(?:${SELF_LINK_PREFIX})?projects/(${PROJECT})/global/images/(family/)?(${IMAGE_NAME})$`);
const IMAGE_ALIAS = new RegExp(`^(${PROJECT}):(${IMAGE_NAME})$`);

/**
 * What a Compute image reference looks like: the path every Google guide uses
 * (`projects/debian-cloud/global/images/family/debian-12`, or `…/images/<name>` for one image),
 * its full self-link (`https://compute.googleapis.com/compute/v1/projects/…`), or polycloud's
 * older alias `<project>:<family or name>`.
 */
export const IMAGE_ID_PATTERN = {
  pattern: new RegExp(`${IMAGE_PATH.source}|${IMAGE_ALIAS.source}`),
  description:
    'a Compute image path such as "projects/debian-cloud/global/images/family/debian-12", its self-link, or "<project>:<family>"',
} as const;

/** The id of an image family in a project: its Compute path, `projects/<project>/global/images/family/<family>`. */
export function imageIdOf(project: string, family: string): string {
  return `projects/${project}/global/images/family/${family}`;
}

/** A parsed image reference: the project, the family or image name, and which of the two (`undefined` for the alias, which may be either). */
export interface ParsedImageId {
  readonly project: string;
  readonly name: string;
  readonly family: boolean | undefined;
}

/** Parses an image path, self-link or `<project>:<name>` alias; `undefined` when the id has another shape. */
export function parseImageId(id: string): ParsedImageId | undefined {
  const path = IMAGE_PATH.exec(id);
  if (path?.[1] && path[3]) return { project: path[1], name: path[3], family: path[2] !== undefined };
  const alias = IMAGE_ALIAS.exec(id);
  return alias?.[1] && alias[2] ? { project: alias[1], name: alias[2], family: undefined } : undefined;
}

/**
 * The images of one project as polycloud images, one per family: the family's newest current
 * image stands for it (a create with the family id boots whatever is newest then). Newest first.
 */
export function mapImageFamilies(project: string, images: readonly GceImage[]): Image[] {
  const newest = new Map<string, GceImage>();
  for (const image of images) {
    if (!image.family || !isCurrentImage(image)) continue;
    const known = newest.get(image.family);
    if (!known || (image.creationTimestamp ?? '') > (known.creationTimestamp ?? '')) newest.set(image.family, image);
  }
  return [...newest.entries()]
    .map(([family, image]): Image => {
      const os = osOfFamily(family);
      const arch = mapArchitecture(image.architecture) ?? (/arm64/.test(family) ? 'arm64' : 'x86_64');
      const created = image.creationTimestamp ? new Date(image.creationTimestamp) : undefined;
      return {
        id: imageIdOf(project, family),
        name: image.description || image.name || family,
        provider: 'gce',
        ...(os ? { os } : {}),
        arch,
        ...(created && !Number.isNaN(created.getTime()) ? { createdAt: created } : {}),
      };
    })
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0) || a.id.localeCompare(b.id));
}
