/**
 * Shared set-up of the migration tests on simulated clouds: two `local` clouds on one virtual
 * clock, a source catalog that still has last year's Ubuntu build, and a driver wrapper that
 * counts the calls reaching a cloud (to prove a plan never contacts the source).
 */
import { VirtualClock } from '../../src/core/clock.js';
import type { Driver } from '../../src/core/driver.js';
import { MultiCloud } from '../../src/multicloud/index.js';
import { SIM_PRESETS, createLocalDriver, type LocalDriver, type LocalDriverOptions, type SimCatalog } from '../../providers/local/index.js';

/** A test key: a well-formed OpenSSH ed25519 public key (bytes 0-31, nobody's private key). */
export const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f ops@example';
/** A cloud-config the replacement must get. */
export const USER_DATA = '#cloud-config\npackages:\n  - nginx\nruncmd:\n  - [systemctl, enable, --now, nginx]\n';
/** The older build of Ubuntu 24.04 the source still runs (no longer listed: deprecated). */
export const OLD_UBUNTU_BUILD = 'ubuntu-24.04-x64-20251101';

/** The standard catalog plus last year's Ubuntu 24.04 build, deprecated (so `listImages` does not return it). */
export const STANDARD_WITH_OLD_BUILD: SimCatalog = {
  ...SIM_PRESETS.standard,
  images: [
    ...SIM_PRESETS.standard.images,
    {
      id: OLD_UBUNTU_BUILD,
      name: 'Ubuntu 24.04 LTS (x86_64) 2025-11-01',
      os: { family: 'ubuntu', version: '24.04' },
      arch: 'x86_64',
      createdAt: '2025-11-01',
      deprecated: true,
    },
  ],
};

/** Fast retries: an outage should fail a call in milliseconds, not seconds. */
const RETRY = { retries: 1, minDelayMs: 1, maxDelayMs: 2 };

/** A source (`standard` with the old build, USD) and a target (`budget`, EUR) on one virtual clock. */
export function simulatedPair(options: { source?: LocalDriverOptions; target?: LocalDriverOptions } = {}) {
  const clock = new VirtualClock();
  const source = createLocalDriver({ catalog: STANDARD_WITH_OLD_BUILD, clock, idPrefix: 'src-', retry: RETRY, ...options.source });
  const target = createLocalDriver({ preset: 'budget', clock, idPrefix: 'tgt-', retry: RETRY, ...options.target });
  return { clock, source, target };
}

/** A running node created with a key, user data and tags. */
export async function launched(
  driver: LocalDriver,
  name: string,
  location: string,
  extra: { image?: string; size?: string; tags?: Record<string, string>; sshKeys?: string[]; userData?: string } = {},
) {
  const node = await driver.createNode({
    name,
    size: extra.size ?? 's-2vcpu-4gb',
    image: extra.image ?? 'ubuntu-24.04-x64',
    location,
    tags: extra.tags ?? { app: 'shop' },
    sshKeys: extra.sshKeys ?? [SSH_KEY],
    userData: extra.userData ?? USER_DATA,
  });
  return driver.waitForNode(node, 'running');
}

/** A driver whose every call is counted (by method name) before it reaches the real one. */
export function counted(driver: Driver): { driver: Driver; calls: string[] } {
  const calls: string[] = [];
  // Drivers are frozen, so a copy of their members (each call counted) stands in for them.
  const wrapped = Object.fromEntries(
    Object.entries(driver).map(([name, member]) => [
      name,
      typeof member === 'function'
        ? (...args: unknown[]) => {
            calls.push(name);
            return (member as (...a: unknown[]) => unknown).apply(driver, args);
          }
        : member,
    ]),
  ) as unknown as Driver;
  return { driver: wrapped, calls };
}

/** Nodes of a simulated cloud that are not on their way out. */
export function live(driver: LocalDriver) {
  return driver.cloud.peekNodes().filter((node) => node.state !== 'terminating' && node.state !== 'terminated');
}

/** A MultiCloud over the pair, by the names the tests use. */
export function multiOf(source: Driver, target: Driver): MultiCloud {
  return new MultiCloud({ drivers: { old: source, new: target } });
}
