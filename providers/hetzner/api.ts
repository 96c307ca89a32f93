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
  /** EUR without VAT, as a decimal string, e.g. `"0.0060000000"`. */
  readonly net: string;
  /** EUR with the VAT of the project's billing country, as a decimal string. */
  readonly gross: string;
}

/** The price of a server type in one location. */
export interface HetznerLocationPrice {
  /** Location name, e.g. `fsn1`. */
  readonly location: string;
  /** Hourly price (`Price.hourly`). */
  readonly price_hourly: HetznerPriceAmount;
  /** Monthly price (`Price.monthly`), also the most a server of the type costs in a month. */
  readonly price_monthly: HetznerPriceAmount;
}

/** A location (`/locations`). */
export interface HetznerLocation {
  /** Numeric location id. */
  readonly id: number;
  /** e.g. `fsn1`. */
  readonly name: string;
  /** Display name, e.g. `Falkenstein DC Park 1` (`Location.name`). */
  readonly description: string;
  /** ISO 3166-1 alpha-2, e.g. `DE`. */
  readonly country: string;
  /** City, e.g. `Falkenstein` (`Location.city`). */
  readonly city: string;
  /** Latitude of the location, in degrees. */
  readonly latitude: number;
  /** Longitude of the location, in degrees. */
  readonly longitude: number;
  /** The network zone the location belongs to, e.g. `eu-central`; private networks span one zone. */
  readonly network_zone: string;
}

/** A server type (`/server_types`). */
export interface HetznerServerType {
  /** Numeric server type id. */
  readonly id: number;
  /** e.g. `cx22`. */
  readonly name: string;
  /** Display name, e.g. `CX22` (`Size.name`). */
  readonly description: string;
  /** Number of vCPUs (`Size.vcpus`). */
  readonly cores: number;
  /** Memory in GB as Hetzner states it (binary gigabytes). */
  readonly memory: number;
  /** Local disk in GB (binary gigabytes). */
  readonly disk: number;
  /** Whether the type is deprecated; deprecated types are left out of `listSizes`. */
  readonly deprecated: boolean | null;
  /** Prices per location; the locations listed are where the type is sold (`Size.locations`). */
  readonly prices: readonly HetznerLocationPrice[];
  /** Whether the root disk is `local` NVMe or `network` storage. */
  readonly storage_type: 'local' | 'network';
  /** `shared` vCPUs (`Size.sharedCore`) or `dedicated` ones. */
  readonly cpu_type: 'shared' | 'dedicated';
  /** CPU architecture: `x86` or `arm` (mapped to `x86_64` / `arm64`). */
  readonly architecture?: 'x86' | 'arm';
}

/** An image (`/images`). */
export interface HetznerImage {
  /** Numeric image id; `Image.id`, since x86 and arm images share a name. */
  readonly id: number;
  /** Image kind; the driver lists `system` images. */
  readonly type: 'system' | 'app' | 'snapshot' | 'backup' | 'temporary';
  /** Only `available` images are listed. */
  readonly status: 'available' | 'creating' | 'unavailable';
  /** e.g. `ubuntu-24.04`; null for snapshots and backups. */
  readonly name: string | null;
  /** Display name, e.g. `Ubuntu 24.04`; `Image.name` when `name` is null. */
  readonly description: string;
  /** OS family, e.g. `ubuntu`, `debian`; `unknown` when Hetzner cannot tell. */
  readonly os_flavor: string;
  /** OS version, e.g. `24.04`; null when unknown. */
  readonly os_version: string | null;
  /** CPU architecture the image runs on: `x86` or `arm`. */
  readonly architecture?: 'x86' | 'arm';
  /** When the image was created, ISO 8601 (`Image.createdAt`). */
  readonly created: string;
  /** When the image was deprecated, ISO 8601; null while current. Deprecated images are not listed. */
  readonly deprecated: string | null;
  /** When the image was deleted, ISO 8601; null or absent while it exists. */
  readonly deleted?: string | null;
  /** The image's labels (user-defined key/value pairs). */
  readonly labels: Readonly<Record<string, string>>;
}

