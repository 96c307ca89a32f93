/**
 * What the Compute fake offers: real zone, region, machine type and public image names, as a
 * simulator catalog (locations are zones) plus the Compute-only facts the simulator does not model.
 */
import type { SimCatalog, SimImage, SimLocation, SimSize } from '../../../src/simulator/index.js';

/** A public image of the fake, as Compute describes it. */
export interface FakeGceImage {
  readonly project: string;
  readonly name: string;
  readonly family: string;
  readonly architecture: 'X86_64' | 'ARM64';
  readonly description: string;
  /** ISO date the image was published. */
  readonly created: string;
  readonly os: { readonly family: string; readonly version: string };
  /** `DEPRECATED`, `OBSOLETE` or `DELETED` for superseded images. */
  readonly deprecated?: 'DEPRECATED' | 'OBSOLETE' | 'DELETED';
  readonly diskSizeGb: number;
  /**
   * The licenses Compute reports on the image and on disks made from it. Default: the public
   * license of `os` (custom images built from a public one keep it; imported ones have none).
   */
  readonly licenses?: readonly string[];
}

/** The project the fake serves by default, which owns the custom images below. */
export const FAKE_PROJECT = 'polycloud-test';

/** A machine type of the fake. */
export interface FakeMachineType {
  readonly name: string;
  readonly description: string;
  readonly guestCpus: number;
  readonly memoryMb: number;
  readonly isSharedCpu?: boolean;
  readonly architecture: 'X86_64' | 'ARM64';
  readonly accelerators?: readonly { readonly guestAcceleratorType: string; readonly guestAcceleratorCount: number }[];
  /** Zones offering it. Default: every zone. */
  readonly zones?: readonly string[];
}

const ZONE_ROWS: readonly (readonly [zone: string, country: string, city: string, continent: SimLocation['continent']])[] = [
  ['us-central1-a', 'US', 'Council Bluffs, Iowa', 'North America'],
  ['us-central1-b', 'US', 'Council Bluffs, Iowa', 'North America'],
  ['us-central1-c', 'US', 'Council Bluffs, Iowa', 'North America'],
  ['us-east1-b', 'US', 'Moncks Corner, South Carolina', 'North America'],
  ['us-east1-c', 'US', 'Moncks Corner, South Carolina', 'North America'],
  ['europe-west3-a', 'DE', 'Frankfurt', 'Europe'],
  ['europe-west3-b', 'DE', 'Frankfurt', 'Europe'],
  ['europe-west4-a', 'NL', 'Eemshaven', 'Europe'],
  ['asia-northeast1-a', 'JP', 'Tokyo', 'Asia'],
  ['australia-southeast1-a', 'AU', 'Sydney', 'Oceania'],
  ['southamerica-east1-a', 'BR', 'São Paulo', 'South America'],
];

/** Zones of the fake, as simulator locations. */
export const FAKE_ZONES: readonly SimLocation[] = ZONE_ROWS.map(([zone, country, city, continent]) => ({
  id: zone,
  name: zone,
  region: zone.replace(/-[a-z]$/, ''),
  zone,
  country,
  city,
  continent,
}));

const ARM_ZONES = ['us-central1-a', 'us-central1-b', 'us-central1-c', 'europe-west4-a'];

