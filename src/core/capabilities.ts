/**
 * `fullCapabilities`: the capability flags of a provider with the whole node lifecycle, so a
 * driver states only what sets it apart (how a create is made idempotent, how nodes are listed,
 * and any capability it lacks).
 *
 * @module
 */
import type { Capabilities } from './types.js';

/** What {@link fullCapabilities} needs: the two choices every driver makes, and any flag to override. */
export type CapabilityChoices = Pick<Capabilities, 'idempotency' | 'locationKind'> & Partial<Capabilities>;

/**
 * The capabilities of a provider that can stop/start and reboot nodes, honours user data and SSH
 * keys on create, and tags nodes — every built-in provider — plus the given choices. A capability
 * the provider lacks is given as `false`.
 *
 * ```ts
 * capabilities: fullCapabilities({ idempotency: 'tag', locationKind: 'region', keyPairs: true }),
 * ```
 *
 * @param choices `idempotency` and `locationKind` (required), and any flag to override.
 * @returns `startStop`, `reboot`, `userData`, `sshKeys` and `tags` `true` unless overridden; `keyPairs` as given.
 */
export function fullCapabilities(choices: CapabilityChoices): Capabilities {
  return { startStop: true, reboot: true, userData: true, sshKeys: true, tags: true, ...choices };
}
