/**
 * How an Azure VM was launched, from one read of the VM with `$expand=userData`:
 *
 * - **user data**: `properties.userData` (base64), which the driver sends at create beside
 *   `osProfile.customData` (what cloud-init reads, never returned by ARM). A VM created without
 *   user data, or created elsewhere with `customData` only, gives none.
 * - **SSH keys**: `osProfile.linuxConfiguration.ssh.publicKeys[].keyData`, without the throwaway
 *   key the driver installs on a VM created without keys (Azure requires one).
 * - **image**: the marketplace `imageReference` (`publisher:offer:sku:version`, whatever the
 *   version), with its OS when polycloud knows the sku (the same table `listImages` uses); `null`
 *   for a sku it does not know or a VM from a custom image.
 *
 * @module
 */
import { userDataReadBack, type DriverContext, type Image, type LaunchSpec } from '../../src/kit.js';
import { THROWAWAY_KEY_COMMENT } from './create.js';
import { knownImage } from './images.js';
import { mapImage, type AzureVirtualMachine } from './map.js';

/** Reads the launch spec of a VM read with `$expand=userData`. */
export function azureLaunchSpec(vm: AzureVirtualMachine, context: DriverContext): LaunchSpec {
  const userData = userDataReadBack(vm.userData, 'base64', { provider: 'azure', operation: context.operation });
  const sshKeys = (vm.osProfile?.linuxConfiguration?.ssh?.publicKeys ?? [])
    .map((key) => key.keyData?.trim() ?? '')
    .filter((key) => key !== '' && !key.endsWith(` ${THROWAWAY_KEY_COMMENT}`));
  return { image: imageOf(vm), ...(userData === undefined ? {} : { userData }), sshKeys };
}

function imageOf(vm: AzureVirtualMachine): Image | null {
  const reference = vm.storageProfile?.imageReference;
  if (!reference?.publisher || !reference.offer || !reference.sku) return null;
  const known = knownImage(reference.publisher, reference.offer, reference.sku);
  if (!known) return null;
  const urn = { publisher: reference.publisher, offer: reference.offer, sku: reference.sku, version: reference.version ?? 'latest' };
  return mapImage(urn, { family: known.family, version: known.version }, known.arch, (vm.location ?? '').toLowerCase() || undefined);
}
