/**
 * What `createNode` sends: Hetzner's `providerOptions`, their checks, and the `POST /servers`
 * body.
 *
 * @module
 */
import { invalid, InvalidRequestError, type CheckContext, type ResolvedCreateNodeRequest } from '../../src/kit.js';
import type { HetznerCreateServerBody } from './api.js';
import { IDEMPOTENCY_LABEL, idempotencyLabelValue } from './labels.js';

/** Hetzner-specific options of `createNode`. */
export interface HetznerProviderOptions {
  /**
   * Names or ids of SSH keys already stored in the project, added to `sshKeys`.
   * @defaultValue none
   */
  readonly sshKeyNames?: readonly string[];
  /**
   * Ids of private networks to attach the server to.
   * @defaultValue none
   */
  readonly networks?: readonly number[];
  /**
   * Ids of firewalls to apply to the public interface.
   * @defaultValue none
   */
  readonly firewalls?: readonly number[];
  /**
   * Id of the placement group to put the server in.
   * @defaultValue none
   */
  readonly placementGroup?: number;
  /**
   * Give the server a public IPv4 address.
   * @defaultValue true
   */
  readonly enableIpv4?: boolean;
  /**
   * Give the server a public IPv6 network.
   * @defaultValue true
   */
  readonly enableIpv6?: boolean;
}

/** The `POST /servers` body for a checked request; `sshKeys` are the names of project keys. */
export function createServerBody(
  request: ResolvedCreateNodeRequest<HetznerProviderOptions>,
  sshKeys: readonly string[],
): HetznerCreateServerBody {
  const extra = request.providerOptions ?? {};
  return {
    name: request.name,
    server_type: request.sizeId,
    image: request.imageId,
    location: request.locationId,
    labels: { ...request.tags, [IDEMPOTENCY_LABEL]: idempotencyLabelValue(request.idempotencyKey) },
    start_after_create: true,
    ...(sshKeys.length > 0 ? { ssh_keys: [...sshKeys] } : {}),
    ...(request.userData !== undefined ? { user_data: request.userData } : {}),
    ...(extra.networks ? { networks: [...extra.networks] } : {}),
    ...(extra.firewalls ? { firewalls: extra.firewalls.map((firewall) => ({ firewall })) } : {}),
    ...(extra.placementGroup !== undefined ? { placement_group: extra.placementGroup } : {}),
    ...(extra.enableIpv4 !== undefined || extra.enableIpv6 !== undefined
      ? {
          public_net: {
            ...(extra.enableIpv4 !== undefined ? { enable_ipv4: extra.enableIpv4 } : {}),
            ...(extra.enableIpv6 !== undefined ? { enable_ipv6: extra.enableIpv6 } : {}),
          },
        }
      : {}),
  };
}

/** Checks `providerOptions` before any request. */
export function checkProviderOptions(check: CheckContext, options: HetznerProviderOptions | undefined): void {
  if (options === undefined) return;
  const ids = (name: string, value: unknown) => {
    if (value === undefined) return;
    if (!Array.isArray(value) || value.some((each) => !Number.isInteger(each) || (each as number) < 1))
      invalid(check, `providerOptions.${name}`, 'an array of positive integer ids', value);
  };
  if (
    options.sshKeyNames !== undefined &&
    (!Array.isArray(options.sshKeyNames) || options.sshKeyNames.some((each) => typeof each !== 'string' || each === ''))
  ) {
    invalid(check, 'providerOptions.sshKeyNames', 'an array of SSH key names or ids', options.sshKeyNames);
  }
  ids('networks', options.networks);
  ids('firewalls', options.firewalls);
  if (options.placementGroup !== undefined && !(Number.isInteger(options.placementGroup) && options.placementGroup > 0)) {
    invalid(check, 'providerOptions.placementGroup', 'a positive integer id', options.placementGroup);
  }
  for (const flag of ['enableIpv4', 'enableIpv6'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean')
      invalid(check, `providerOptions.${flag}`, 'a boolean', options[flag]);
  }
  const known = new Set(['sshKeyNames', 'networks', 'firewalls', 'placementGroup', 'enableIpv4', 'enableIpv6']);
  for (const key of Object.keys(options)) {
    if (!known.has(key))
      throw new InvalidRequestError(`"providerOptions.${key}" is not a Hetzner option (${[...known].join(', ')})`, {
        provider: 'hetzner',
        operation: check.operation,
        field: `providerOptions.${key}`,
      });
  }
}
