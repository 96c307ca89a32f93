/**
 * What `createNode` sends: Linode's `providerOptions`, their checks, and the
 * `POST /linode/instances` body (with a generated root password unless one is given).
 *
 * @module
 */
import { invalid, InvalidRequestError, Secret, type CheckContext, type ResolvedCreateNodeRequest } from '../../src/kit.js';
import type { LinodeCreateBody } from './api.js';
import { fromImageId } from './map.js';
import { generateRootPassword } from './password.js';
import { encodeTag } from './tags.js';

/** Linode-specific options of `createNode`. */
export interface LinodeProviderOptions {
  /**
   * The root password (7-128 characters; Linode rejects weak ones).
   * @defaultValue a random 32-character password that polycloud does not keep: use `sshKeys` to log in
   */
  readonly rootPassword?: string | Secret;
  /**
   * Linode user names whose profile SSH keys are authorised for root.
   * @defaultValue none
   */
  readonly authorizedUsers?: readonly string[];
  /**
   * Add a private IPv4 address.
   * @defaultValue false
   */
  readonly privateIp?: boolean;
  /**
   * Enable Linode's backup service (billed).
   * @defaultValue false
   */
  readonly backupsEnabled?: boolean;
  /**
   * Id of the Cloud Firewall to attach.
   * @defaultValue none
   */
  readonly firewallId?: number;
}

/**
 * The `POST /linode/instances` body for a checked request, tagged with `marker` (the idempotency
 * tag). The root password is registered as a secret, so it is scrubbed from every message.
 */
export function createInstanceBody(request: ResolvedCreateNodeRequest<LinodeProviderOptions>, marker: string): LinodeCreateBody {
  const extra = request.providerOptions ?? {};
  const rootPassword =
    extra.rootPassword instanceof Secret
      ? extra.rootPassword
      : extra.rootPassword === undefined
        ? new Secret(generateRootPassword(), { generated: true })
        : new Secret(extra.rootPassword);
  return {
    label: request.name,
    type: request.sizeId,
    region: request.locationId,
    image: fromImageId(request.imageId),
    root_pass: rootPassword.reveal(),
    tags: [...Object.entries(request.tags).map(([key, value]) => encodeTag(key, value)), marker],
    booted: true,
    ...(request.sshKeys.length > 0 ? { authorized_keys: [...request.sshKeys] } : {}),
    ...(extra.authorizedUsers ? { authorized_users: [...extra.authorizedUsers] } : {}),
    ...(request.userData !== undefined ? { metadata: { user_data: Buffer.from(request.userData, 'utf8').toString('base64') } } : {}),
    ...(extra.privateIp !== undefined ? { private_ip: extra.privateIp } : {}),
    ...(extra.backupsEnabled !== undefined ? { backups_enabled: extra.backupsEnabled } : {}),
    ...(extra.firewallId !== undefined ? { firewall_id: extra.firewallId } : {}),
  };
}

/** Checks `providerOptions` before any request. */
export function checkProviderOptions(check: CheckContext, options: LinodeProviderOptions | undefined): void {
  if (options === undefined) return;
  const password = options.rootPassword instanceof Secret ? options.rootPassword.reveal() : options.rootPassword;
  if (password !== undefined && (typeof password !== 'string' || password.length < 7 || password.length > 128)) {
    // The value is a password: never echo it.
    invalid(
      check,
      'providerOptions.rootPassword',
      'a string of 7-128 characters',
      typeof password === 'string' ? `${password.length} characters` : typeof password,
    );
  }
  if (
    options.authorizedUsers !== undefined &&
    (!Array.isArray(options.authorizedUsers) || options.authorizedUsers.some((user) => typeof user !== 'string' || user === ''))
  ) {
    invalid(check, 'providerOptions.authorizedUsers', 'an array of Linode user names', options.authorizedUsers);
  }
  for (const flag of ['privateIp', 'backupsEnabled'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean')
      invalid(check, `providerOptions.${flag}`, 'a boolean', options[flag]);
  }
  if (options.firewallId !== undefined && !(Number.isInteger(options.firewallId) && options.firewallId > 0))
    invalid(check, 'providerOptions.firewallId', 'a positive integer id', options.firewallId);
  const known = new Set(['rootPassword', 'authorizedUsers', 'privateIp', 'backupsEnabled', 'firewallId']);
  for (const key of Object.keys(options)) {
    if (!known.has(key))
      throw new InvalidRequestError(`"providerOptions.${key}" is not a Linode option (${[...known].join(', ')})`, {
        provider: 'linode',
        operation: check.operation,
        field: `providerOptions.${key}`,
      });
  }
}
