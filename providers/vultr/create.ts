/**
 * What `createNode` sends: Vultr's `providerOptions`, their checks, and the `POST /instances`
 * body.
 *
 * @module
 */
import { invalid, type CheckContext, type ResolvedCreateNodeRequest } from '../../src/kit.js';
import type { VultrCreateInstanceBody } from './api.js';
import { checkVultrTags, idempotencyTag, toVultrTags } from './tags.js';

/** Vultr-specific options of `createNode` (`CreateNodeRequest.providerOptions`). */
export interface VultrProviderOptions {
  /**
   * The instance's hostname.
   * @defaultValue Vultr's own (derived from the label)
   */
  readonly hostname?: string;
  /**
   * Give the instance an IPv6 address.
   * @defaultValue false
   */
  readonly enableIpv6?: boolean;
  /**
   * Turn on automatic backups (billed).
   * @defaultValue false
   */
  readonly backups?: boolean;
  /**
   * VPC ids to attach.
   * @defaultValue none
   */
  readonly attachVpc?: readonly string[];
  /**
   * The firewall group to put the instance in.
   * @defaultValue none
   */
  readonly firewallGroupId?: string;
  /**
   * Turn on DDoS protection (billed).
   * @defaultValue false
   */
  readonly ddosProtection?: boolean;
}

const KNOWN_OPTIONS = new Set(['hostname', 'enableIpv6', 'backups', 'attachVpc', 'firewallGroupId', 'ddosProtection']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** The `POST /instances` body for a checked request; `sshKeyIds` are registry ids. */
export function createInstanceBody(
  request: ResolvedCreateNodeRequest<VultrProviderOptions>,
  sshKeyIds: readonly string[],
): VultrCreateInstanceBody {
  const extra = request.providerOptions ?? {};
  return {
    region: request.locationId,
    plan: request.sizeId,
    os_id: Number(request.imageId),
    label: request.name,
    tags: [...toVultrTags(request.tags), idempotencyTag(request.idempotencyKey)],
    ...(sshKeyIds.length > 0 ? { sshkey_id: [...sshKeyIds] } : {}),
    ...(request.userData !== undefined ? { user_data: Buffer.from(request.userData, 'utf8').toString('base64') } : {}),
    ...(extra.hostname !== undefined ? { hostname: extra.hostname } : {}),
    ...(extra.enableIpv6 !== undefined ? { enable_ipv6: extra.enableIpv6 } : {}),
    ...(extra.backups !== undefined ? { backups: extra.backups ? 'enabled' : 'disabled' } : {}),
    ...(extra.attachVpc !== undefined ? { attach_vpc: [...extra.attachVpc] } : {}),
    ...(extra.firewallGroupId !== undefined ? { firewall_group_id: extra.firewallGroupId } : {}),
    ...(extra.ddosProtection !== undefined ? { ddos_protection: extra.ddosProtection } : {}),
  };
}

/** Vultr's rules for a create, checked before any request: tags and `providerOptions`. */
export function checkCreate(request: ResolvedCreateNodeRequest<VultrProviderOptions>, check: CheckContext): void {
  checkVultrTags(check, request.tags);
  const options = request.providerOptions;
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) invalid(check, 'providerOptions', 'an object', options);
  for (const key of Object.keys(options))
    if (!KNOWN_OPTIONS.has(key)) invalid(check, `providerOptions.${key}`, `one of ${[...KNOWN_OPTIONS].join(', ')}`, key);
  if (options.hostname !== undefined && !(typeof options.hostname === 'string' && HOSTNAME.test(options.hostname)))
    invalid(check, 'providerOptions.hostname', 'a DNS host name', options.hostname);
  for (const flag of ['enableIpv6', 'backups', 'ddosProtection'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean')
      invalid(check, `providerOptions.${flag}`, 'true or false', options[flag]);
  }
  if (
    options.attachVpc !== undefined &&
    !(Array.isArray(options.attachVpc) && options.attachVpc.every((id) => typeof id === 'string' && UUID.test(id)))
  )
    invalid(check, 'providerOptions.attachVpc', 'an array of VPC ids (UUIDs)', options.attachVpc);
  if (options.firewallGroupId !== undefined && !(typeof options.firewallGroupId === 'string' && UUID.test(options.firewallGroupId)))
    invalid(check, 'providerOptions.firewallGroupId', 'a firewall group id (UUID)', options.firewallGroupId);
}
