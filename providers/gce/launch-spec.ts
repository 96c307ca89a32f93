/**
 * How a Compute Engine instance was launched. The image is on the boot disk, not the instance:
 * the disk's `licenses` name the OS of a public image (e.g. `ubuntu-2404-lts`,
 * `debian-12-bookworm`) and its `architecture` the arch, whatever the build — no further request.
 * A disk without an OS license was made from a custom image (the project's own, e.g. imported):
 * the disk and then that image are read, and the image's licenses, family or name give its OS
 * when they name one; otherwise the image is returned without an OS and says why, so a plan
 * reports the node unmatched with that reason. The SSH keys and user data are the instance's
 * `ssh-keys` and `user-data` (or `startup-script`) metadata.
 *
 * @module
 */
import { userDataReadBack, type Arch, type Image, type LaunchSpec, type Node } from '../../src/kit.js';
import type { GceDisk, GceImage, GceInstance } from './types.js';

/** An attached disk as the instance reports it (the fields read here). */
interface AttachedDisk {
  readonly boot?: boolean | null;
  readonly source?: string | null;
  readonly licenses?: readonly string[] | null;
  readonly architecture?: string | null;
}

/** The OS a public-image license names, or `undefined` for licenses that are not an OS's. */
export function osOfLicense(license: string): { family: string; version: string } | undefined {
  const name = license.slice(license.lastIndexOf('/') + 1);
  const ubuntu = /^ubuntu-(?:pro-)?(\d\d)(\d\d)(?:-lts)?$/.exec(name);
  if (ubuntu) return { family: 'ubuntu', version: `${ubuntu[1]}.${ubuntu[2]}` };
  const debian = /^debian-(\d+)(?:-[a-z]+)?$/.exec(name);
  if (debian?.[1]) return { family: 'debian', version: debian[1] };
  return undefined;
}

/**
 * The OS a Compute image name or family names, e.g. `ubuntu-2204-hardened`,
 * `ubuntu-pro-2404-noble-amd64-v20261015`, `debian-12-bookworm-v20261014`; `undefined` otherwise.
 */
export function osOfImageName(name: string): { family: string; version: string } | undefined {
  const ubuntu = /^ubuntu-(?:pro-|minimal-)?(\d\d)(\d\d)(?:-|$)/.exec(name);
  if (ubuntu) return { family: 'ubuntu', version: `${ubuntu[1]}.${ubuntu[2]}` };
  const debian = /^debian-(\d+)(?:-|$)/.exec(name);
  if (debian?.[1]) return { family: 'debian', version: debian[1] };
  return undefined;
}

/** Reads a boot disk, then the image it was made from (`undefined` for an image that is gone). */
export interface GceImageReader {
  disk(diskUrl: string): Promise<GceDisk>;
  image(project: string, name: string): Promise<GceImage | undefined>;
}

/** Reads the launch spec: from the instance alone, or, for a disk without an OS license, its custom image too. */
export async function readGceLaunchSpec(node: Node<GceInstance>, reader?: GceImageReader): Promise<LaunchSpec> {
  const spec = readInstanceLaunchSpec(node);
  const boot = bootDisk(node);
  if (spec.image || !boot?.source || !reader) return spec;
  return { ...spec, image: await customImage(boot, reader) };
}

function bootDisk(node: Node<GceInstance>): AttachedDisk | undefined {
  const disks = (node.raw.disks ?? []) as readonly AttachedDisk[];
  return disks.find((disk) => disk.boot) ?? disks[0];
}

/** The custom image a boot disk without an OS license was made from, with its OS when the image says it. */
async function customImage(boot: AttachedDisk, reader: GceImageReader): Promise<Image | null> {
  const disk = await reader.disk(boot.source ?? '');
  const path = /projects\/([^/]+)\/global\/images\/([^/]+)$/.exec(disk.sourceImage ?? '');
  if (!path?.[1] || !path[2]) return null;
  const [, project, name] = path;
  const id = `projects/${project}/global/images/${name}`;
  const image = await reader.image(project, name);
  const archOf = (value: string | null | undefined): Arch | undefined =>
    value === 'ARM64' ? 'arm64' : value === 'X86_64' ? 'x86_64' : undefined;
  const arch = archOf(image?.architecture) ?? archOf(disk.architecture) ?? archOf(boot.architecture);
  const base = { id, provider: 'gce' as const, ...(arch ? { arch } : {}) };
  if (!image) return { ...base, name: `${name} (the custom image the boot disk was made from no longer exists, so its OS is unknown)` };
  const license = (image.licenses ?? []).map(osOfLicense).find((os) => os !== undefined);
  const os = license ?? osOfImageName(image.family ?? '') ?? osOfImageName(name);
  const createdAt = image.creationTimestamp ? new Date(image.creationTimestamp) : undefined;
  if (os)
    return { ...base, name: image.description || name, os, ...(createdAt && !Number.isNaN(createdAt.getTime()) ? { createdAt } : {}) };
  return {
    ...base,
    name: `${name} (a custom image that does not say its OS: no OS license, and neither its family ${JSON.stringify(image.family ?? '')} nor its name names one)`,
  };
}

/** Reads the launch spec from the instance alone (no request). */
export function readInstanceLaunchSpec(node: Node<GceInstance>): LaunchSpec {
  const raw = node.raw;
  const disks = (raw.disks ?? []) as readonly AttachedDisk[];
  const boot = disks.find((disk) => disk.boot) ?? disks[0];
  const items = raw.metadata?.items ?? [];
  const item = (key: string) => items.find((each) => each.key === key)?.value ?? undefined;
  // `ssh-keys` lines are `user:key`.
  const sshKeys = (item('ssh-keys') ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => (/^[a-z_][a-z0-9_.-]*:/i.test(line) ? line.slice(line.indexOf(':') + 1) : line));
  const userData = userDataReadBack(item('user-data') ?? item('startup-script'), 'text', { provider: 'gce', operation: 'getLaunchSpec' });
  return { image: bootImage(boot), ...(userData === undefined ? {} : { userData }), sshKeys };
}

function bootImage(boot: AttachedDisk | undefined): Image | null {
  if (!boot) return null;
  const license = (boot.licenses ?? []).find((each) => osOfLicense(each) !== undefined);
  const os = license ? osOfLicense(license) : undefined;
  const arch: Arch | undefined = boot.architecture === 'ARM64' ? 'arm64' : boot.architecture === 'X86_64' ? 'x86_64' : undefined;
  if (!license || !os) return null;
  return {
    id: license.replace(/^https:\/\/www\.googleapis\.com\/compute\/v1\//, ''),
    name: `${os.family} ${os.version} (from the boot disk's license)`,
    provider: 'gce',
    os,
    ...(arch ? { arch } : {}),
  };
}
