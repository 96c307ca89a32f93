/**
 * The DigitalOcean API v2 objects the driver reads, as documented in DigitalOcean's OpenAPI
 * document (only the fields polycloud uses are typed; the rest stays in `Node.raw`).
 *
 * @module
 */

/** `GET /v2/regions` item (also embedded in droplets). */
export interface DoRegion {
  /** The region's id, e.g. `fra1`; `Location.id` and the `region` of a create. */
  readonly slug: string;
  /** Display name, e.g. `Frankfurt 1`. */
  readonly name: string;
  /** Slugs of the sizes that can be created in the region now. */
  readonly sizes: readonly string[];
  /** Whether new droplets can be created here; unavailable regions are left out of `listLocations`. */
  readonly available: boolean;
  /** Features the region offers, e.g. `backups`, `ipv6`, `metadata`, `install_agent`. */
  readonly features: readonly string[];
}

/** `GET /v2/sizes` item (also embedded in droplets). Memory in MB, disk in GB, prices in USD. */
export interface DoSize {
  /** The size's id, e.g. `s-1vcpu-1gb`; `Size.id` and the `size` of a create. */
  readonly slug: string;
  /** Memory in MB (mapped to `Size.memoryGiB` by dividing by 1024). */
  readonly memory: number;
  /** Number of virtual CPUs. */
  readonly vcpus: number;
  /** Local SSD disk in GB. */
  readonly disk: number;
  /** Outbound data transfer included per month, in TB. */
  readonly transfer: number;
  /** Monthly price in USD, the same in every region. */
  readonly price_monthly: number;
  /** Hourly price in USD, the same in every region. */
  readonly price_hourly: number;
  /** Slugs of the regions the size is offered in. */
  readonly regions: readonly string[];
  /** Whether droplets of this size can be created now; unavailable sizes are left out of `listSizes`. */
  readonly available: boolean;
  /** Product family, e.g. `Basic`, `General Purpose`, `CPU-Optimized`; prefixes `Size.name`. */
  readonly description?: string;
  /** GPUs of a GPU droplet size; absent for sizes without GPUs. */
  readonly gpu_info?: {
    /** Number of GPUs (`Size.gpus`). */
    readonly count?: number;
    /** GPU model, e.g. `nvidia_h100`. */
    readonly model?: string;
  };
}

/** `GET /v2/images` item (also embedded in droplets). */
export interface DoImage {
  /** Numeric image id; the image's `Image.id` when it has no slug. */
  readonly id: number;
  /** Display name; for distribution images the release, e.g. `24.04 (LTS) x64`. */
  readonly name: string;
  /** Image kind: `base` (a distribution), `snapshot`, `backup`, `custom` or `admin`. */
  readonly type?: string;
  /** OS distribution, e.g. `Ubuntu`; absent on some custom images. Gives `Image.os.family`. */
  readonly distribution?: string;
  /** Stable id of a public image, e.g. `ubuntu-24-04-x64`; `null` for private snapshots and backups. */
  readonly slug: string | null;
  /** Whether the image is public (`true` for distribution images). */
  readonly public?: boolean;
  /** Slugs of the regions the image can be used in. */
  readonly regions: readonly string[];
  /** When the image was created, ISO 8601. */
  readonly created_at?: string;
  /** Smallest disk a droplet from this image needs, in GB. */
  readonly min_disk_size?: number;
  /** Size of the image itself, in GB (fractional). */
  readonly size_gigabytes?: number;
  /** Free-text description. */
  readonly description?: string;
  /** Image state: `NEW`, `available`, `pending`, `deleted` or `retired`; only `available` (or absent) is listed. */
  readonly status?: string;
}

/** A droplet's network address. */
export interface DoNetworkV4 {
  /** The IPv4 address. */
  readonly ip_address: string;
  /** Dotted netmask, e.g. `255.255.240.0`. */
  readonly netmask: string;
  /** Default gateway of the network. */
  readonly gateway: string;
  /** `public` (goes to `Node.publicIps`) or `private` (VPC address, goes to `Node.privateIps`). */
  readonly type: 'public' | 'private';
}

/** A droplet's IPv6 address. */
export interface DoNetworkV6 {
  /** The IPv6 address (goes to `Node.publicIps`). */
  readonly ip_address: string;
  /** Prefix length, e.g. `64`. */
  readonly netmask: number;
  /** Default gateway of the network. */
  readonly gateway: string;
  /** Always `public`: DigitalOcean has no private IPv6. */
  readonly type: 'public';
}

/** The droplet statuses the API documents. */
export type DoDropletStatus = 'new' | 'active' | 'off' | 'archive';

