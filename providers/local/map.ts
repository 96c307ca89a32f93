/**
 * Pure mappers from the simulator's objects to polycloud's types.
 *
 * @module
 */
import {
  simPrice,
  type SimCatalog,
  type SimImage,
  type SimLocation,
  type SimNode,
  type SimSize,
  type SimState,
} from '../../src/simulator/index.js';
import type { Image, Location, Node, NodeState, Price, Size } from '../../src/kit.js';

/** The simulator's states are polycloud's states, word for word. */
const STATE_MAP: Readonly<Record<SimState, NodeState>> = {
  pending: 'pending',
  running: 'running',
  rebooting: 'rebooting',
  stopping: 'stopping',
  stopped: 'stopped',
  terminating: 'terminating',
  terminated: 'terminated',
};

export function mapSimState(state: string): NodeState {
  return STATE_MAP[state as SimState] ?? 'unknown';
}

export function mapLocation(location: SimLocation): Location {
  return {
    id: location.id,
    name: location.name,
    provider: 'local',
    kind: location.zone ? 'zone' : 'region',
    region: location.region,
    country: location.country,
    city: location.city,
    continent: location.continent,
  };
}

export function priceOf(size: SimSize, location: SimLocation, catalog: SimCatalog): Price {
  const { hourly, monthly } = simPrice(size, location);
  return { hourly, monthly, currency: catalog.currency, source: 'provider-api', asOf: catalog.priceAsOf };
}

export function mapSize(size: SimSize, location: SimLocation, catalog: SimCatalog): Size {
  return {
    id: size.id,
    name: size.name,
    provider: 'local',
    vcpus: size.vcpus,
    memoryGiB: size.memoryGiB,
    diskGiB: size.diskGiB,
    arch: size.arch,
    ...(size.gpus ? { gpus: size.gpus } : {}),
    ...(size.sharedCore ? { sharedCore: true } : {}),
    price: priceOf(size, location, catalog),
    priceLocation: location.id,
    locations: size.locations ?? catalog.locations.map((each) => each.id),
  };
}

export function mapImage(image: SimImage): Image {
  return {
    id: image.id,
    name: image.name,
    provider: 'local',
    os: { family: image.os.family, version: image.os.version },
    arch: image.arch,
    createdAt: new Date(image.createdAt),
  };
}

export function mapNode(node: SimNode, catalog: SimCatalog): Node<SimNode> {
  return {
    id: node.id,
    name: node.name,
    provider: 'local',
    state: mapSimState(node.state),
    rawState: node.state,
    location: {
      id: node.location.id,
      region: node.location.region,
      ...(node.location.zone ? { zone: node.location.zone } : {}),
      country: node.location.country,
    },
    sizeId: node.sizeId,
    imageId: node.imageId,
    publicIps: [node.publicIp],
    privateIps: [node.privateIp],
    tags: { ...node.tags },
    createdAt: new Date(node.createdAt),
    price: priceOf(node.size, node.location, catalog),
    raw: node,
  };
}
