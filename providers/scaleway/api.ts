/**
 * Scaleway's objects as the API sends them (the fields polycloud reads; names from
 * `@scaleway/sdk-instance`, `sdk-marketplace` and `sdk-iam` marshalling, as recorded by
 * scaleway-cli's cassettes).
 *
 * @module
 */

/** Instance server states (`ServerState`). */
export type ScalewayServerState = 'running' | 'stopped' | 'stopped in place' | 'starting' | 'stopping' | 'locked';

/** An address of a server (`public_ips[]`). */
export interface ScalewayServerIp {
  /** UUID of the flexible or dynamic IP object. */
  readonly id?: string;
  /** The address itself (goes to `Node.publicIps`). */
  readonly address: string;
  /** `inet` (IPv4) or `inet6` (IPv6). */
  readonly family?: 'inet' | 'inet6';
}

/** A volume attached to a server (`volumes` map, keyed by slot). */
export interface ScalewayServerVolume {
  /** UUID of the volume (a Block API volume for `sbs_volume`). */
  readonly id: string;
  /** `l_ssd`, `sbs_volume`, `scratch`. */
  readonly volume_type: string;
  /** Whether the server boots from this volume; with slot `0`, marks the root volume `destroyNode` removes. */
  readonly boot?: boolean;
  /** Zone the volume is in, e.g. `fr-par-1`. */
  readonly zone?: string;
}

/** An Instance server (`unmarshalServer`). */
export interface ScalewayServer {
  /** The server's UUID; `Node.id` is `<zone>/<id>`. */
  readonly id: string;
  /** The server's name. */
  readonly name: string;
  /** The server type, e.g. `DEV1-S`, `PRO2-XS` (`Node.sizeId`). */
  readonly commercial_type: string;
  /** CPU architecture: `x86_64`, `arm64` (or `arm`). */
  readonly arch?: string;
  /** Lifecycle state; `locked` and undocumented words map to `unknown`. */
  readonly state: ScalewayServerState | string;
  /** Free-text detail of the state (often empty). */
  readonly state_detail?: string;
  /** Zone the server runs in, e.g. `fr-par-1` (`Node.location`). */
  readonly zone: string;
  /** UUID of the project that owns the server. */
  readonly project?: string;
  /** The server's tags as plain strings, `key=value` for polycloud tags (see `fromScalewayTags`). */
  readonly tags: readonly string[];
  /** The image the server was created from; `null` once that image is gone. */
  readonly image?: {
    /** UUID of the Instance image (`Node.imageId`). */
    readonly id: string;
    /** The image's display name. */
    readonly name?: string;
  } | null;
  /** The first public address (deprecated by Scaleway in favour of `public_ips`); `null` without one. */
  readonly public_ip?: ScalewayServerIp | null;
  /** Every public address, IPv4 and IPv6. */
  readonly public_ips?: readonly ScalewayServerIp[];
  /** Private address of the legacy private network; `null` without one. */
  readonly private_ip?: string | null;
  /** Attached volumes keyed by slot (`"0"` is the root volume). */
  readonly volumes?: Readonly<Record<string, ScalewayServerVolume>>;
  /** Actions the server accepts in its current state, e.g. `poweron`, `terminate`. */
  readonly allowed_actions?: readonly string[];
  /** When the server was created, ISO 8601 (`Node.createdAt`). */
  readonly creation_date?: string;
}

/** A server type (`unmarshalServerType`), a value of the `servers` map of `/products/servers`. */
export interface ScalewayServerType {
  /** Number of vCPUs (`Size.vcpus`). */
  readonly ncpus: number;
  /** Bytes. */
  readonly ram: number;
  /** CPU architecture: `x86_64`, `arm64` (or `arm`). */
  readonly arch?: string;
  /** Number of GPUs; `0` or `null` for types without GPUs. */
  readonly gpu?: number | null;
  /** EUR per hour. */
  readonly hourly_price?: number | null;
  /** EUR per month. */
  readonly monthly_price?: number | null;
  /** Whether the type is being retired; such types are left out of `listSizes`. */
  readonly end_of_service?: boolean;
  /** Total size the server's local volumes may have, in bytes; `null` when unconstrained. */
  readonly volumes_constraint?: {
    /** Smallest total, in bytes. */
    readonly min_size?: number;
    /** Largest total, in bytes (gives `Size.diskGiB`). */
    readonly max_size?: number;
  } | null;
}

/** A marketplace image (`/marketplace/v2/images`). */
export interface ScalewayMarketplaceImage {
  /** UUID of the marketplace entry (not an Instance image id). */
  readonly id: string;
  /** Display name, e.g. `Ubuntu 24.04 Noble Numbat`; gives `Image.name` and `Image.os`. */
  readonly name: string;
  /** Stable label, e.g. `ubuntu_noble`, shared by the entry's local images. */
  readonly label: string;
  /** Marketplace categories the entry is filed under. */
  readonly categories?: readonly string[];
  /** When the entry was created, ISO 8601; `null` when unknown. */
  readonly created_at?: string | null;
  /** When the entry was last updated, ISO 8601 (`Image.createdAt`); `null` when unknown. */
  readonly updated_at?: string | null;
}

/** A marketplace image in one zone (`/marketplace/v2/local-images`); its id is the Instance image id. */
export interface ScalewayLocalImage {
  /** UUID of the Instance image a server is created from (`Image.id`). */
  readonly id: string;
  /** CPU architecture: `x86_64` or `arm64`. */
  readonly arch: string;
  /** Zone the image exists in. */
  readonly zone: string;
  /** The marketplace label it belongs to, e.g. `ubuntu_noble`. */
  readonly label: string;
  /** Storage kind: `instance_sbs` (block storage, what the driver lists) or `instance_local`. */
  readonly type?: string;
  /** Server types that can boot the image; absent means any type of its architecture. */
  readonly compatible_commercial_types?: readonly string[];
}

/** An IAM SSH key (`/iam/v1alpha1/ssh-keys`). */
export interface ScalewaySshKey {
  /** UUID of the IAM key. */
  readonly id: string;
  /** Display name given when the key was registered. */
  readonly name: string;
  /** The OpenSSH public key line. */
  readonly public_key: string;
  /** Scaleway's fingerprint of the key, as IAM computes it. */
  readonly fingerprint?: string;
  /** UUID of the project the key is registered in. */
  readonly project_id?: string;
  /** When the key was registered, ISO 8601. */
  readonly created_at?: string;
}

/** A Block API volume (`/block/v1alpha1/zones/{zone}/volumes/{id}`). */
export interface ScalewayBlockVolume {
  /** UUID of the volume. */
  readonly id: string;
  /** `available`, `in_use`, `deleting`, … */
  readonly status: string;
  /** What the volume is attached to; empty once it is detached. */
  readonly references?: readonly unknown[];
}
