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
  readonly id: number;
  /** The instance's name. */
  readonly label: string;
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
  readonly updated?: string;
  readonly specs?: {
    readonly vcpus: number;
    readonly memory: number;
    readonly disk: number;
    readonly transfer: number;
    readonly gpus?: number;
  };
}

/** A price pair in USD. */
export interface LinodePrice {
  readonly hourly: number | null;
  readonly monthly: number | null;
}

/** A type (plan) (`/linode/types`). */
export interface LinodeType {
  readonly id: string;
  readonly label: string;
  readonly class: string;
  readonly vcpus: number;
  /** Memory in MB (binary megabytes: a 1 GB Nanode has 1024). */
  readonly memory: number;
  /** Disk in MB (binary megabytes). */
  readonly disk: number;
  readonly gpus: number;
  readonly transfer?: number;
  readonly network_out?: number;
  /** The price in regions without their own entry in `region_prices`. */
  readonly price: LinodePrice;
  readonly region_prices?: readonly (LinodePrice & { readonly id: string })[];
  readonly successor?: string | null;
}

/** A region (`/regions`). */
export interface LinodeRegion {
  readonly id: string;
  /** e.g. `Newark, NJ`. */
  readonly label: string;
  /** ISO 3166-1 alpha-2 in lower case, e.g. `us`. */
  readonly country: string;
  readonly capabilities: readonly string[];
  readonly status: 'ok' | 'outage';
}

/** An image (`/images`). */
export interface LinodeImage {
  /** e.g. `linode/ubuntu24.04`, or `private/123` for a user's own image. */
  readonly id: string;
  readonly label: string;
  /** e.g. `Ubuntu`; null for private images. */
  readonly vendor: string | null;
  readonly is_public: boolean;
  readonly deprecated: boolean;
  readonly type: 'manual' | 'automatic';
  readonly status?: string;
  readonly created: string;
  readonly size?: number;
}

/** One page of a list answer. */
export interface LinodePage<T> {
  readonly data: readonly T[];
  readonly page: number;
  readonly pages: number;
  readonly results: number;
}

/** The body of `POST /linode/instances`. */
export interface LinodeCreateBody {
  label: string;
  type: string;
  region: string;
  image: string;
  root_pass: string;
  tags: string[];
  authorized_keys?: string[];
  authorized_users?: string[];
  metadata?: { user_data: string };
  booted: boolean;
  private_ip?: boolean;
  backups_enabled?: boolean;
  firewall_id?: number;
}
