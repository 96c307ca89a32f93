/**
 * Pure mappers from DigitalOcean API objects to polycloud's types: droplet statuses, units
 * (memory MB → GiB), prices, regions, images and tags.
 *
 * Tags: DigitalOcean tags are plain strings (`[A-Za-z0-9_:-]`). polycloud's `{ key: value }` tags
 * are stored as `key:value`, and read back by splitting at the first `:`; a tag without a colon
 * (`web`) reads as `{ web: '' }`, and `{ web: '' }` is written as `web`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { isKeyMarkTag, type Arch, type Image, type Location, type Node, type NodeState, type Price, type Size } from '../../src/kit.js';
import type { DoDroplet, DoImage, DoRegion, DoSize } from './api.js';
import { regionFacts } from './regions.js';

/** Every droplet status the API documents, as a `NodeState`. */
export const DO_STATE_MAP: Readonly<Record<string, NodeState>> = {
  new: 'pending',
  active: 'running',
  off: 'stopped',
  archive: 'terminated',
};

/** The state of a droplet status; `unknown` for a status the API does not document. */
export function mapDropletStatus(status: string): NodeState {
  return DO_STATE_MAP[status] ?? 'unknown';
}

/** Prefix of the tag that marks a droplet with the idempotency key it was created with. */
export const IDEMPOTENCY_TAG_PREFIX = 'polycloud-idempotency:';

/** The tag for an idempotency key: a hash, because keys may hold characters tags may not. */
export function idempotencyTag(key: string): string {
  return `${IDEMPOTENCY_TAG_PREFIX}${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** What a DigitalOcean tag may look like. */
export const DO_TAG_PATTERN = /^[A-Za-z0-9_:-]+$/;

/** `{ env: 'prod', web: '' }` → `['env:prod', 'web']`. */
export function toDoTags(tags: Readonly<Record<string, string>>): string[] {
  return Object.entries(tags).map(([key, value]) => (value === '' ? key : `${key}:${value}`));
}

/** `['env:prod', 'web']` → `{ env: 'prod', web: '' }`; polycloud's own idempotency and key tags are left out. */
export function fromDoTags(tags: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags) {
    if (tag.startsWith(IDEMPOTENCY_TAG_PREFIX) || isKeyMarkTag(tag)) continue;
    const colon = tag.indexOf(':');
    if (colon === -1) record[tag] = '';
    else record[tag.slice(0, colon)] = tag.slice(colon + 1);
  }
  return record;
}

/** A size's price: DigitalOcean prices are per size, the same in every region, in USD. */
export function mapPrice(size: Pick<DoSize, 'price_hourly' | 'price_monthly'> | undefined, asOf: string): Price | null {
  if (!size || !(size.price_hourly > 0) || !(size.price_monthly > 0)) return null;
  return { hourly: size.price_hourly, monthly: size.price_monthly, currency: 'USD', source: 'provider-api', asOf };
}

export function mapSize(size: DoSize, asOf: string, location?: string): Size {
  const gpus = size.gpu_info?.count ?? (size.slug.startsWith('gpu-') ? 1 : 0);
  return {
    id: size.slug,
    name: size.description ? `${size.description} ${size.slug}` : size.slug,
    provider: 'digitalocean',
    vcpus: size.vcpus,
    memoryGiB: size.memory / 1024,
    diskGiB: size.disk,
    arch: 'x86_64',
    ...(gpus > 0 ? { gpus } : {}),
    // Basic droplets (`s-…`) share their CPUs; the other families have dedicated ones.
    ...(size.slug.startsWith('s-') ? { sharedCore: true } : {}),
    price: mapPrice(size, asOf),
    ...(location ? { priceLocation: location } : {}),
    locations: [...size.regions],
  };
}

/** A region as a location; `undefined` for a region missing from the facts table. */
export function mapRegion(region: DoRegion): Location | undefined {
  const facts = regionFacts(region.slug);
  if (!facts) return undefined;
  return {
    id: region.slug,
    name: region.name,
    provider: 'digitalocean',
    kind: 'region',
    region: region.slug,
    country: facts.country,
    city: facts.city,
    continent: facts.continent,
  };
}

/** OS family and version of a distribution image: `Ubuntu` + `24.04 (LTS) x64` → ubuntu 24.04. */
export function imageOs(image: DoImage): { family: string; version: string } | undefined {
  if (!image.distribution) return undefined;
  const family = image.distribution.trim().toLowerCase().replace(/\s+/g, '-');
  const fromName = /^v?(\d+(?:\.\d+)*)/.exec(image.name.trim())?.[1];
  const fromSlug = image.slug ? /-(\d+(?:-\d+)*)-x64$/.exec(image.slug)?.[1]?.replace(/-/g, '.') : undefined;
  const version = fromName ?? fromSlug;
  return version ? { family, version } : undefined;
}

function imageArch(image: DoImage): Arch {
  return /arm64|aarch64/i.test(`${image.slug ?? ''} ${image.name}`) ? 'arm64' : 'x86_64';
}

export function mapImage(image: DoImage): Image {
  const os = imageOs(image);
  return {
    id: image.slug ?? String(image.id),
    name: image.distribution ? `${image.distribution} ${image.name}` : image.name,
    provider: 'digitalocean',
    ...(os ? { os } : {}),
    arch: imageArch(image),
    ...(image.created_at ? { createdAt: new Date(image.created_at) } : {}),
  };
}

export function mapDroplet(droplet: DoDroplet, asOf: string): Node<DoDroplet> {
  const v4 = droplet.networks?.v4 ?? [];
  const v6 = droplet.networks?.v6 ?? [];
  const created = droplet.created_at ? new Date(droplet.created_at) : null;
  return {
    id: String(droplet.id),
    name: droplet.name,
    provider: 'digitalocean',
    state: mapDropletStatus(droplet.status),
    rawState: droplet.status,
    location: { id: droplet.region.slug, region: droplet.region.slug, country: regionFacts(droplet.region.slug)?.country ?? null },
    sizeId: droplet.size_slug ?? droplet.size?.slug ?? null,
    imageId: droplet.image?.slug ?? (droplet.image?.id === undefined ? null : String(droplet.image.id)),
    publicIps: [...v4.filter((net) => net.type === 'public'), ...v6.filter((net) => net.type === 'public')].map((net) => net.ip_address),
    privateIps: v4.filter((net) => net.type === 'private').map((net) => net.ip_address),
    tags: fromDoTags(droplet.tags ?? []),
    createdAt: created && !Number.isNaN(created.getTime()) ? created : null,
    price: mapPrice(droplet.size, asOf),
    raw: droplet,
  };
}

/** The fetch date as `Price.asOf`. */
export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