/** Machine types of the fake (a real subset). */
export const FAKE_MACHINE_TYPES: readonly FakeMachineType[] = [
  {
    name: 'e2-micro',
    description: 'Efficient Instance, 2 vCPU(s), 1 GB RAM',
    guestCpus: 2,
    memoryMb: 1024,
    isSharedCpu: true,
    architecture: 'X86_64',
  },
  {
    name: 'e2-small',
    description: 'Efficient Instance, 2 vCPU(s), 2 GB RAM',
    guestCpus: 2,
    memoryMb: 2048,
    isSharedCpu: true,
    architecture: 'X86_64',
  },
  {
    name: 'e2-medium',
    description: 'Efficient Instance, 2 vCPU(s), 4 GB RAM',
    guestCpus: 2,
    memoryMb: 4096,
    isSharedCpu: true,
    architecture: 'X86_64',
  },
  { name: 'e2-standard-2', description: 'Efficient Instance, 2 vCPUs, 8 GB RAM', guestCpus: 2, memoryMb: 8192, architecture: 'X86_64' },
  { name: 'e2-standard-4', description: 'Efficient Instance, 4 vCPUs, 16 GB RAM', guestCpus: 4, memoryMb: 16384, architecture: 'X86_64' },
  { name: 'n2-standard-2', description: '2 vCPUs 8 GB RAM', guestCpus: 2, memoryMb: 8192, architecture: 'X86_64' },
  { name: 'n2-standard-4', description: '4 vCPUs 16 GB RAM', guestCpus: 4, memoryMb: 16384, architecture: 'X86_64' },
  { name: 'n1-standard-1', description: '1 vCPU, 3.75 GB RAM', guestCpus: 1, memoryMb: 3840, architecture: 'X86_64' },
  // Not in every zone of a region: a create in europe-west3 must skip europe-west3-a.
  {
    name: 'c3-standard-4',
    description: '4 vCPUs, 16 GB RAM',
    guestCpus: 4,
    memoryMb: 16384,
    architecture: 'X86_64',
    zones: ZONE_ROWS.map(([zone]) => zone).filter((zone) => zone !== 'europe-west3-a'),
  },
  { name: 't2a-standard-1', description: '1 vCPU, 4 GB RAM', guestCpus: 1, memoryMb: 4096, architecture: 'ARM64', zones: ARM_ZONES },
  { name: 't2a-standard-2', description: '2 vCPUs, 8 GB RAM', guestCpus: 2, memoryMb: 8192, architecture: 'ARM64', zones: ARM_ZONES },
  {
    name: 'a2-highgpu-1g',
    description: 'Accelerator Optimized: 1 NVIDIA Tesla A100 GPU, 12 vCPUs, 85GB RAM',
    guestCpus: 12,
    memoryMb: 87040,
    architecture: 'X86_64',
    accelerators: [{ guestAcceleratorType: 'nvidia-tesla-a100', guestAcceleratorCount: 1 }],
    zones: ['us-central1-a', 'us-central1-b', 'europe-west4-a'],
  },
];

