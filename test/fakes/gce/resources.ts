/**
 * Compute REST resources as the fake returns them: instance, operation, zone, region, machine
 * type, image, list and error bodies, with the field names and value formats of the v1 API.
 */
import type { SimNode } from '../../../src/simulator/index.js';
import { FAKE_IMAGES, type FakeGceImage, type FakeMachineType } from './catalog.js';

/** Where selfLinks point, as in the real API. */
export const API_BASE = 'https://www.googleapis.com/compute/v1';

export const projectUrl = (project: string) => `${API_BASE}/projects/${project}`;
export const zoneUrl = (project: string, zone: string) => `${projectUrl(project)}/zones/${zone}`;
export const regionUrl = (project: string, region: string) => `${projectUrl(project)}/regions/${region}`;

/** RFC 3339 in Pacific time, the way Compute writes timestamps (e.g. `2026-01-01T00:00:00.000-08:00`). */
export function computeTimestamp(ms: number): string {
  const pacific = new Date(ms - 8 * 3_600_000).toISOString();
  return `${pacific.slice(0, 23)}-08:00`;
}

/** A 19-digit numeric resource id, stable for a seed string. */
export function numericId(seed: string): string {
  let hash = 1469598103934665603n;
  for (const char of seed) hash = ((hash ^ BigInt(char.codePointAt(0) ?? 0)) * 1099511628211n) % 9_000_000_000_000_000_000n;
  return String(1_000_000_000_000_000_000n + hash);
}

/** What the fake keeps in a simulated node's `extra` for Compute. */
export interface GceNodeExtra {
  readonly id: string;
  readonly metadata: readonly { readonly key: string; readonly value: string }[];
  readonly network: string;
  readonly subnetwork?: string;
  readonly externalIp: boolean;
  readonly sourceImage: string;
  readonly diskType: string;
  readonly diskSizeGb: number;
  readonly networkTags: readonly string[];
  readonly scheduling?: Record<string, unknown>;
  readonly serviceAccounts?: readonly Record<string, unknown>[];
}

/** Compute's status for a simulated node; `undefined` once it is deleted. */
export function statusOf(node: SimNode): string | undefined {
  switch (node.state) {
    case 'pending':
      return node.stateSince === node.createdAt ? 'PROVISIONING' : 'STAGING';
    case 'running':
    case 'rebooting':
      return 'RUNNING';
    case 'stopping':
      return 'STOPPING';
    case 'stopped':
      return 'TERMINATED';
    case 'terminating':
      return 'STOPPING';
    default:
      return undefined;
  }
}

/** The `compute#instance` of a simulated node. */
export function instanceJson(project: string, node: SimNode, extra: GceNodeExtra): Record<string, unknown> {
  const zone = node.locationId;
  const region = node.location.region;
  const running = statusOf(node) === 'RUNNING' || statusOf(node) === 'STOPPING';
  return {
    kind: 'compute#instance',
    id: extra.id,
    creationTimestamp: computeTimestamp(node.createdAt),
    name: node.name,
    tags: { items: [...extra.networkTags], fingerprint: '42WmSpB8rSM=' },
    machineType: `${zoneUrl(project, zone)}/machineTypes/${node.sizeId}`,
    status: statusOf(node),
    zone: zoneUrl(project, zone),
    canIpForward: false,
    networkInterfaces: [
      {
        kind: 'compute#networkInterface',
        network: `${projectUrl(project)}/global/networks/${extra.network.split('/').pop()}`,
        subnetwork: extra.subnetwork
          ? `${regionUrl(project, region)}/subnetworks/${extra.subnetwork.split('/').pop()}`
          : `${regionUrl(project, region)}/subnetworks/default`,
        networkIP: node.privateIp,
        name: 'nic0',
        ...(extra.externalIp
          ? {
              accessConfigs: [
                {
                  kind: 'compute#accessConfig',
                  type: 'ONE_TO_ONE_NAT',
                  name: 'External NAT',
                  ...(running ? { natIP: node.publicIp } : {}),
                  networkTier: 'PREMIUM',
                },
              ],
            }
          : {}),
        fingerprint: 'x1y2z3w4AAA=',
        stackType: 'IPV4_ONLY',
      },
    ],
    disks: [
      {
        kind: 'compute#attachedDisk',
        type: 'PERSISTENT',
        mode: 'READ_WRITE',
        source: `${zoneUrl(project, zone)}/disks/${node.name}`,
        deviceName: 'persistent-disk-0',
        index: 0,
        boot: true,
        autoDelete: true,
        interface: 'SCSI',
        diskSizeGb: String(extra.diskSizeGb),
        architecture: node.image.arch === 'arm64' ? 'ARM64' : 'X86_64',
        // Compute reports the OS licenses of the image the disk was made from.
        licenses: diskLicensesOf(node),
      },
    ],
    metadata: { kind: 'compute#metadata', fingerprint: 'tYPE8ZlXvbU=', items: extra.metadata.map((item) => ({ ...item })) },
    ...(extra.serviceAccounts ? { serviceAccounts: extra.serviceAccounts } : {}),
    selfLink: `${zoneUrl(project, zone)}/instances/${node.name}`,
    scheduling: extra.scheduling ?? {
      onHostMaintenance: 'MIGRATE',
      automaticRestart: true,
      preemptible: false,
      provisioningModel: 'STANDARD',
    },
    cpuPlatform: node.size.arch === 'arm64' ? 'Ampere Altra' : 'Intel Broadwell',
    labels: { ...node.tags },
    labelFingerprint: 'vezUS-42LLM=',
    startRestricted: false,
    deletionProtection: false,
    fingerprint: 'aBcDeFgHiJk=',
    lastStartTimestamp: computeTimestamp(node.createdAt),
  };
}

