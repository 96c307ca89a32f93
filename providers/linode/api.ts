/**
 * The Linode API v4 objects this driver reads and writes, as the API sends them
 * (`https://api.linode.com/v4`, the official OpenAPI document). Only the fields the driver uses
 * are typed; the rest is kept as received in `Node.raw`.
 *
 * @module
 */

/** Every `status` a Linode instance reports. */
export type LinodeStatus =
  | 'running'
  | 'offline'
  | 'booting'
  | 'rebooting'
  | 'shutting_down'
  | 'provisioning'
  | 'deleting'
  | 'migrating'
  | 'rebuilding'
  | 'cloning'
  | 'restoring'
  | 'stopped'
  | 'billing_suspension';

/** An instance (`/linode/instances`). */
export interface LinodeInstance {
  /** Numeric instance id; `Node.id` as a string. */
  readonly id: number;
  /** The instance's name. */
  readonly label: string;
  /** Lifecycle status, mapped to a `NodeState`. */
  readonly status: LinodeStatus;
  /** Region id, e.g. `us-east`. */
  readonly region: string;
  /** Type id, e.g. `g6-nanode-1`. */
  readonly type: string | null;
  /** Image id, e.g. `linode/ubuntu24.04`. */
  readonly image: string | null;
  /** Public and private IPv4 addresses. */
  readonly ipv4: readonly string[];
  /** SLAAC address with its prefix length, e.g. `2600:3c03::f03c:91ff:fe24:3a2f/128`. */
  readonly ipv6: string | null;
  /** Tags, polycloud's as `key:value`. */
  readonly tags: readonly string[];
  /** UTC time without a zone designator, e.g. `2026-01-01T00:01:01`. */
  readonly created: string;
  /** When the instance was last changed, in the same format as `created`. */
  readonly updated?: string;
  /** The resources of the instance's type. */
  readonly specs?: {
    /** Number of vCPUs. */
    readonly vcpus: number;
    /** Memory in MB. */
    readonly memory: number;
    /** Disk in MB. */
    readonly disk: number;
    /** Monthly outbound transfer allowance, in GB. */
    readonly transfer: number;
    /** Number of GPUs; absent or `0` without GPUs. */
    readonly gpus?: number;
  };
}

/** A price pair in USD. */
export interface LinodePrice {
  /** USD per hour; `null` when Linode gives none. */
  readonly hourly: number | null;
  /** USD per month (the monthly cap); `null` when Linode gives none. */
  readonly monthly: number | null;
}

/** A type (plan) (`/linode/types`). */
export interface LinodeType {
  /** Type id, e.g. `g6-nanode-1` (`Size.id`). */
  readonly id: string;
  /** Display name, e.g. `Nanode 1GB`. */
  readonly label: string;
  /** Plan class, e.g. `nanode`, `standard`, `dedicated`, `highmem`, `gpu`. */
  readonly class: string;
  /** Number of vCPUs. */
  readonly vcpus: number;
  /** Memory in MB (binary megabytes: a 1 GB Nanode has 1024). */
  readonly memory: number;
  /** Disk in MB (binary megabytes). */
  readonly disk: number;
  /** Number of GPUs; `0` for types without. */
  readonly gpus: number;
  /** Monthly outbound transfer allowance, in GB. */
  readonly transfer?: number;
  /** Outbound bandwidth cap, in Mbit/s. */
  readonly network_out?: number;
  /** The price in regions without their own entry in `region_prices`. */
  readonly price: LinodePrice;
  /** Prices of regions that differ from `price`, each with the region's `id`. */
  readonly region_prices?: readonly (LinodePrice & {
    /** Region id, e.g. `br-gru`. */
    readonly id: string;
  })[];
  /** Id of the type that replaces this one, for a retired type; `null` otherwise. */
  readonly successor?: string | null;
}

/** A region (`/regions`). */
export interface LinodeRegion {
  /** Region id, e.g. `us-east` (`Location.id`). */
  readonly id: string;
  /** e.g. `Newark, NJ`. */
  readonly label: string;
  /** ISO 3166-1 alpha-2 in lower case, e.g. `us`. */
  readonly country: string;
  /** Services offered there, e.g. `Linodes`, `Block Storage`, `Vlans`. */
  readonly capabilities: readonly string[];
  /** `ok`, or `outage` while the region is degraded. */
  readonly status: 'ok' | 'outage';
}

/** An image (`/images`). */
export interface LinodeImage {
  /** e.g. `linode/ubuntu24.04`, or `private/123` for a user's own image. */
  readonly id: string;
  /** Display name, e.g. `Ubuntu 24.04 LTS`. */
  readonly label: string;
  /** e.g. `Ubuntu`; null for private images. */
  readonly vendor: string | null;
  /** Whether the image is one of Linode's public images. */
  readonly is_public: boolean;
  /** Whether Linode has deprecated the image. */
  readonly deprecated: boolean;
  /** `manual` (made by a user or Linode) or `automatic` (made from a deleted instance's disk). */
  readonly type: 'manual' | 'automatic';
  /** Image state, e.g. `available`, `creating`, `pending_upload`. */
  readonly status?: string;
  /** When the image was created, UTC without a zone designator. */
  readonly created: string;
  /** Size of the image, in MB. */
  readonly size?: number;
}

/** One page of a list answer. */
export interface LinodePage<T> {
  /** The entries of this page. */
  readonly data: readonly T[];
  /** Number of this page, from 1. */
  readonly page: number;
  /** Number of pages in all. */
  readonly pages: number;
  /** Number of entries over all pages. */
  readonly results: number;
}

/** The body of `POST /linode/instances`. */
export interface LinodeCreateBody {
  /** The instance's name. */
  label: string;
  /** Type id, e.g. `g6-nanode-1`. */
  type: string;
  /** Region id, e.g. `us-east`. */
  region: string;
  /** Image id, e.g. `linode/ubuntu24.04`. */
  image: string;
  /** Root password (Linode requires one); registered as a secret, never shown. */
  root_pass: string;
  /** Tags: the request's tags as `key:value`, plus polycloud's own. */
  tags: string[];
  /** OpenSSH public keys to install for root. */
  authorized_keys?: string[];
  /** Linode user names whose profile keys are installed for root. */
  authorized_users?: string[];
  /** Metadata-service data for cloud-init. */
  metadata?: {
    /** The user data, Base64-encoded. */
    user_data: string;
  };
  /** Whether the instance boots once created. */
  booted: boolean;
  /** Whether to give the instance a private IPv4 address. */
  private_ip?: boolean;
  /** Whether to turn on the Backup service (billed). */
  backups_enabled?: boolean;
  /** Id of the Cloud Firewall to attach. */
  firewall_id?: number;
}
