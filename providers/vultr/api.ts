/**
 * The Vultr API v2 objects the driver reads and sends, as Vultr's OpenAPI document describes them
 * (only the fields polycloud uses are typed; the rest stays in `Node.raw`).
 *
 * @module
 */

/** `GET /instances/{instance-id}` → `instance`. RAM in MB, disk in GB. */
export interface VultrInstance {
  /** A UUID. */
  readonly id: string;
  /** The instance's display name (`Node.name`). */
  readonly label: string;
  /** Region id, e.g. `ewr`, `fra` (`Node.location`). */
  readonly region: string;
  /** Plan id, e.g. `vc2-1c-1gb` (`Node.sizeId`). */
  readonly plan: string;
  /** `pending`, `active`, `suspended` or `resizing`. */
  readonly status: string;
  /** `running` or `stopped`. */
  readonly power_status: string;
  /** `none`, `locked`, `installingbooting` or `ok`. */
  readonly server_status: string;
  /** Name of the operating system, e.g. `Ubuntu 24.04 LTS x64`. */
  readonly os?: string;
  /** Numeric id of the operating system (`Node.imageId` as a string). */
  readonly os_id?: number;
  /** Memory in MB. */
  readonly ram?: number;
  /** Disk in GB. */
  readonly disk?: number;
  /** Number of vCPUs. */
  readonly vcpu_count?: number;
  /** `0.0.0.0` until the instance has its address. */
  readonly main_ip?: string;
  /** Main IPv6 address; empty or `::` without IPv6. */
  readonly v6_main_ip?: string;
  /** Address in the VPC (`Node.privateIps`); empty without one. */
  readonly internal_ip?: string;
  /** When the instance was created, ISO 8601 (`Node.createdAt`). */
  readonly date_created?: string;
  /** The instance's hostname. */
  readonly hostname?: string;
  /** The instance's tags as plain strings, `key:value` for polycloud tags. */
  readonly tags?: readonly string[];
  /** The root password, in the create answer only: never kept in `Node.raw`. */
  readonly default_password?: string;
  /** A noVNC console link that grants access: never kept in `Node.raw`. */
  readonly kvm?: string;
}

/** `GET /plans` item. `monthly_cost` in USD; `hourly_cost` is sent by the API since 2024 (absent from the 2023 document). */
export interface VultrPlan {
  /** Plan id, e.g. `vc2-1c-1gb` (`Size.id`). */
  readonly id: string;
  /** Number of vCPUs (`Size.vcpus`). */
  readonly vcpu_count: number;
  /** MB. */
  readonly ram: number;
  /** GB. */
  readonly disk: number;
  /** Number of disks of `disk` GB each; `Size.diskGiB` is their total. */
  readonly disk_count?: number;
  /** Monthly transfer allowance, in GB. */
  readonly bandwidth?: number;
  /** USD per month (`Price.monthly`). */
  readonly monthly_cost?: number;
  /** USD per hour (`Price.hourly`). */
  readonly hourly_cost?: number;
  /** `vc2`, `vhf`, `vhp`, `vdc`, `voc`, `vcg`… */
  readonly type?: string;
  /** Region ids where the plan can be ordered. */
  readonly locations: readonly string[];
}

/** `GET /regions` item. */
export interface VultrRegion {
  /** Region id, e.g. `ewr` (`Location.id`). */
  readonly id: string;
  /** City in Vultr's words, e.g. `New Jersey`; used when the region is not in polycloud's facts table. */
  readonly city: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** Continent in Vultr's words; kept when it is one of polycloud's continents. */
  readonly continent: string;
  /** Features of the region, e.g. `ddos_protection`, `block_storage_storage_opt`. */
  readonly options?: readonly string[];
}

/** `GET /os` item. The version is only inside `name` ("Ubuntu 24.04 LTS x64"). */
export interface VultrOs {
  /** Numeric OS id, the `os_id` of a create (`Image.id` as a string). */
  readonly id: number;
  /** Display name with version and arch, e.g. `Ubuntu 24.04 LTS x64` (`Image.name`). */
  readonly name: string;
  /** `x64`, `arm64`, `i386`… */
  readonly arch: string;
  /** OS family, e.g. `ubuntu`; `iso`, `snapshot`, `backup` and `application` entries are not OSes and not listed. */
  readonly family: string;
}

/** `GET /ssh-keys` item. */
export interface VultrSshKey {
  /** UUID of the key; what a create's `sshkey_id` sends. */
  readonly id: string;
  /** Display name given when the key was registered. */
  readonly name: string;
  /** The OpenSSH public key line. */
  readonly ssh_key: string;
  /** When the key was registered, ISO 8601. */
  readonly date_created?: string;
}

/** The body of `POST /instances` polycloud sends. */
export interface VultrCreateInstanceBody {
  /** Region id, e.g. `ewr`. */
  readonly region: string;
  /** Plan id, e.g. `vc2-1c-1gb`. */
  readonly plan: string;
  /** Numeric id of the operating system to install. */
  readonly os_id: number;
  /** The instance's display name. */
  readonly label: string;
  /** Tags: the request's tags plus polycloud's idempotency tag. */
  readonly tags: readonly string[];
  /** UUIDs of registered SSH keys to install. */
  readonly sshkey_id?: readonly string[];
  /** Base64. */
  readonly user_data?: string;
  /** The instance's hostname; Vultr derives one from the label when absent. */
  readonly hostname?: string;
  /** Whether to give the instance an IPv6 address. */
  readonly enable_ipv6?: boolean;
  /** `enabled` or `disabled`. */
  readonly backups?: 'enabled' | 'disabled';
  /** Ids of VPCs to attach. */
  readonly attach_vpc?: readonly string[];
  /** Id of the firewall group to put the instance in. */
  readonly firewall_group_id?: string;
  /** Whether to turn on DDoS protection (billed). */
  readonly ddos_protection?: boolean;
}

/** Every list answer's `meta`: `links.next` is an opaque cursor, `''` on the last page. */
export interface VultrMeta {
  /** Number of entries over all pages. */
  readonly total?: number;
  /** Cursors of the neighbouring pages. */
  readonly links?: {
    /** Cursor of the next page; `''` on the last page, which ends the listing. */
    readonly next?: string;
    /** Cursor of the previous page; `''` on the first. */
    readonly prev?: string;
  };
}