/** A zone operation as the fake tracks it. */
export interface FakeOperation {
  readonly id: string;
  readonly name: string;
  readonly zone: string;
  readonly operationType: string;
  readonly targetName: string;
  readonly targetId: string;
  readonly insertTime: number;
  status: 'PENDING' | 'RUNNING' | 'DONE';
  endTime?: number;
  error?: { readonly code: string; readonly message: string; readonly httpStatus: number };
  readonly requestId?: string;
}

const HTTP_REASON: Readonly<Record<number, string>> = {
  400: 'BAD REQUEST',
  403: 'FORBIDDEN',
  404: 'NOT FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION FAILED',
  429: 'TOO MANY REQUESTS',
  503: 'SERVICE UNAVAILABLE',
};

/** The `compute#operation` of a tracked operation. */
export function operationJson(project: string, operation: FakeOperation): Record<string, unknown> {
  const zone = zoneUrl(project, operation.zone);
  return {
    kind: 'compute#operation',
    id: operation.id,
    name: operation.name,
    zone,
    operationType: operation.operationType,
    targetLink: `${zone}/instances/${operation.targetName}`,
    targetId: operation.targetId,
    status: operation.status,
    user: `polycloud-test@${project}.iam.gserviceaccount.com`,
    progress: operation.status === 'DONE' ? 100 : 0,
    insertTime: computeTimestamp(operation.insertTime),
    startTime: computeTimestamp(operation.insertTime),
    ...(operation.endTime === undefined ? {} : { endTime: computeTimestamp(operation.endTime) }),
    selfLink: `${zone}/operations/${operation.name}`,
    ...(operation.error
      ? {
          error: { errors: [{ code: operation.error.code, message: operation.error.message }] },
          httpErrorStatusCode: operation.error.httpStatus,
          httpErrorMessage: HTTP_REASON[operation.error.httpStatus] ?? 'ERROR',
        }
      : {}),
  };
}

/** The `compute#machineType` of a machine type in a zone. */
export function machineTypeJson(project: string, zone: string, type: FakeMachineType): Record<string, unknown> {
  return {
    kind: 'compute#machineType',
    id: numericId(`machineType/${type.name}`),
    creationTimestamp: '1969-12-31T16:00:00.000-08:00',
    name: type.name,
    description: type.description,
    guestCpus: type.guestCpus,
    memoryMb: type.memoryMb,
    imageSpaceGb: 0,
    maximumPersistentDisks: 128,
    maximumPersistentDisksSizeGb: '263168',
    zone,
    selfLink: `${zoneUrl(project, zone)}/machineTypes/${type.name}`,
    isSharedCpu: type.isSharedCpu ?? false,
    ...(type.accelerators ? { accelerators: type.accelerators.map((each) => ({ ...each })) } : {}),
    architecture: type.architecture,
  };
}

