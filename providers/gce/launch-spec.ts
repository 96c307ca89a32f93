/**
 * How a Compute Engine instance was launched, from the instance itself (no further request):
 * the image is on the boot disk, not the instance — its `licenses` name the OS (e.g.
 * `ubuntu-2404-lts`, `debian-12-bookworm`) and its `architecture` the arch, whatever the build —
 * and the SSH keys and user data are the instance's `ssh-keys` and `user-data` (or
 * `startup-script`) metadata.
 *
 * @module
 */
import type { Arch, Image, LaunchSpec, Node } from '../../src/kit.js';
import type { GceInstance } from './types.js';

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

/** Reads the launch spec from the instance. */
export function readGceLaunchSpec(node: Node<GceInstance>): LaunchSpec {
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
  const userData = item('user-data') ?? item('startup-script');
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
