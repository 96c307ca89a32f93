/**
 * Pure mappers from EC2's SDK shapes to polycloud's types, and the EC2 state map.
 *
 * @module
 */
import type {
  Ec2AvailabilityZone as AvailabilityZone,
  Ec2Image,
  Ec2Instance as Instance,
  Ec2InstanceTypeInfo as InstanceTypeInfo,
} from './types.js';
import { type Arch, type Image, type Location, type Node, type NodeState, type PriceCatalog, type Size } from '../../src/kit.js';
import { AWS_REGIONS } from './regions.js';

/** Every state EC2 reports (`InstanceStateName`), as a portable {@link NodeState}. */
export const EC2_STATE_MAP: Readonly<Record<string, NodeState>> = {
  pending: 'pending',
  running: 'running',
  'shutting-down': 'terminating',
  terminated: 'terminated',
  stopping: 'stopping',
  stopped: 'stopped',
};

/** The EC2 state names for portable states, for the `instance-state-name` filter. States EC2 never reports map to none. */
export function ec2StatesFor(states: readonly NodeState[]): string[] {
  return Object.entries(EC2_STATE_MAP)
    .filter(([, state]) => states.includes(state))
    .map(([raw]) => raw);
}

/** An EC2 state name as a portable state; `unknown` for a word EC2 may add later. */
export function mapInstanceState(raw: string | undefined): NodeState {
  return (raw !== undefined && EC2_STATE_MAP[raw]) || 'unknown';
}

/** The tags of an EC2 resource as a record. */
export function tagsOf(tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  return record;
}

const unique = (values: readonly (string | undefined)[]): string[] => [...new Set(values.filter((value): value is string => !!value))];

/** An instance as a {@link Node}, priced from `prices` where they know its type in its region. */
export function mapInstanceToNode(instance: Instance, region: string, prices: PriceCatalog | null): Node<Instance> {
  const tags = tagsOf(instance.Tags);
  const zone = instance.Placement?.AvailabilityZone;
  const id = instance.InstanceId ?? '';
  const interfaces = instance.NetworkInterfaces ?? [];
  return {
    id,
    // EC2 has no node name of its own: by convention it is the `Name` tag.
    name: tags.Name ?? id,
    provider: 'aws',
    state: mapInstanceState(instance.State?.Name),
    rawState: instance.State?.Name ?? 'unknown',
    location: {
      id: zone || region,
      region,
      ...(zone ? { zone } : {}),
      country: AWS_REGIONS.facts(region)?.country ?? null,
    },
    sizeId: instance.InstanceType ?? null,
    imageId: instance.ImageId ?? null,
    publicIps: unique([
      instance.PublicIpAddress,
      ...interfaces.flatMap((each) => (each.Ipv6Addresses ?? []).map((address) => address.Ipv6Address)),
    ]),
    privateIps: unique([
      instance.PrivateIpAddress,
      ...interfaces.flatMap((each) => (each.PrivateIpAddresses ?? []).map((address) => address.PrivateIpAddress)),
    ]),
    tags,
    createdAt: instance.LaunchTime ? new Date(instance.LaunchTime) : null,
    price: instance.InstanceType && prices ? prices.price(instance.InstanceType, region) : null,
    raw: instance,
  };
}

function archOf(architectures: readonly string[] | undefined): Arch | undefined {
  if (architectures?.some((each) => each === 'arm64' || each === 'arm64_mac')) return 'arm64';
  if (architectures?.some((each) => each === 'x86_64' || each === 'x86_64_mac')) return 'x86_64';
  return undefined;
}

/** An instance type as a {@link Size} in `region`; `undefined` for a type without vCPU or memory figures. */
export function mapInstanceTypeToSize(info: InstanceTypeInfo, region: string, prices: PriceCatalog | null): Size | undefined {
  const id = info.InstanceType;
  const vcpus = info.VCpuInfo?.DefaultVCpus;
  const memoryMiB = info.MemoryInfo?.SizeInMiB;
  if (!id || !vcpus || !memoryMiB) return undefined;
  const arch = archOf(info.ProcessorInfo?.SupportedArchitectures);
  const gpus = (info.GpuInfo?.Gpus ?? []).reduce((sum, gpu) => sum + (gpu.Count ?? 0), 0);
  const diskGiB = info.InstanceStorageInfo?.TotalSizeInGB;
  return {
    id,
    name: id,
    provider: 'aws',
    vcpus,
    memoryGiB: memoryMiB / 1024,
    ...(diskGiB ? { diskGiB } : {}),
    ...(gpus > 0 ? { gpus } : {}),
    ...(arch ? { arch } : {}),
    ...(info.BurstablePerformanceSupported ? { sharedCore: true } : {}),
    price: prices ? prices.price(id, region) : null,
    priceLocation: region,
    locations: [region],
  };
}

/** An official base AMI as an {@link Image}. */
export function mapAmiToImage(image: Ec2Image, region: string, os: { family: string; version: string }): Image {
  const arch = archOf(image.Architecture ? [image.Architecture] : undefined);
  return {
    id: image.ImageId ?? '',
    name: image.Name ?? image.ImageId ?? '',
    provider: 'aws',
    os,
    ...(arch ? { arch } : {}),
    location: region,
    ...(image.CreationDate ? { createdAt: new Date(image.CreationDate) } : {}),
  };
}

/**
 * A region as a {@link Location}. Regions polycloud has no facts for get the country `ZZ`
 * (ISO 3166's "unknown") rather than disappearing from the list.
 */
export function mapRegionToLocation(region: string): Location {
  const facts = AWS_REGIONS.facts(region);
  return {
    id: region,
    name: facts ? `${facts.city} (${region})` : region,
    provider: 'aws',
    kind: 'region',
    region,
    country: facts?.country ?? 'ZZ',
    ...(facts ? { city: facts.city, continent: facts.continent } : {}),
  };
}

/**
 * An availability zone as a {@link Location}. Local and Wavelength zones are left out: they sit in
 * other cities (some in other countries) than their parent region, which polycloud has no facts for.
 */
export function mapZoneToLocation(zone: AvailabilityZone, region: string): Location | undefined {
  if (!zone.ZoneName || (zone.ZoneType !== undefined && zone.ZoneType !== 'availability-zone')) return undefined;
  const facts = AWS_REGIONS.facts(region);
  return {
    id: zone.ZoneName,
    name: facts ? `${facts.city} (${zone.ZoneName})` : zone.ZoneName,
    provider: 'aws',
    kind: 'zone',
    region,
    country: facts?.country ?? 'ZZ',
    ...(facts ? { city: facts.city, continent: facts.continent } : {}),
  };
}
