/**
 * What each replacement is launched with: the SSH keys and user data of its source (read from the
 * source where the provider can say, via the inventory) or given by the caller, where each came
 * from, and a warning when nobody could log in or something would be dropped — never silently.
 *
 * @module
 */
import type { LaunchSpec } from '../core/launch-spec.js';
import type { Capabilities } from '../core/types.js';

export type { TagChange } from './target-rules.js';

/** SSH keys and user data for one node or for all. */
export interface LaunchInput {
  /** OpenSSH public keys to authorise on the target. */
  readonly sshKeys?: readonly string[];
  /** Cloud-init user data for the target. */
  readonly userData?: string;
}

/** `planMigration({ launch })`: keys and user data for all nodes, and per source node id. */
export interface LaunchRequest extends LaunchInput {
  /** By source node id; wins over the source's own launch spec and over the values for all. */
  readonly perNode?: Readonly<Record<string, LaunchInput>>;
}

/** Where a launch value came from. */
export type LaunchOrigin =
  /** Read from the source node (its provider says how it was launched). */
  | 'source'
  /** `launch.perNode[id]` of the plan request. */
  | 'request-node'
  /** `launch.sshKeys` / `launch.userData` of the plan request, for all nodes. */
  | 'request'
  /** Nothing: the target gets none. */
  | 'none';

/** What a target is launched with, and where it came from. */
export interface MigrationLaunch {
  /** OpenSSH public keys the target is created with; empty when none (then a warning says nobody can log in by key). */
  readonly sshKeys: readonly string[];
  /** Where `sshKeys` came from; `none` when empty. */
  readonly sshKeysFrom: LaunchOrigin;
  /** Cloud-init user data the target is created with; absent when none, or when the target takes none (with a warning). */
  readonly userData?: string;
  /** Where `userData` came from; `none` when absent. */
  readonly userDataFrom: LaunchOrigin;
  /** Problems a user must know before running the plan, e.g. that nobody can log in by key. */
  readonly warnings: readonly string[];
}

/**
 * The launch for one node: per-node request values, then the source's spec, then the request's
 * values for all. Keys or user data the target cannot take are left out, with a warning.
 */
export function resolveLaunch(
  nodeId: string,
  spec: LaunchSpec | undefined,
  request: LaunchRequest | undefined,
  target: { readonly provider: string; readonly capabilities: Capabilities },
): MigrationLaunch {
  const mine = request?.perNode?.[nodeId];
  const warnings: string[] = [];
  let sshKeys: readonly string[] = [];
  let sshKeysFrom: LaunchOrigin = 'none';
  if (mine?.sshKeys && mine.sshKeys.length > 0) [sshKeys, sshKeysFrom] = [mine.sshKeys, 'request-node'];
  else if (spec && spec.sshKeys.length > 0) [sshKeys, sshKeysFrom] = [spec.sshKeys, 'source'];
  else if (request?.sshKeys && request.sshKeys.length > 0) [sshKeys, sshKeysFrom] = [request.sshKeys, 'request'];
  let userData: string | undefined;
  let userDataFrom: LaunchOrigin = 'none';
  if (mine?.userData !== undefined) [userData, userDataFrom] = [mine.userData, 'request-node'];
  else if (spec?.userData !== undefined) [userData, userDataFrom] = [spec.userData, 'source'];
  else if (request?.userData !== undefined) [userData, userDataFrom] = [request.userData, 'request'];

  if (sshKeys.length > 0 && !target.capabilities.sshKeys) {
    warnings.push(`${target.provider} takes no SSH keys on create: the ${sshKeys.length} key(s) are not installed`);
    [sshKeys, sshKeysFrom] = [[], 'none'];
  }
  if (userData !== undefined && !target.capabilities.userData) {
    warnings.push(`${target.provider} takes no user data on create: the node's cloud-config does not run`);
    [userData, userDataFrom] = [undefined, 'none'];
  }
  if (sshKeys.length === 0) {
    const unread = spec?.unreadableKeyNames?.length
      ? ` (the source's key pair ${spec.unreadableKeyNames.join(', ')} could not be read)`
      : '';
    warnings.push(
      `no SSH key: nobody can log in to the replacement by key${unread}; give one with launch.sshKeys (CLI: --ssh-key) or launch.perNode`,
    );
  }
  if (!spec && userData === undefined)
    warnings.push('the source provider does not say what user data the node had: give it with launch.userData if it had any');
  return { sshKeys: [...sshKeys], sshKeysFrom, ...(userData === undefined ? {} : { userData }), userDataFrom, warnings };
}