/** Public images of the fake: current and superseded Ubuntu and Debian images, by family. */
export const FAKE_IMAGES: readonly FakeGceImage[] = [
  {
    project: 'ubuntu-os-cloud',
    name: 'ubuntu-2404-noble-amd64-v20261015',
    family: 'ubuntu-2404-lts-amd64',
    architecture: 'X86_64',
    description: 'Canonical, Ubuntu, 24.04 LTS, amd64 noble image built on 2026-10-15',
    created: '2026-10-15',
    os: { family: 'ubuntu', version: '24.04' },
    deprecated: 'DEPRECATED',
    diskSizeGb: 10,
  },
  {
    project: 'ubuntu-os-cloud',
    name: 'ubuntu-2404-noble-amd64-v20261105',
    family: 'ubuntu-2404-lts-amd64',
    architecture: 'X86_64',
    description: 'Canonical, Ubuntu, 24.04 LTS, amd64 noble image built on 2026-11-05',
    created: '2026-11-05',
    os: { family: 'ubuntu', version: '24.04' },
    diskSizeGb: 10,
  },
  {
    project: 'ubuntu-os-cloud',
    name: 'ubuntu-2404-noble-arm64-v20261105',
    family: 'ubuntu-2404-lts-arm64',
    architecture: 'ARM64',
    description: 'Canonical, Ubuntu, 24.04 LTS, arm64 noble image built on 2026-11-05',
    created: '2026-11-05',
    os: { family: 'ubuntu', version: '24.04' },
    diskSizeGb: 10,
  },
  {
    project: 'ubuntu-os-cloud',
    name: 'ubuntu-2204-jammy-v20261020',
    family: 'ubuntu-2204-lts',
    architecture: 'X86_64',
    description: 'Canonical, Ubuntu, 22.04 LTS, amd64 jammy image built on 2026-10-20',
    created: '2026-10-20',
    os: { family: 'ubuntu', version: '22.04' },
    diskSizeGb: 10,
  },
  {
    project: 'ubuntu-os-cloud',
    name: 'ubuntu-2204-jammy-arm64-v20261020',
    family: 'ubuntu-2204-lts-arm64',
    architecture: 'ARM64',
    description: 'Canonical, Ubuntu, 22.04 LTS, arm64 jammy image built on 2026-10-20',
    created: '2026-10-20',
    os: { family: 'ubuntu', version: '22.04' },
    diskSizeGb: 10,
  },
  {
    project: 'debian-cloud',
    name: 'debian-12-bookworm-v20261014',
    family: 'debian-12',
    architecture: 'X86_64',
    description: 'Debian, Debian GNU/Linux, 12 (bookworm), amd64 built on 20261014',
    created: '2026-10-14',
    os: { family: 'debian', version: '12' },
    diskSizeGb: 10,
  },
  {
    project: 'debian-cloud',
    name: 'debian-12-bookworm-arm64-v20261014',
    family: 'debian-12-arm64',
    architecture: 'ARM64',
    description: 'Debian, Debian GNU/Linux, 12 (bookworm), arm64 built on 20261014',
    created: '2026-10-14',
    os: { family: 'debian', version: '12' },
    diskSizeGb: 10,
  },
  {
    project: 'debian-cloud',
    name: 'debian-11-bullseye-v20240110',
    family: 'debian-11',
    architecture: 'X86_64',
    description: 'Debian, Debian GNU/Linux, 11 (bullseye), amd64 built on 20240110',
    created: '2024-01-10',
    os: { family: 'debian', version: '11' },
    deprecated: 'OBSOLETE',
    diskSizeGb: 10,
  },
  // Custom images of the project itself (not a public family), both imported, so without an OS
  // license: one whose family names its OS, one that says nothing about its OS.
  {
    project: FAKE_PROJECT,
    name: 'hardened-web-v3',
    family: 'ubuntu-2204-hardened',
    architecture: 'X86_64',
    description: 'Our hardened web image',
    created: '2026-06-01',
    os: { family: 'ubuntu', version: '22.04' },
    diskSizeGb: 10,
    licenses: [],
  },
  {
    project: FAKE_PROJECT,
    name: 'appliance-v7',
    family: 'appliance',
    architecture: 'X86_64',
    description: 'Vendor appliance, imported',
    created: '2026-05-01',
    os: { family: 'appliance', version: '7' },
    diskSizeGb: 10,
    licenses: [],
  },
];

const sizes: SimSize[] = FAKE_MACHINE_TYPES.map((type) => ({
  id: type.name,
  name: type.description,
  vcpus: type.guestCpus,
  memoryGiB: type.memoryMb / 1024,
  diskGiB: 10,
  arch: type.architecture === 'ARM64' ? 'arm64' : 'x86_64',
  ...(type.isSharedCpu ? { sharedCore: true } : {}),
  ...(type.accelerators ? { gpus: type.accelerators.reduce((sum, each) => sum + each.guestAcceleratorCount, 0) } : {}),
  // Compute serves no prices; the simulator needs one, the driver never sees it.
  hourly: 0.01 * type.guestCpus,
  ...(type.zones ? { locations: type.zones } : {}),
}));

const images: SimImage[] = FAKE_IMAGES.map((image) => ({
  id: image.name,
  name: image.description,
  os: image.os,
  arch: image.architecture === 'ARM64' ? 'arm64' : 'x86_64',
  createdAt: image.created,
  ...(image.deprecated ? { deprecated: true } : {}),
}));

/** The simulator catalog behind the Compute fake. */
export const GCE_SIM_CATALOG: SimCatalog = {
  currency: 'USD',
  priceAsOf: '2026-11-01',
  locations: FAKE_ZONES,
  sizes,
  images,
};
