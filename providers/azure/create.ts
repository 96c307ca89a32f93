/**
 * What a VM needs, and nothing more: a virtual network with one subnet (unless the caller names a
 * subnet), a public IP (unless turned off), a network interface, then the VM. Each companion is
 * tagged with the VM's name and the VM records which companions it owns, so `destroyNode` removes
 * exactly those. A create that fails at any step deletes what it made before failing.
 *
 * @module
 */
import { generateKeyPairSync } from 'node:crypto';
import { invalid, isNotFoundError, type CheckContext, type ResolvedCreateNodeRequest } from '../../src/kit.js';
import type { AzureApi, AzureCallContext } from './sdk.js';
import { CREATED_TAG, IDEMPOTENCY_TAG, OWNER_TAG, parseImageUrn, type AzureVirtualMachine } from './map.js';

/** Provider-specific options of `createNode` on Azure. */
export interface AzureProviderOptions {
  /**
   * An existing subnet's ARM id to attach the VM to.
   * @defaultValue a new virtual network `<name>-vnet` with subnet `default`
   */
  readonly subnetId?: string;
  /**
   * Whether the VM gets a public IPv4 address (Standard SKU, static).
   * @defaultValue true
   */
  readonly publicIp?: boolean;
  /**
   * The admin user the SSH keys are authorised for.
   * @defaultValue `azureuser`
   */
  readonly adminUsername?: string;
  /**
   * OS disk type.
   * @defaultValue `StandardSSD_LRS`
   */
  readonly osDiskType?: 'Standard_LRS' | 'StandardSSD_LRS' | 'Premium_LRS';
  /**
   * Availability zone (`1`, `2`, `3`) in the region.
   * @defaultValue none (regional)
   */
  readonly zone?: '1' | '2' | '3';
}

/** The companion resources a VM can own, by the short names written in its `polycloud-created` tag. */
export type Companion = 'nic' | 'ip' | 'vnet';

/** The names of a VM's companion resources. */
export function companionNames(vmName: string): Readonly<Record<Companion, string>> {
  return { nic: `${vmName}-nic`, ip: `${vmName}-ip`, vnet: `${vmName}-vnet` };
}

const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

/** Checks `providerOptions` and the ids Azure needs before any request. */
export function validateAzureCreate(request: ResolvedCreateNodeRequest<AzureProviderOptions>, check: CheckContext): void {
  if (!parseImageUrn(request.imageId)) invalid(check, 'image', 'a marketplace image id "publisher:offer:sku:version"', request.imageId);
  if (!/^Standard_[A-Za-z0-9_]+$/.test(request.sizeId)) invalid(check, 'size', 'an Azure VM size such as "Standard_B2s"', request.sizeId);
  if (!/^[a-z][a-z0-9]{2,40}$/.test(request.locationId))
    invalid(check, 'location', 'an Azure region such as "westeurope"', request.locationId);
  const options = request.providerOptions ?? {};
  if (options.subnetId !== undefined && (typeof options.subnetId !== 'string' || !SUBNET_ID.test(options.subnetId)))
    invalid(check, 'providerOptions.subnetId', 'a subnet resource id', options.subnetId);
  if (options.publicIp !== undefined && typeof options.publicIp !== 'boolean')
    invalid(check, 'providerOptions.publicIp', 'a boolean', options.publicIp);
  if (
    options.adminUsername !== undefined &&
    (typeof options.adminUsername !== 'string' || !/^[a-z_][a-z0-9_-]{0,31}$/.test(options.adminUsername))
  )
    invalid(check, 'providerOptions.adminUsername', 'a Linux user name such as "azureuser"', options.adminUsername);
  if (options.osDiskType !== undefined && !['Standard_LRS', 'StandardSSD_LRS', 'Premium_LRS'].includes(options.osDiskType))
    invalid(check, 'providerOptions.osDiskType', '"Standard_LRS", "StandardSSD_LRS" or "Premium_LRS"', options.osDiskType);
  if (options.zone !== undefined && !['1', '2', '3'].includes(options.zone))
    invalid(check, 'providerOptions.zone', '"1", "2" or "3"', options.zone);
  for (const key of Object.keys(request.tags)) {
    if (key.startsWith('polycloud-')) invalid(check, 'tags', 'tag keys not starting with the reserved "polycloud-"', key);
    if (/[<>%&\\?/]/.test(key)) invalid(check, 'tags', 'tag keys without < > % & \\ ? /', key);
  }
}

