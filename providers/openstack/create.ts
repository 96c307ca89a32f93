/**
 * Create-time pieces of the OpenStack driver: its `providerOptions`, their checks, and the name of
 * the Nova key pair that carries an SSH public key.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { invalid, type CheckContext, type ResolvedCreateNodeRequest } from '../../src/kit.js';
import { IDEMPOTENCY_KEY_METADATA } from './map.js';

/** Provider-specific options of `createNode` on OpenStack. */
export interface OpenStackProviderOptions {
  /**
   * Networks to attach: `auto` (Nova picks or allocates one), `none`, or a list of `{ uuid }`.
   * @defaultValue `auto`
   */
  readonly networks?:
    | 'auto'
    | 'none'
    | readonly {
        /** UUID of a Neutron network to attach the server to. */
        readonly uuid: string;
      }[];
  /**
   * Security group names.
   * @defaultValue the project's `default` group
   */
  readonly securityGroups?: readonly string[];
}

/** The key pair name for a public key: derived from the key, so the same key is imported once. */
export function keyPairName(publicKey: string): string {
  return `polycloud-${createHash('sha256').update(publicKey.trim().split(/\s+/).slice(0, 2).join(' ')).digest('hex').slice(0, 16)}`;
}

const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** Checks the request before any request is sent. */
export function validateOpenStackCreate(request: ResolvedCreateNodeRequest<OpenStackProviderOptions>, check: CheckContext): void {
  if (!UUID.test(request.imageId)) invalid(check, 'image', 'a Glance image id (UUID)', request.imageId);
  if (request.sshKeys.length > 1) invalid(check, 'sshKeys', 'at most one key (Nova takes one key pair per server)', request.sshKeys.length);
  if (IDEMPOTENCY_KEY_METADATA in request.tags)
    invalid(check, 'tags', `tags without the reserved key ${IDEMPOTENCY_KEY_METADATA}`, IDEMPOTENCY_KEY_METADATA);
  const networks = request.providerOptions?.networks;
  if (networks !== undefined && networks !== 'auto' && networks !== 'none') {
    if (!Array.isArray(networks) || networks.some((network) => typeof network?.uuid !== 'string' || !UUID.test(network.uuid)))
      invalid(check, 'providerOptions.networks', '"auto", "none" or a list of { uuid }', networks);
  }
  const groups = request.providerOptions?.securityGroups;
  if (groups !== undefined && (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string' || group === '')))
    invalid(check, 'providerOptions.securityGroups', 'a list of security group names', groups);
}