/** The `compute#image` of a public image. */
export function imageJson(image: FakeGceImage): Record<string, unknown> {
  const selfLink = `${projectUrl(image.project)}/global/images/${image.name}`;
  return {
    kind: 'compute#image',
    id: numericId(`image/${image.name}`),
    creationTimestamp: `${image.created}T10:00:00.000-07:00`,
    name: image.name,
    description: image.description,
    sourceType: 'RAW',
    status: 'READY',
    archiveSizeBytes: '2146271744',
    diskSizeGb: String(image.diskSizeGb),
    licenses: image.licenses
      ? [...image.licenses]
      : [`${projectUrl(image.project)}/global/licenses/${image.family.split('-').slice(0, 2).join('-')}`],
    family: image.family,
    selfLink,
    labelFingerprint: '42WmSpB8rSM=',
    guestOsFeatures: [{ type: 'VIRTIO_SCSI_MULTIQUEUE' }, { type: 'UEFI_COMPATIBLE' }, { type: 'GVNIC' }],
    storageLocations: ['us', 'eu', 'asia'],
    architecture: image.architecture,
    ...(image.deprecated
      ? { deprecated: { state: image.deprecated, replacement: `${projectUrl(image.project)}/global/images/family/${image.family}` } }
      : {}),
  };
}

/** A Google API error body (`{ error: { code, message, errors: [{ reason }], status } }`). */
export function errorBody(
  httpStatus: number,
  reason: string,
  message: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const status: Readonly<Record<number, string>> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    409: 'ALREADY_EXISTS',
    412: 'FAILED_PRECONDITION',
    429: 'RESOURCE_EXHAUSTED',
    500: 'INTERNAL',
    503: 'UNAVAILABLE',
  };
  return {
    error: {
      code: httpStatus,
      message,
      errors: [{ message, domain: httpStatus === 429 ? 'usageLimits' : 'global', reason }],
      ...(status[httpStatus] ? { status: status[httpStatus] } : {}),
      ...extra,
    },
  };
}

const DEBIAN_CODENAMES: Readonly<Record<string, string>> = { '11': 'bullseye', '12': 'bookworm', '13': 'trixie' };

/** The public license URLs Compute reports on a disk made from an image of this OS. */
export function licensesOf(os: { readonly family: string; readonly version: string }): string[] {
  const base = 'https://www.googleapis.com/compute/v1/projects';
  if (os.family === 'ubuntu') return [`${base}/ubuntu-os-cloud/global/licenses/ubuntu-${os.version.replace('.', '')}-lts`];
  if (os.family === 'debian')
    return [`${base}/debian-cloud/global/licenses/debian-${os.version}-${DEBIAN_CODENAMES[os.version] ?? 'unknown'}`];
  return [];
}

/** The licenses on a boot disk made from the node's image: the image's own, else its OS's public one. */
function diskLicensesOf(node: SimNode): string[] {
  const image = FAKE_IMAGES.find((each) => each.name === node.image.id);
  return image?.licenses ? [...image.licenses] : licensesOf(node.image.os);
}

/** The `compute#disk` of an instance's boot disk (named after the instance, as Compute names it). */
export function bootDiskJson(project: string, node: SimNode, extra: GceNodeExtra): Record<string, unknown> {
  const zone = node.locationId;
  const image = FAKE_IMAGES.find((each) => each.name === node.image.id);
  return {
    kind: 'compute#disk',
    id: numericId(`disk/${zone}/${node.name}`),
    creationTimestamp: computeTimestamp(node.createdAt),
    name: node.name,
    sizeGb: String(extra.diskSizeGb),
    zone: zoneUrl(project, zone),
    status: 'READY',
    selfLink: `${zoneUrl(project, zone)}/disks/${node.name}`,
    ...(image
      ? { sourceImage: `${projectUrl(image.project)}/global/images/${image.name}`, sourceImageId: numericId(`image/${image.name}`) }
      : {}),
    type: `${zoneUrl(project, zone)}/diskTypes/${extra.diskType}`,
    licenses: diskLicensesOf(node),
    users: [`${zoneUrl(project, zone)}/instances/${node.name}`],
    physicalBlockSizeBytes: '4096',
    architecture: node.image.arch === 'arm64' ? 'ARM64' : 'X86_64',
  };
}
