/**
 * Creating instances: the typed `providerOptions`, their checks (and the label rules Compute
 * enforces), and the `Instance` body sent to `instances.insert`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { invalid, type CheckContext, type ResolvedCreateNodeRequest } from '../../src/kit.js';
import { LABEL_KEY_PATTERN, LABEL_VALUE_PATTERN } from './map.js';

/** Compute-specific options of `createNode`. All are optional. */
export interface GceProviderOptions {
  /**
   * VPC network, as a name or partial URL.
   * @defaultValue `global/networks/default`
   */
  readonly network?: string;
  /**
   * Subnetwork, as a name (in the node's region) or partial URL.
   * @defaultValue the network's auto subnet
   */
  readonly subnetwork?: string;
  /**
   * Give the node an ephemeral external IPv4 address.
   * @defaultValue true
   */
  readonly externalIp?: boolean;
  /**
   * Boot disk size in GB.
   * @defaultValue the image's size (10 GB for Ubuntu and Debian)
   */
  readonly diskSizeGb?: number;
  /**
   * Boot disk type, e.g. `pd-ssd`, `hyperdisk-balanced`.
   * @defaultValue `pd-balanced`
   */
  readonly diskType?: string;
  /**
   * The user the `sshKeys` are installed for (Compute's `ssh-keys` metadata is `user:key`).
   * @defaultValue `ubuntu` for Ubuntu images, `debian` for Debian images, else `polycloud`
   */
  readonly sshUser?: string;
  /**
   * The metadata key `userData` goes to: `user-data` (read by cloud-init, as on Ubuntu images)
   * or `startup-script` (run by the guest agent on every boot, as on Debian images).
   * @defaultValue `user-data`
   */
  readonly userDataKey?: 'user-data' | 'startup-script';
  /**
   * Run as a Spot VM (cheaper, may be preempted).
   * @defaultValue false
   */
  readonly spot?: boolean;
  /**
   * Network tags (firewall targets), e.g. `['http-server']`.
   * @defaultValue none
   */
  readonly networkTags?: readonly string[];
  /**
   * Service account the node runs as.
   * @defaultValue none attached
   */
  readonly serviceAccount?: {
    /** The service account's email, e.g. `app@my-project.iam.gserviceaccount.com`. */
    readonly email: string;
    /**
     * OAuth scopes granted to the node's access tokens.
     * @defaultValue `['https://www.googleapis.com/auth/cloud-platform']`
     */
    readonly scopes?: readonly string[];
  };
  /**
   * More metadata entries. Keys `ssh-keys` and the `userDataKey` are set by polycloud.
   * @defaultValue none
   */
  readonly metadata?: Readonly<Record<string, string>>;
}

const NETWORK_TAG = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const RESOURCE_PATH = /^[a-z0-9](?:[-a-z0-9/._]*[a-z0-9])?$/;
const METADATA_KEY = /^[A-Za-z0-9_-]{1,128}$/;

/** Checks labels (polycloud tags) against Compute's label rules. */
export function checkLabels(check: CheckContext, field: string, labels: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY_PATTERN.test(key) || key.startsWith('goog')) {
      invalid(
        check,
        `${field} key`,
        "a Compute label key: a lower-case letter, then up to 62 lower-case letters, digits, '_' or '-' (not starting with 'goog')",
        key,
      );
    }
    if (!LABEL_VALUE_PATTERN.test(value))
      invalid(check, `${field}.${key}`, "a Compute label value: up to 63 lower-case letters, digits, '_' or '-'", value);
  }
}

/** Checks the `providerOptions` of a create request. */
export function checkProviderOptions(check: CheckContext, options: GceProviderOptions | undefined): void {
  if (options === undefined) return;
  const known = new Set([
    'network',
    'subnetwork',
    'externalIp',
    'diskSizeGb',
    'diskType',
    'sshUser',
    'userDataKey',
    'spot',
    'networkTags',
    'serviceAccount',
    'metadata',
  ]);
  for (const key of Object.keys(options))
    if (!known.has(key)) invalid(check, `providerOptions.${key}`, `one of ${[...known].join(', ')}`, key);
  for (const key of ['network', 'subnetwork', 'diskType'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || !RESOURCE_PATH.test(value)))
      invalid(check, `providerOptions.${key}`, 'a Compute resource name or partial URL', value);
  }
  for (const key of ['externalIp', 'spot'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean')
      invalid(check, `providerOptions.${key}`, 'a boolean', options[key]);
  }
  const size = options.diskSizeGb;
  if (size !== undefined && !(typeof size === 'number' && Number.isInteger(size) && size >= 10 && size <= 65_536)) {
    invalid(check, 'providerOptions.diskSizeGb', 'a whole number of GB from 10 to 65536', size);
  }
  if (options.sshUser !== undefined && (typeof options.sshUser !== 'string' || !/^[a-z_][a-z0-9_-]{0,31}$/.test(options.sshUser))) {
    invalid(check, 'providerOptions.sshUser', 'a Linux user name (lower-case letters, digits, _ and -, at most 32)', options.sshUser);
  }
  if (options.userDataKey !== undefined && options.userDataKey !== 'user-data' && options.userDataKey !== 'startup-script') {
    invalid(check, 'providerOptions.userDataKey', '"user-data" or "startup-script"', options.userDataKey);
  }
  if (options.networkTags !== undefined) {
    if (!Array.isArray(options.networkTags)) invalid(check, 'providerOptions.networkTags', 'an array of network tags', options.networkTags);
    options.networkTags.forEach((tag: unknown, index) => {
      if (typeof tag !== 'string' || !NETWORK_TAG.test(tag))
        invalid(check, `providerOptions.networkTags[${index}]`, 'a network tag (RFC 1035 label)', tag);
    });
  }
  const account = options.serviceAccount;
  if (account !== undefined) {
    if (typeof account !== 'object' || account === null || typeof account.email !== 'string' || !account.email.includes('@')) {
      invalid(check, 'providerOptions.serviceAccount', 'an object with a service account email', account);
    }
    if (account.scopes !== undefined && (!Array.isArray(account.scopes) || account.scopes.some((scope) => typeof scope !== 'string'))) {
      invalid(check, 'providerOptions.serviceAccount.scopes', 'an array of OAuth scope URLs', account.scopes);
    }
  }
  if (options.metadata !== undefined) {
    if (typeof options.metadata !== 'object' || options.metadata === null)
      invalid(check, 'providerOptions.metadata', 'an object of strings', options.metadata);
    for (const [key, value] of Object.entries(options.metadata)) {
      if (!METADATA_KEY.test(key)) invalid(check, `providerOptions.metadata key`, "1-128 letters, digits, '_' or '-'", key);
      if (typeof value !== 'string') invalid(check, `providerOptions.metadata.${key}`, 'a string', value);
    }
  }
}

