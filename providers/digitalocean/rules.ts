/**
 * DigitalOcean's input rules, checked before any request: names, tags and `providerOptions`.
 *
 * @module
 */
import { invalid, type CheckContext, type ProviderLimits, type ResolvedCreateNodeRequest } from '../../src/kit.js';
import { DO_TAG_PATTERN } from './map.js';

/** DigitalOcean-specific create options (`CreateNodeRequest.providerOptions`). */
export interface DigitalOceanProviderOptions {
  /**
   * Place the droplet in this VPC (UUID), sent as `vpc_uuid`.
   * @defaultValue the region's default VPC
   */
  readonly vpcUuid?: string;
  /**
   * Give the droplet an IPv6 address (`ipv6`).
   * @defaultValue false
   */
  readonly ipv6?: boolean;
  /**
   * Install the metrics agent (`monitoring`).
   * @defaultValue false
   */
  readonly monitoring?: boolean;
  /**
   * Turn on automated backups (`backups`; billed).
   * @defaultValue false
   */
  readonly backups?: boolean;
}

/** Name rule of the current API document (`^[a-zA-Z0-9]?[a-z0-9A-Z.\-]*[a-z0-9A-Z]$`, ≤ 255). */
export const NAME_PATTERN = {
  pattern: /^[a-zA-Z0-9]?[a-zA-Z0-9.-]*[a-zA-Z0-9]$/,
  description: "letters, digits, '.' and '-', ending with a letter or digit",
};
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** DigitalOcean's limits. */
export const DIGITALOCEAN_LIMITS: Partial<ProviderLimits> = {
  maxNameLength: 255,
  namePattern: NAME_PATTERN,
  // One tag is kept for the idempotency key.
  maxTags: 49,
  maxTagKeyLength: 128,
  maxTagValueLength: 126,
  maxUserDataBytes: 64 * 1024,
};

/** DigitalOcean's rules for a create, checked before any request. */
export function checkCreate(request: ResolvedCreateNodeRequest<DigitalOceanProviderOptions>, check: CheckContext): void {
  for (const [key, value] of Object.entries(request.tags)) {
    if (!/^[A-Za-z0-9_-]+$/.test(key))
      invalid(check, `tags.${key}`, "a key of letters, digits, '_' and '-' (DigitalOcean tags are \"key:value\" strings)", key);
    if (value !== '' && !DO_TAG_PATTERN.test(value)) invalid(check, `tags.${key}`, "a value of letters, digits, '_', ':' and '-'", value);
  }
  const options = request.providerOptions;
  if (options === undefined) return;
  const known = new Set(['vpcUuid', 'ipv6', 'monitoring', 'backups']);
  for (const key of Object.keys(options))
    if (!known.has(key)) invalid(check, `providerOptions.${key}`, `one of ${[...known].join(', ')}`, key);
  if (options.vpcUuid !== undefined && !(typeof options.vpcUuid === 'string' && UUID_PATTERN.test(options.vpcUuid))) {
    invalid(check, 'providerOptions.vpcUuid', 'a VPC UUID', options.vpcUuid);
  }
  for (const flag of ['ipv6', 'monitoring', 'backups'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean')
      invalid(check, `providerOptions.${flag}`, 'true or false', options[flag]);
  }
}
