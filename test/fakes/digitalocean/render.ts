/**
 * The simulator's objects in DigitalOcean's JSON shapes (as documented in its OpenAPI document).
 */
import {
  sizeOfferedIn,
  type SimCatalog,
  type SimImage,
  type SimLocation,
  type SimNode,
  type SimSize,
  type SimState,
} from '../../../src/simulator/index.js';
import { DISTRIBUTION_NAMES } from './catalog.js';

/** Droplet ids are the simulator's hex counter plus this, so they look like DigitalOcean's. */
const DROPLET_ID_BASE = 500_000_000;
const IMAGE_ID_BASE = 190_000_000;

export function dropletIdOf(simId: string): number {
  return DROPLET_ID_BASE + Number.parseInt(simId, 16);
}

/** The simulator id of a droplet id, or `undefined` when it cannot be one of ours. */
export function simIdOf(dropletId: string): string | undefined {
  if (!/^\d+$/.test(dropletId)) return undefined;
  const counter = Number(dropletId) - DROPLET_ID_BASE;
  return counter > 0 && Number.isSafeInteger(counter) ? counter.toString(16).padStart(6, '0') : undefined;
}

/** The droplet status of a simulator state; `undefined` once the droplet is deleted (DigitalOcean answers 404). */
export function dropletStatus(state: SimState): string | undefined {
  switch (state) {
    case 'pending':
      return 'new';
    case 'running':
    case 'rebooting':
    case 'stopping':
      return 'active';
    case 'stopped':
      return 'off';
    default:
      return undefined;
  }
}

const REGION_FEATURES = ['backups', 'ipv6', 'metadata', 'install_agent', 'storage', 'image_transfer'];

export function regionJson(location: SimLocation, catalog: SimCatalog) {
  return {
    slug: location.id,
    name: location.name,
    sizes: catalog.sizes.filter((size) => sizeOfferedIn(size, location.id)).map((size) => size.id),
    available: true,
    features: REGION_FEATURES,
  };
}

export function sizeJson(size: SimSize, catalog: SimCatalog) {
  return {
    slug: size.id,
    memory: Math.round(size.memoryGiB * 1024),
    vcpus: size.vcpus,
    disk: size.diskGiB,
    transfer: Math.max(0.5, size.memoryGiB),
    price_monthly: Math.round(size.hourly * 672 * 100) / 100,
    price_hourly: size.hourly,
    regions: catalog.locations.filter((location) => sizeOfferedIn(size, location.id)).map((location) => location.id),
    available: true,
    description: size.name,
  };
}

export function imageJson(image: SimImage, catalog: SimCatalog) {
  const distribution = DISTRIBUTION_NAMES[image.os.family] ?? image.os.family;
  return {
    id: IMAGE_ID_BASE + catalog.images.indexOf(image),
    name: image.name,
    type: 'base',
    distribution,
    slug: image.id,
    public: true,
    regions: catalog.locations.map((location) => location.id),
    created_at: new Date(image.createdAt).toISOString(),
    min_disk_size: 10,
    size_gigabytes: 2.4,
    description: `${distribution} ${image.name}`,
    tags: [],
    status: 'available',
    error_message: '',
  };
}

/** A droplet as `GET /v2/droplets/{id}` shows it; DigitalOcean tags are the simulator tag keys. */
export function dropletJson(node: SimNode, catalog: SimCatalog, status: string) {
  return {
    id: dropletIdOf(node.id),
    name: node.name,
    memory: Math.round(node.size.memoryGiB * 1024),
    vcpus: node.size.vcpus,
    disk: node.size.diskGiB,
    locked: false,
    status,
    kernel: null,
    created_at: new Date(node.createdAt).toISOString(),
    features: ['private_networking'],
    backup_ids: [],
    next_backup_window: null,
    snapshot_ids: [],
    image: imageJson(node.image, catalog),
    volume_ids: [],
    size: sizeJson(node.size, catalog),
    size_slug: node.size.id,
    networks: {
      v4: [
        { ip_address: node.privateIp, netmask: '255.255.0.0', gateway: '10.0.0.1', type: 'private' },
        { ip_address: node.publicIp, netmask: '255.254.0.0', gateway: '198.18.0.1', type: 'public' },
      ],
      v6: [],
    },
    region: regionJson(node.location, catalog),
    tags: Object.keys(node.tags),
    vpc_uuid: '5a4981aa-9653-4bd1-bef5-d6bff52042e4',
  };
}
