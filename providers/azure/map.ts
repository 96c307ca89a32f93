/**
 * Pure mapping from ARM shapes (as the SDKs deserialise them) to polycloud's types: virtual
 * machines with their instance view → `Node`, VM sizes → `Size`, marketplace image references ↔
 * image ids (`publisher:offer:sku:version`, the Azure CLI's URN form), regions → `Location`.
 *
 * @module
 */
import type { Image, Location, Node, NodeState, Price, Size } from '../../src/kit.js';
import { azureRegionFacts } from './regions.js';

/** Tag keys polycloud writes on the resources it creates; hidden from `Node.tags`. */
export const TAG_PREFIX = 'polycloud-';
/** On the VM: the idempotency key of the create that made it. */
export const IDEMPOTENCY_TAG = 'polycloud-idempotency-key';
/** On the VM: the companion resources the driver created for it (`nic,ip,vnet`), deleted with it. */
export const CREATED_TAG = 'polycloud-created';
/** On each companion resource: the VM it was created for. */
export const OWNER_TAG = 'polycloud-node';

/** A VM as the SDK returns it (flattened properties); only what the driver reads. */
export interface AzureVirtualMachine {
  /** ARM resource id, `/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/<name>`. */
  readonly id?: string;
  /** The VM's name, unique in its resource group; `Node.id` and `Node.name`. */
  readonly name?: string;
  /** Region name, e.g. `westeurope` (`Node.location`). */
  readonly location?: string;
  /** Availability zone the VM is pinned to, e.g. `["1"]`; absent for a regional VM. */
  readonly zones?: readonly string[];
  /** Resource tags: the request's tags plus polycloud's own (`polycloud-…`, hidden from `Node.tags`). */
  readonly tags?: Readonly<Record<string, string>>;
  /** ARM provisioning state, e.g. `Creating`, `Succeeded`, `Updating`, `Deleting`, `Failed`. */
  readonly provisioningState?: string;
  /** When the VM was created (`properties.timeCreated`), a `Date` from the SDK or an ISO 8601 string. */
  readonly timeCreated?: Date | string;
  /** The VM's hardware (`properties.hardwareProfile`). */
  readonly hardwareProfile?: {
    /** VM size, e.g. `Standard_B2s` (`Node.sizeId`). */
    readonly vmSize?: string;
  };
  /** The VM's disks and image (`properties.storageProfile`). */
  readonly storageProfile?: {
    /** The marketplace image the VM was created from; gives `Node.imageId` as `publisher:offer:sku:version`. */
    readonly imageReference?: {
      /** Image publisher, e.g. `Canonical`. */
      readonly publisher?: string;
      /** Image offer, e.g. `ubuntu-24_04-lts`. */
      readonly offer?: string;
      /** Image SKU, e.g. `server`. */
      readonly sku?: string;
      /** Image version, e.g. `24.04.202409120` or `latest`. */
      readonly version?: string;
    };
  };
  /** The VM's OS settings (`properties.osProfile`); ARM never returns its `customData`. */
  readonly osProfile?: {
    /** Linux settings: the SSH public keys authorised at create. */
    readonly linuxConfiguration?: {
      /** The keys the VM was created with. */
      readonly ssh?: {
        /** Each key and the `authorized_keys` file it went to. */
        readonly publicKeys?: readonly {
          /** The OpenSSH public key line. */
          readonly keyData?: string;
          /** The `authorized_keys` path on the VM. */
          readonly path?: string;
        }[];
      };
    };
  };
  /** The VM's user data, base64 (`properties.userData`); only in a VM read with `$expand=userData`. */
  readonly userData?: string;
  /** The VM's network interfaces (`properties.networkProfile`). */
  readonly networkProfile?: {
    /** References to the attached NICs, read to find the VM's addresses. */
    readonly networkInterfaces?: readonly {
      /** ARM resource id of the NIC. */
      readonly id?: string;
    }[];
  };
  /** Runtime view (`$expand=instanceView`); absent when the VM was read without it. */
  readonly instanceView?: {
    /** Provisioning and power statuses. */
    readonly statuses?: readonly {
      /** Status code, e.g. `ProvisioningState/succeeded` or `PowerState/running` (the latter gives the node's state). */
      readonly code?: string;
    }[];
  };
}