/** A server (`/servers`). */
export interface HetznerServer {
  /** Numeric server id; `Node.id` as a string. */
  readonly id: number;
  /** The server's name (its hostname). */
  readonly name: string;
  /** Lifecycle status, mapped to a `NodeState`. */
  readonly status: HetznerServerStatus;
  /** When the server was created, ISO 8601 (`Node.createdAt`). */
  readonly created: string;
  /** The server's public addresses. */
  readonly public_net: {
    /** The primary IPv4 address; null when the server has none (`enableIpv4: false`). */
    readonly ipv4: {
      /** The IPv4 address (`Node.publicIps`). */
      readonly ip: string;
    } | null;
    /** The IPv6 network; null when the server has none (`enableIpv6: false`). */
    readonly ipv6: {
      /** The whole /64 network, e.g. `2001:db8::/64` (not listed in `Node.publicIps`: it is not one address). */
      readonly ip: string;
    } | null;
  };
  /** Attachments to private networks. */
  readonly private_net: readonly {
    /** The server's address in that network (`Node.privateIps`). */
    readonly ip?: string;
  }[];
  /** The server's type, with its prices (`Node.sizeId`, `Node.price`). */
  readonly server_type: HetznerServerType;
  /** The data centre the server runs in. */
  readonly datacenter: {
    /** Data centre name, e.g. `fsn1-dc14`. */
    readonly name: string;
    /** The location the data centre is in (`Node.location` when `location` is absent). */
    readonly location: HetznerLocation;
  };
  /** The location, on API versions that give it beside (or instead of) `datacenter`. */
  readonly location?: HetznerLocation;
  /** The image the server was created from; null once that image is deleted. */
  readonly image: HetznerImage | null;
  /** The server's labels: polycloud tags plus polycloud's own idempotency and key-mark labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/** An action: the progress of an asynchronous operation (`/actions/{id}`). */
export interface HetznerAction {
  /** Numeric action id, polled at `/actions/{id}`. */
  readonly id: number;
  /** What the action does, e.g. `create_server`, `start_server`, `shutdown_server`. */
  readonly command: string;
  /** `running` until it ends as `success` or `error`. */
  readonly status: 'running' | 'success' | 'error';
  /** Progress in percent, 0–100. */
  readonly progress: number;
  /** When the action started, ISO 8601. */
  readonly started: string;
  /** When the action ended, ISO 8601; null while it runs. */
  readonly finished: string | null;
  /** The resources the action works on. */
  readonly resources: readonly {
    /** Numeric id of the resource. */
    readonly id: number;
    /** Kind of the resource, e.g. `server`. */
    readonly type: string;
  }[];
  /** Why the action failed; null unless `status` is `error`. */
  readonly error: {
    /** Machine-readable error code. */
    readonly code: string;
    /** Human-readable message. */
    readonly message: string;
  } | null;
}

/** An SSH key of the project (`/ssh_keys`). */
export interface HetznerSshKey {
  /** Numeric key id. */
  readonly id: number;
  /** The key's name in the project; what a create's `ssh_keys` sends. */
  readonly name: string;
  /** MD5 fingerprint, colon-separated hex. */
  readonly fingerprint: string;
  /** The OpenSSH public key line. */
  readonly public_key: string;
  /** The key's labels (user-defined key/value pairs). */
  readonly labels: Readonly<Record<string, string>>;
}

/** `meta.pagination` of every list answer. */
export interface HetznerPagination {
  /** Number of this page, from 1. */
  readonly page: number;
  /** Entries per page (at most 50). */
  readonly per_page: number;
  /** Number of the previous page; null on the first. */
  readonly previous_page: number | null;
  /** Number of the next page; null on the last page, which ends the listing. */
  readonly next_page: number | null;
  /** Number of the last page; null when the API does not count. */
  readonly last_page: number | null;
  /** Number of entries over all pages; null when the API does not count. */
  readonly total_entries: number | null;
}

/** The error body of every failed call. */
export interface HetznerErrorBody {
  /** What went wrong. */
  readonly error: {
    /** Machine-readable code, e.g. `not_found`, `invalid_input`, `resource_limit_exceeded`. */
    readonly code: string;
    /** Human-readable message. */
    readonly message: string;
    /** For `invalid_input`: the request fields at fault; null or absent otherwise. */
    readonly details?: {
      /** The fields at fault. */
      readonly fields?: readonly {
        /** The field's name in the request body, e.g. `name`. */
        readonly name: string;
        /** What is wrong with it. */
        readonly messages?: readonly string[];
      }[];
    } | null;
  };
}

/** The body of `POST /servers`. */
export interface HetznerCreateServerBody {
  /** The server's name (its hostname). */
  name: string;
  /** Server type name, e.g. `cx22`. */
  server_type: string;
  /** Image id (as a string) or name. */
  image: string;
  /** Location name, e.g. `fsn1`. */
  location: string;
  /** Labels: the request's tags plus polycloud's idempotency label. */
  labels: Record<string, string>;
  /** Names (or ids) of project SSH keys to install. */
  ssh_keys?: string[];
  /** Cloud-init user data, up to 32 KiB. */
  user_data?: string;
  /** Always `true`: the server is powered on once created. */
  start_after_create: boolean;
  /** Ids of private networks to attach. */
  networks?: number[];
  /** Firewalls to apply to the public interface. */
  firewalls?: {
    /** Numeric firewall id. */
    firewall: number;
  }[];
  /** Id of the placement group to put the server in. */
  placement_group?: number;
  /** Which public addresses the server gets; both when absent. */
  public_net?: {
    /** Whether to give the server a public IPv4 address. */
    enable_ipv4?: boolean;
    /** Whether to give the server a public IPv6 network. */
    enable_ipv6?: boolean;
  };
}

/** The answer to `POST /servers`. */
export interface HetznerCreateServerResponse {
  /** The new server, usually still `initializing`. */
  readonly server: HetznerServer;
  /** The `create_server` action. */
  readonly action: HetznerAction;
  /** Actions that run after the create, e.g. `start_server`. */
  readonly next_actions: readonly HetznerAction[];
  /** The generated root password; null when SSH keys were given. */
  readonly root_password: string | null;
}
