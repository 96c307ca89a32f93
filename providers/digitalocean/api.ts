/**
 * The DigitalOcean API v2 objects the driver reads, as documented in DigitalOcean's OpenAPI
 * document (only the fields polycloud uses are typed; the rest stays in `Node.raw`).
 *
 * @module
 */

/** `GET /v2/regions` item (also embedded in droplets). */
export interface DoRegion {
  readonly slug: string;
  readonly name: string;
  readonly sizes: readonly string[];
  readonly available: boolean;
  readonly features: readonly string[];
}

/** `GET /v2/sizes` item (also embedded in droplets). Memory in MB, disk in GB, prices in USD. */
export interface DoSize {
  readonly slug: string;
  readonly memory: number;
  readonly vcpus: number;
  readonly disk: number;
  readonly transfer: number;
  readonly price_monthly: number;
  readonly price_hourly: number;
  readonly regions: readonly string[];
  readonly available: boolean;
  readonly description?: string;
  readonly gpu_info?: { readonly count?: number; readonly model?: string };
}

/** `GET /v2/images` item (also embedded in droplets). */
export interface DoImage {
  readonly id: number;
  readonly name: string;
  readonly type?: string;
  readonly distribution?: string;
  readonly slug: string | null;
  readonly public?: boolean;
  readonly regions: readonly string[];
  readonly created_at?: string;
  readonly min_disk_size?: number;
  readonly size_gigabytes?: number;
  readonly description?: string;
  readonly status?: string;
}

/** A droplet's network address. */
export interface DoNetworkV4 {
  readonly ip_address: string;
  readonly netmask: string;
  readonly gateway: string;
  readonly type: 'public' | 'private';
}

/** A droplet's IPv6 address. */
export interface DoNetworkV6 {
  readonly ip_address: string;
  readonly netmask: number;
  readonly gateway: string;
  readonly type: 'public';
}

/** The droplet statuses the API documents. */
export type DoDropletStatus = 'new' | 'active' | 'off' | 'archive';

/** `GET /v2/droplets/{id}` → `droplet`. */
export interface DoDroplet {
  readonly id: number;
  readonly name: string;
  readonly memory: number;
  readonly vcpus: number;
  readonly disk: number;
  readonly locked: boolean;
  readonly status: DoDropletStatus | string;
  readonly created_at: string;
  readonly image: DoImage;
  readonly size: DoSize;
  readonly size_slug: string;
  readonly networks: { readonly v4: readonly DoNetworkV4[]; readonly v6: readonly DoNetworkV6[] };
  readonly region: DoRegion;
  readonly tags: readonly string[];
  readonly vpc_uuid?: string;
}

/** Action statuses the API documents. */
export type DoActionStatus = 'in-progress' | 'completed' | 'errored';

/** `POST /v2/droplets/{id}/actions` → `action`, `GET /v2/actions/{id}` → `action`. */
export interface DoAction {
  readonly id: number;
  readonly status: DoActionStatus;
  readonly type: string;
  readonly started_at: string;
  readonly completed_at: string | null;
  readonly resource_id: number | null;
  readonly resource_type: string;
  readonly region_slug: string | null;
}

/** `GET /v2/account/keys/{fingerprint}` → `ssh_key`. */
export interface DoSshKey {
  readonly id: number;
  readonly fingerprint: string;
  readonly public_key: string;
  readonly name: string;
}

/** The body of `POST /v2/droplets` for one droplet. */
export interface DoCreateDropletBody {
  readonly name: string;
  readonly region: string;
  readonly size: string;
  readonly image: string;
  readonly ssh_keys?: readonly string[];
  readonly user_data?: string;
  readonly tags?: readonly string[];
  readonly vpc_uuid?: string;
  readonly ipv6?: boolean;
  readonly monitoring?: boolean;
  readonly backups?: boolean;
}

/** Every list answer's `links` (absolute URLs on the API host). */
export interface DoLinks {
  readonly pages?: { readonly first?: string; readonly prev?: string; readonly next?: string; readonly last?: string };
}

/** DigitalOcean's error body. */
export interface DoErrorBody {
  readonly id: string;
  readonly message: string;
  readonly request_id?: string;
}
