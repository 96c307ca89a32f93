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
  readonly label: string;
  readonly region: string;
  readonly plan: string;
  /** `pending`, `active`, `suspended` or `resizing`. */
  readonly status: string;
  /** `running` or `stopped`. */
  readonly power_status: string;
  /** `none`, `locked`, `installingbooting` or `ok`. */
  readonly server_status: string;
  readonly os?: string;
  readonly os_id?: number;
  readonly ram?: number;
  readonly disk?: number;
  readonly vcpu_count?: number;
  /** `0.0.0.0` until the instance has its address. */
  readonly main_ip?: string;
  readonly v6_main_ip?: string;
  readonly internal_ip?: string;
  readonly date_created?: string;
  readonly hostname?: string;
  readonly tags?: readonly string[];
  /** The root password, in the create answer only: never kept in `Node.raw`. */
  readonly default_password?: string;
  /** A noVNC console link that grants access: never kept in `Node.raw`. */
  readonly kvm?: string;
}

/** `GET /plans` item. `monthly_cost` in USD; `hourly_cost` is sent by the API since 2024 (absent from the 2023 document). */
export interface VultrPlan {
  readonly id: string;
  readonly vcpu_count: number;
  /** MB. */
  readonly ram: number;
  /** GB. */
  readonly disk: number;
  readonly disk_count?: number;
  readonly bandwidth?: number;
  readonly monthly_cost?: number;
  readonly hourly_cost?: number;
  /** `vc2`, `vhf`, `vhp`, `vdc`, `voc`, `vcg`… */
  readonly type?: string;
  /** Region ids where the plan can be ordered. */
  readonly locations: readonly string[];
}

/** `GET /regions` item. */
export interface VultrRegion {
  readonly id: string;
  readonly city: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly continent: string;
  readonly options?: readonly string[];
}

/** `GET /os` item. The version is only inside `name` ("Ubuntu 24.04 LTS x64"). */
export interface VultrOs {
  readonly id: number;
  readonly name: string;
  /** `x64`, `arm64`, `i386`… */
  readonly arch: string;
  readonly family: string;
}

/** `GET /ssh-keys` item. */
export interface VultrSshKey {
  readonly id: string;
  readonly name: string;
  readonly ssh_key: string;
  readonly date_created?: string;
}

/** The body of `POST /instances` polycloud sends. */
export interface VultrCreateInstanceBody {
  readonly region: string;
  readonly plan: string;
  readonly os_id: number;
  readonly label: string;
  readonly tags: readonly string[];
  readonly sshkey_id?: readonly string[];
  /** Base64. */
  readonly user_data?: string;
  readonly hostname?: string;
  readonly enable_ipv6?: boolean;
  /** `enabled` or `disabled`. */
  readonly backups?: 'enabled' | 'disabled';
  readonly attach_vpc?: readonly string[];
  readonly firewall_group_id?: string;
  readonly ddos_protection?: boolean;
}

/** Every list answer's `meta`: `links.next` is an opaque cursor, `''` on the last page. */
export interface VultrMeta {
  readonly total?: number;
  readonly links?: { readonly next?: string; readonly prev?: string };
}
