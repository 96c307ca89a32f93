/**
 * The marketplace images `listImages` offers: Canonical Ubuntu and Debian, by OS family, version
 * and architecture. Each entry names a publisher/offer/sku; `listImages` asks ARM which of these
 * skus the location actually offers (`VirtualMachineImages_ListSkus`), so an image is listed only
 * where it exists.
 *
 * @module
 */
import type { Arch } from '../../src/kit.js';

/** One marketplace sku polycloud knows the OS of. */
export interface KnownImage {
  readonly publisher: string;
  readonly offer: string;
  readonly sku: string;
  readonly family: 'ubuntu' | 'debian';
  readonly version: string;
  readonly arch: Arch;
}

/** Gen2 (UEFI) skus first: every current VM size boots them. */
export const KNOWN_IMAGES: readonly KnownImage[] = [
  { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server', family: 'ubuntu', version: '24.04', arch: 'x86_64' },
  { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server-arm64', family: 'ubuntu', version: '24.04', arch: 'arm64' },
  {
    publisher: 'Canonical',
    offer: '0001-com-ubuntu-server-jammy',
    sku: '22_04-lts-gen2',
    family: 'ubuntu',
    version: '22.04',
    arch: 'x86_64',
  },
  {
    publisher: 'Canonical',
    offer: '0001-com-ubuntu-server-jammy',
    sku: '22_04-lts-arm64',
    family: 'ubuntu',
    version: '22.04',
    arch: 'arm64',
  },
  { publisher: 'Debian', offer: 'debian-12', sku: '12-gen2', family: 'debian', version: '12', arch: 'x86_64' },
  { publisher: 'Debian', offer: 'debian-12', sku: '12-arm64', family: 'debian', version: '12', arch: 'arm64' },
  { publisher: 'Debian', offer: 'debian-11', sku: '11-gen2', family: 'debian', version: '11', arch: 'x86_64' },
];

/** The known image of a publisher/offer/sku, if polycloud knows its OS. */
export function knownImage(publisher: string, offer: string, sku: string): KnownImage | undefined {
  return KNOWN_IMAGES.find(
    (image) => image.publisher.toLowerCase() === publisher.toLowerCase() && image.offer === offer && image.sku === sku,
  );
}