/** A node's raw object: the VM and the addresses found on its network interfaces. */
export interface AzureNodeRaw {
  /** The VM as ARM returned it. */
  readonly vm: AzureVirtualMachine;
  /** Public addresses of the public IP resources bound to the VM's NICs. */
  readonly publicIps: readonly string[];
  /** Private addresses of the VM's NIC IP configurations. */
  readonly privateIps: readonly string[];
}

/** Azure Linux VM names: 1–64 characters, letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const VM_NAME_PATTERN = {
  pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}[A-Za-z0-9_]$|^[A-Za-z0-9]$/,
  description: '1-64 letters, digits, ".", "_" or "-", starting with a letter or digit and not ending with "." or "-"',
};

const POWER_STATES: Readonly<Record<string, NodeState>> = {
  starting: 'pending',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  deallocating: 'stopping',
  deallocated: 'stopped',
};

/** The VM's state: provisioning first (creating, deleting, failed), then the power state. */
export function mapVmState(vm: AzureVirtualMachine): { state: NodeState; rawState: string } {
  const statuses = vm.instanceView?.statuses ?? [];
  const power = statuses.map((status) => status.code ?? '').find((code) => code.startsWith('PowerState/'));
  const provisioning = (vm.provisioningState ?? '').toLowerCase();
  if (provisioning === 'deleting') return { state: 'terminating', rawState: 'ProvisioningState/deleting' };
  if (provisioning === 'failed') return { state: 'error', rawState: 'ProvisioningState/failed' };
  if (power) {
    const word = power.slice('PowerState/'.length).toLowerCase();
    if (provisioning === 'updating' && word === 'running') return { state: 'running', rawState: power };
    return { state: POWER_STATES[word] ?? 'unknown', rawState: power };
  }
  if (provisioning === 'creating' || provisioning === 'updating' || provisioning === '')
    return { state: 'pending', rawState: `ProvisioningState/${provisioning || 'creating'}` };
  return { state: 'unknown', rawState: `ProvisioningState/${provisioning}` };
}

/** The image id of an image reference, `publisher:offer:sku:version`. */
export function imageIdOf(reference: { publisher?: string; offer?: string; sku?: string; version?: string } | undefined): string | null {
  if (!reference?.publisher || !reference.offer || !reference.sku) return null;
  return `${reference.publisher}:${reference.offer}:${reference.sku}:${reference.version ?? 'latest'}`;
}

/** What an image id is made of. */
export interface ImageUrn {
  /** Image publisher, e.g. `Canonical`. */
  readonly publisher: string;
  /** Image offer, e.g. `ubuntu-24_04-lts`. */
  readonly offer: string;
  /** Image SKU, e.g. `server`. */
  readonly sku: string;
  /** Image version, or `latest`. */
  readonly version: string;
}

/** An image id is a URN of four non-empty parts; `version` may be `latest`. */
export const IMAGE_URN_PATTERN =
  /^([A-Za-z0-9][A-Za-z0-9._-]*):([A-Za-z0-9][A-Za-z0-9._-]*):([A-Za-z0-9][A-Za-z0-9._-]*):(latest|[0-9][0-9.]*)$/;

/** Parses `publisher:offer:sku:version`, or `undefined` when it is not one. */
export function parseImageUrn(id: string): ImageUrn | undefined {
  const match = IMAGE_URN_PATTERN.exec(id);
  if (!match) return undefined;
  return { publisher: match[1] as string, offer: match[2] as string, sku: match[3] as string, version: match[4] as string };
}

/** The last segment of an ARM resource id. */
export function lastSegment(id: string | undefined): string {
  return id ? (id.split('/').pop() ?? '') : '';
}