/** The comment of {@link throwawaySshKey}'s keys: how a launch spec tells them from the caller's. */
export const THROWAWAY_KEY_COMMENT = 'polycloud-no-login';

/**
 * A throwaway RSA public key in OpenSSH form, for a create without `sshKeys`: Azure requires SSH
 * keys or a password on Linux, and a key whose private half is discarded opens nothing.
 */
export function throwawaySshKey(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const part = (data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, data]);
  };
  const mpint = (base64url: string) => {
    const bytes = Buffer.from(base64url, 'base64url');
    return (bytes[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  };
  const blob = Buffer.concat([part(Buffer.from('ssh-rsa')), part(mpint(jwk.e as string)), part(mpint(jwk.n as string))]);
  return `ssh-rsa ${blob.toString('base64')} ${THROWAWAY_KEY_COMMENT}`;
}

/** What the create flow needs besides the request. */
export interface CreateFlow {
  readonly api: AzureApi;
  readonly resourceGroup: string;
  readonly context: (extra?: Partial<AzureCallContext>) => AzureCallContext;
  /** Context for cleaning up after a failed create: not tied to the caller's signal, still bounded by deadlines. */
  readonly cleanupContext: () => AzureCallContext;
  /** Told when cleaning up after a failure fails too (the first failure is the one thrown). */
  readonly warn: (message: string) => void;
}

/** Creates the companions and the VM; on failure deletes what it created, then rethrows. */
export async function createVirtualMachine(
  flow: CreateFlow,
  request: ResolvedCreateNodeRequest<AzureProviderOptions>,
): Promise<AzureVirtualMachine> {
  const { api, resourceGroup: rg } = flow;
  const options = request.providerOptions ?? {};
  const names = companionNames(request.name);
  const location = request.locationId;
  const ownerTags = { [OWNER_TAG]: request.name };
  const created: Companion[] = [];
  const lro = flow.context({ location, idempotent: true, longRunning: true });
  try {
    let subnetId = options.subnetId;
    if (subnetId === undefined) {
      created.push('vnet');
      const vnet = await api.call(lro, ({ network }, call) =>
        network.virtualNetworks.beginCreateOrUpdateAndWait(
          rg,
          names.vnet,
          {
            location,
            tags: ownerTags,
            addressSpace: { addressPrefixes: ['10.0.0.0/16'] },
            subnets: [{ name: 'default', addressPrefix: '10.0.0.0/24' }],
          },
          call,
        ),
      );
      subnetId = (vnet as { subnets?: { id?: string }[] }).subnets?.[0]?.id;
    }
    let publicIpId: string | undefined;
    if (options.publicIp !== false) {
      created.push('ip');
      const ip = await api.call(lro, ({ network }, call) =>
        network.publicIPAddresses.beginCreateOrUpdateAndWait(
          rg,
          names.ip,
          {
            location,
            tags: ownerTags,
            sku: { name: 'Standard' },
            publicIPAllocationMethod: 'Static',
            ...(options.zone ? { zones: [options.zone] } : {}),
          },
          call,
        ),
      );
      publicIpId = (ip as { id?: string }).id;
    }
    created.push('nic');
    const nic = await api.call(lro, ({ network }, call) =>
      network.networkInterfaces.beginCreateOrUpdateAndWait(
        rg,
        names.nic,
        {
          location,
          tags: ownerTags,
          ipConfigurations: [
            {
              name: 'ipconfig1',
              subnet: { id: subnetId },
              privateIPAllocationMethod: 'Dynamic',
              ...(publicIpId ? { publicIPAddress: { id: publicIpId } } : {}),
            },
          ],
        },
        call,
      ),
    );
    const image = parseImageUrn(request.imageId)!;
    const adminUsername = options.adminUsername ?? 'azureuser';
    const keys = request.sshKeys.length > 0 ? request.sshKeys : [throwawaySshKey()];
    const userData = request.userData === undefined ? undefined : Buffer.from(request.userData, 'utf8').toString('base64');
    const body = {
      location,
      tags: { ...request.tags, [IDEMPOTENCY_TAG]: request.idempotencyKey, [CREATED_TAG]: created.join(',') },
      ...(options.zone ? { zones: [options.zone] } : {}),
      hardwareProfile: { vmSize: request.sizeId },
      storageProfile: {
        imageReference: { publisher: image.publisher, offer: image.offer, sku: image.sku, version: image.version },
        osDisk: {
          createOption: 'FromImage',
          deleteOption: 'Delete',
          managedDisk: { storageAccountType: options.osDiskType ?? 'StandardSSD_LRS' },
        },
      },
      osProfile: {
        computerName: request.name.replace(/[._]/g, '-').slice(0, 64),
        adminUsername,
        ...(userData === undefined ? {} : { customData: userData }),
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          ssh: { publicKeys: keys.map((keyData) => ({ path: `/home/${adminUsername}/.ssh/authorized_keys`, keyData })) },
        },
      },
      networkProfile: { networkInterfaces: [{ id: (nic as { id?: string }).id, primary: true }] },
      // cloud-init reads `customData`, which ARM never returns; the same text as `userData` (returned with
      // `$expand=userData`) is what `getLaunchSpec` reads back, so a migration can carry it.
      ...(userData === undefined ? {} : { userData }),
    };
    return (await api.call(lro, ({ compute }, call) =>
      compute.virtualMachines.createOrUpdate(rg, request.name, body, call),
    )) as AzureVirtualMachine;
  } catch (error) {
    const cleanup = { ...flow, context: () => flow.cleanupContext() };
    await removeVirtualMachine(cleanup, request.name, created, { vmMayExist: created.includes('nic') }).catch((cleanupError: unknown) =>
      flow.warn(`azure createNode: removing what the failed create of ${request.name} made failed too: ${String(cleanupError)}`),
    );
    throw error;
  }
}

