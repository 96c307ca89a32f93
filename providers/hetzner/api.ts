/**
 * The Hetzner Cloud API objects this driver reads and writes, as the API sends them
 * (`https://api.hetzner.cloud/v1`, the official OpenAPI document). Only the fields the driver
 * uses are typed; the rest is kept as received in `Node.raw`.
 *
 * @module
 */

/** Every `status` a Hetzner server reports. */
export type HetznerServerStatus =
  'running' | 'initializing' | 'starting' | 'stopping' | 'off' | 'deleting' | 'migrating' | 'rebuilding' | 'unknown';

/** A price pair as Hetzner sends it: decimal strings, without (`net`) and with (`gross`) VAT. */
export interface HetznerPriceAmount {
  readonly net: string;
  readonly gross: string;
}

/** The price of a server type in one location. */
export interface HetznerLocationPrice {
  /** Location name, e.g. `fsn1`. */
  readonly location: string;
  readonly price_hourly: HetznerPriceAmount;
  readonly price_monthly: HetznerPriceAmount;
}

/** A location (`/locations`). */
export interface HetznerLocation {
  readonly id: number;
  /** e.g. `fsn1`. */
  readonly name: string;
  readonly description: string;
  /** ISO 3166-1 alpha-2, e.g. `DE`. */
  readonly country: string;
  readonly city: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly network_zone: string;
}

/** A server type (`/server_types`). */
export interface HetznerServerType {
  readonly id: number;
  /** e.g. `cx22`. */
  readonly name: string;
  readonly description: string;
  readonly cores: number;
  /** Memory in GB as Hetzner states it (binary gigabytes). */
  readonly memory: number;
  /** Local disk in GB (binary gigabytes). */
  readonly disk: number;
  readonly deprecated: boolean | null;
  readonly prices: readonly HetznerLocationPrice[];
  readonly storage_type: 'local' | 'network';
  readonly cpu_type: 'shared' | 'dedicated';
  readonly architecture?: 'x86' | 'arm';
}

/** An image (`/images`). */
export interface HetznerImage {
  readonly id: number;
  readonly type: 'system' | 'app' | 'snapshot' | 'backup' | 'temporary';
  readonly status: 'available' | 'creating' | 'unavailable';
  /** e.g. `ubuntu-24.04`; null for snapshots and backups. */
  readonly name: string | null;
  readonly description: string;
  readonly os_flavor: string;
  readonly os_version: string | null;
  readonly architecture?: 'x86' | 'arm';
  readonly created: string;
  readonly deprecated: string | null;
  readonly deleted?: string | null;
  readonly labels: Readonly<Record<string, string>>;
}

/** A server (`/servers`). */
export interface HetznerServer {
  readonly id: number;
  readonly name: string;
  readonly status: HetznerServerStatus;
  readonly created: string;
  readonly public_net: {
    readonly ipv4: { readonly ip: string } | null;
    readonly ipv6: { readonly ip: string } | null;
  };
  readonly private_net: readonly { readonly ip?: string }[];
  readonly server_type: HetznerServerType;
  readonly datacenter: { readonly name: string; readonly location: HetznerLocation };
  /** The location, on API versions that give it beside (or instead of) `datacenter`. */
  readonly location?: HetznerLocation;
  readonly image: HetznerImage | null;
  readonly labels: Readonly<Record<string, string>>;
}

/** An action: the progress of an asynchronous operation (`/actions/{id}`). */
export interface HetznerAction {
  readonly id: number;
  readonly command: string;
  readonly status: 'running' | 'success' | 'error';
  readonly progress: number;
  readonly started: string;
  readonly finished: string | null;
  readonly resources: readonly { readonly id: number; readonly type: string }[];
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** An SSH key of the project (`/ssh_keys`). */
export interface HetznerSshKey {
  readonly id: number;
  readonly name: string;
  /** MD5 fingerprint, colon-separated hex. */
  readonly fingerprint: string;
  readonly public_key: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** `meta.pagination` of every list answer. */
export interface HetznerPagination {
  readonly page: number;
  readonly per_page: number;
  readonly previous_page: number | null;
  readonly next_page: number | null;
  readonly last_page: number | null;
  readonly total_entries: number | null;
}

/** The error body of every failed call. */
export interface HetznerErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: { readonly fields?: readonly { readonly name: string; readonly messages?: readonly string[] }[] } | null;
  };
}

/** The body of `POST /servers`. */
export interface HetznerCreateServerBody {
  name: string;
  server_type: string;
  image: string;
  location: string;
  labels: Record<string, string>;
  ssh_keys?: string[];
  user_data?: string;
  start_after_create: boolean;
  networks?: number[];
  firewalls?: { firewall: number }[];
  placement_group?: number;
  public_net?: { enable_ipv4?: boolean; enable_ipv6?: boolean };
}

/** The answer to `POST /servers`. */
export interface HetznerCreateServerResponse {
  readonly server: HetznerServer;
  readonly action: HetznerAction;
  readonly next_actions: readonly HetznerAction[];
  readonly root_password: string | null;
}