/** `GET /v2/droplets/{id}` → `droplet`. */
export interface DoDroplet {
  /** Numeric droplet id; `Node.id` as a string. */
  readonly id: number;
  /** The droplet's name (its hostname). */
  readonly name: string;
  /** Memory in MB. */
  readonly memory: number;
  /** Number of virtual CPUs. */
  readonly vcpus: number;
  /** Disk in GB. */
  readonly disk: number;
  /** Whether the droplet is locked against actions (e.g. while an action runs). */
  readonly locked: boolean;
  /** Lifecycle status, mapped by `DO_STATE_MAP`; an undocumented word maps to `unknown`. */
  readonly status: DoDropletStatus | string;
  /** When the droplet was created, ISO 8601 (`Node.createdAt`). */
  readonly created_at: string;
  /** The image the droplet was created from (`Node.imageId` is its slug, else its id). */
  readonly image: DoImage;
  /** The droplet's size, with its prices (`Node.price`). */
  readonly size: DoSize;
  /** Slug of the droplet's size (`Node.sizeId`). */
  readonly size_slug: string;
  /** The droplet's addresses by IP version. */
  readonly networks: {
    /** IPv4 addresses, public and private. */
    readonly v4: readonly DoNetworkV4[];
    /** IPv6 addresses; empty unless the droplet was created with `ipv6: true`. */
    readonly v6: readonly DoNetworkV6[];
  };
  /** The region the droplet runs in (`Node.location`). */
  readonly region: DoRegion;
  /** The droplet's tags as plain strings, `key:value` for polycloud tags (see `fromDoTags`). */
  readonly tags: readonly string[];
  /** UUID of the VPC the droplet's private address is in. */
  readonly vpc_uuid?: string;
}

/** Action statuses the API documents. */
export type DoActionStatus = 'in-progress' | 'completed' | 'errored';

/** `POST /v2/droplets/{id}/actions` → `action`, `GET /v2/actions/{id}` → `action`. */
export interface DoAction {
  /** Numeric action id, polled at `GET /v2/actions/{id}`. */
  readonly id: number;
  /** `in-progress` until the action ends as `completed` or `errored`. */
  readonly status: DoActionStatus;
  /** What the action does, e.g. `reboot`, `power_on`, `power_off`. */
  readonly type: string;
  /** When the action started, ISO 8601. */
  readonly started_at: string;
  /** When the action ended, ISO 8601; `null` while it runs. */
  readonly completed_at: string | null;
  /** Id of the droplet acted on; `null` for actions on no resource. */
  readonly resource_id: number | null;
  /** Kind of the resource acted on, e.g. `droplet`. */
  readonly resource_type: string;
  /** Slug of the region the action runs in; `null` when it has none. */
  readonly region_slug: string | null;
}

/** `GET /v2/account/keys/{fingerprint}` → `ssh_key`. */
export interface DoSshKey {
  /** Numeric key id. */
  readonly id: number;
  /** MD5 fingerprint of the key, colon-separated hex; what a create's `ssh_keys` sends. */
  readonly fingerprint: string;
  /** The OpenSSH public key line. */
  readonly public_key: string;
  /** Display name given when the key was registered. */
  readonly name: string;
}

/** The body of `POST /v2/droplets` for one droplet. */
export interface DoCreateDropletBody {
  /** The droplet's name (its hostname). */
  readonly name: string;
  /** Region slug, e.g. `fra1`. */
  readonly region: string;
  /** Size slug, e.g. `s-1vcpu-1gb`. */
  readonly size: string;
  /** Image slug (or numeric id as a string). */
  readonly image: string;
  /** Fingerprints (or ids) of registered account keys to install. */
  readonly ssh_keys?: readonly string[];
  /** Cloud-init user data, up to 64 KiB. */
  readonly user_data?: string;
  /** Tags, including polycloud's idempotency tag. */
  readonly tags?: readonly string[];
  /** VPC to place the droplet in; the region's default VPC when absent. */
  readonly vpc_uuid?: string;
  /** Whether to give the droplet an IPv6 address. */
  readonly ipv6?: boolean;
  /** Whether to install the metrics agent. */
  readonly monitoring?: boolean;
  /** Whether to turn on automated backups (billed). */
  readonly backups?: boolean;
}

/** Every list answer's `links` (absolute URLs on the API host). */
export interface DoLinks {
  /** Page links; `next` is absent on the last page. */
  readonly pages?: {
    /** URL of the first page. */
    readonly first?: string;
    /** URL of the previous page. */
    readonly prev?: string;
    /** URL of the next page; absent on the last page, which ends the listing. */
    readonly next?: string;
    /** URL of the last page. */
    readonly last?: string;
  };
}

/** DigitalOcean's error body. */
export interface DoErrorBody {
  /** Machine-readable error word, e.g. `not_found`, `unprocessable_entity` (`CloudError.code`). */
  readonly id: string;
  /** Human-readable message. */
  readonly message: string;
  /** The request's id, for DigitalOcean support. */
  readonly request_id?: string;
}