/**
 * Deletes a VM (when it may exist) and then the companions it owns, in dependency order. A
 * resource already gone counts as deleted.
 */
export async function removeVirtualMachine(
  flow: CreateFlow,
  vmName: string,
  companions: readonly Companion[],
  { vmMayExist }: { vmMayExist: boolean },
): Promise<void> {
  const { api, resourceGroup: rg } = flow;
  const names = companionNames(vmName);
  const lro = flow.context({ idempotent: true, longRunning: true });
  const ignoreMissing = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
    }
  };
  if (vmMayExist) await ignoreMissing(api.call(lro, ({ compute }, call) => compute.virtualMachines.delete(rg, vmName, call)));
  if (companions.includes('nic'))
    await ignoreMissing(api.call(lro, ({ network }, call) => network.networkInterfaces.beginDeleteAndWait(rg, names.nic, call)));
  if (companions.includes('ip'))
    await ignoreMissing(api.call(lro, ({ network }, call) => network.publicIPAddresses.beginDeleteAndWait(rg, names.ip, call)));
  if (companions.includes('vnet'))
    await ignoreMissing(api.call(lro, ({ network }, call) => network.virtualNetworks.beginDeleteAndWait(rg, names.vnet, call)));
}

/** The companions a VM's tag says it owns. */
export function companionsOf(vm: AzureVirtualMachine): Companion[] {
  const value = vm.tags?.[CREATED_TAG] ?? '';
  return value.split(',').filter((part): part is Companion => part === 'nic' || part === 'ip' || part === 'vnet');
}