/** Maps a VM with its addresses to a node. */
export function mapVmToNode(raw: AzureNodeRaw, price: Price | null): Node<AzureNodeRaw> {
  const { vm } = raw;
  const { state, rawState } = mapVmState(vm);
  const region = (vm.location ?? '').toLowerCase();
  const zone = vm.zones?.[0];
  const tags = Object.fromEntries(Object.entries(vm.tags ?? {}).filter(([key]) => !key.startsWith(TAG_PREFIX)));
  const created = vm.timeCreated === undefined ? null : new Date(vm.timeCreated);
  return {
    id: vm.name ?? '',
    name: vm.name ?? '',
    provider: 'azure',
    state,
    rawState,
    location: { id: region, region, ...(zone ? { zone } : {}), country: azureRegionFacts(region)?.country ?? null },
    sizeId: vm.hardwareProfile?.vmSize ?? null,
    imageId: imageIdOf(vm.storageProfile?.imageReference),
    publicIps: raw.publicIps,
    privateIps: raw.privateIps,
    tags,
    createdAt: created && !Number.isNaN(created.getTime()) ? created : null,
    price,
    raw,
  };
}

/** A size as `virtualMachineSizes.list` returns it. */
export interface AzureVmSize {
  readonly name?: string;
  readonly numberOfCores?: number;
  readonly memoryInMB?: number;
  readonly osDiskSizeInMB?: number;
  readonly resourceDiskSizeInMB?: number;
}

/**
 * Whether a size runs on Arm (Ampere / Cobalt): its feature letters after the vCPU count include
 * `p`, e.g. `Standard_D2ps_v5`, `Standard_E4pds_v6`, `Standard_B2pts_v2`.
 */
export function isArmSize(name: string): boolean {
  return /^Standard_[A-Z]+\d+[a-z]*p[a-z]*_v\d+$/.test(name);
}

/** Maps a VM size to a `Size` priced for `location`. */
export function mapVmSize(size: AzureVmSize, location: string, price: Price | null): Size {
  const name = size.name ?? '';
  const resourceDisk = size.resourceDiskSizeInMB ? Math.round(size.resourceDiskSizeInMB / 1024) : 0;
  return {
    id: name,
    name,
    provider: 'azure',
    vcpus: size.numberOfCores ?? 0,
    memoryGiB: Math.round(((size.memoryInMB ?? 0) / 1024) * 100) / 100,
    ...(resourceDisk > 0 ? { diskGiB: resourceDisk } : {}),
    arch: isArmSize(name) ? 'arm64' : 'x86_64',
    sharedCore: /^Standard_B/.test(name),
    price,
    priceLocation: location,
    locations: [location],
  };
}

/** A region as `GET /subscriptions/{s}/locations` returns it. */
export interface AzureLocation {
  readonly name?: string;
  readonly displayName?: string;
  readonly metadata?: { readonly regionType?: string; readonly physicalLocation?: string };
}

/** Maps a physical region to a location; logical regions (`global`, `us`, …) are not places to run VMs. */
export function mapRegion(region: AzureLocation): Location | undefined {
  const name = region.name?.toLowerCase();
  if (!name || (region.metadata?.regionType !== undefined && region.metadata.regionType !== 'Physical')) return undefined;
  const facts = azureRegionFacts(name);
  return {
    id: name,
    name: region.displayName ?? name,
    provider: 'azure',
    kind: 'region',
    region: name,
    country: facts?.country ?? 'ZZ',
    ...(facts
      ? { city: facts.city, continent: facts.continent }
      : region.metadata?.physicalLocation
        ? { city: region.metadata.physicalLocation }
        : {}),
  };
}

/** Images of a marketplace image sku. */
export function mapImage(urn: ImageUrn, os: { family: string; version: string }, arch: 'x86_64' | 'arm64', location?: string): Image {
  const id = `${urn.publisher}:${urn.offer}:${urn.sku}:${urn.version}`;
  return {
    id,
    name: `${os.family === 'ubuntu' ? 'Ubuntu' : 'Debian'} ${os.version} (${urn.offer}/${urn.sku})`,
    provider: 'azure',
    os,
    arch,
    ...(location ? { location } : {}),
  };
}