/**
 * The Compute `requestId` of a create: a UUID derived from the project and the idempotency key,
 * so every retry of the call (and every repeat with the same key) sends the same one and Compute
 * performs the insert once.
 */
export function requestIdForKey(project: string, key: string): string {
  const hash = createHash('sha256').update(`polycloud:gce:${project}:${key}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50; // RFC 4122 layout, name-based
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The default SSH user for an image family. */
export function defaultSshUser(imageName: string): string {
  if (imageName.startsWith('ubuntu')) return 'ubuntu';
  if (imageName.startsWith('debian')) return 'debian';
  return 'polycloud';
}

/** What {@link buildInstanceBody} needs besides the request. */
export interface InstanceBodyInput {
  readonly zone: string;
  /** `projects/<p>/global/images/family/<f>` or `projects/<p>/global/images/<name>`. */
  readonly sourceImage: string;
  /** The image family or name, for the default SSH user. */
  readonly imageName: string;
}

function withPrefix(value: string, prefix: string): string {
  return value.includes('/') ? value : `${prefix}${value}`;
}

/** The `instanceResource` of `instances.insert` for a create request. */
export function buildInstanceBody(
  request: ResolvedCreateNodeRequest<GceProviderOptions>,
  input: InstanceBodyInput,
): Record<string, unknown> {
  const options = request.providerOptions ?? {};
  const region = input.zone.replace(/-[a-z]$/, '');
  const items: { key: string; value: string }[] = Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value }));
  const setItem = (key: string, value: string) => {
    const index = items.findIndex((item) => item.key === key);
    if (index >= 0) items.splice(index, 1);
    items.push({ key, value });
  };
  if (request.sshKeys.length > 0) {
    const user = options.sshUser ?? defaultSshUser(input.imageName);
    setItem('ssh-keys', request.sshKeys.map((key) => `${user}:${key}`).join('\n'));
  }
  if (request.userData !== undefined) setItem(options.userDataKey ?? 'user-data', request.userData);
  return {
    name: request.name,
    machineType: `zones/${input.zone}/machineTypes/${request.sizeId}`,
    labels: { ...request.tags },
    disks: [
      {
        boot: true,
        autoDelete: true,
        type: 'PERSISTENT',
        initializeParams: {
          sourceImage: input.sourceImage,
          diskType: `zones/${input.zone}/diskTypes/${options.diskType ?? 'pd-balanced'}`,
          ...(options.diskSizeGb === undefined ? {} : { diskSizeGb: String(options.diskSizeGb) }),
        },
      },
    ],
    networkInterfaces: [
      {
        network: withPrefix(options.network ?? 'default', 'global/networks/'),
        ...(options.subnetwork === undefined ? {} : { subnetwork: withPrefix(options.subnetwork, `regions/${region}/subnetworks/`) }),
        ...(options.externalIp === false ? {} : { accessConfigs: [{ name: 'External NAT', type: 'ONE_TO_ONE_NAT' }] }),
      },
    ],
    ...(items.length > 0 ? { metadata: { items } } : {}),
    ...(options.networkTags?.length ? { tags: { items: [...options.networkTags] } } : {}),
    ...(options.spot
      ? {
          scheduling: {
            provisioningModel: 'SPOT',
            instanceTerminationAction: 'STOP',
            automaticRestart: false,
            onHostMaintenance: 'TERMINATE',
          },
        }
      : {}),
    ...(options.serviceAccount
      ? {
          serviceAccounts: [
            {
              email: options.serviceAccount.email,
              scopes: [...(options.serviceAccount.scopes ?? ['https://www.googleapis.com/auth/cloud-platform'])],
            },
          ],
        }
      : {}),
  };
}
