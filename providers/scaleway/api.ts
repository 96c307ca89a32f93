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
  readonly id?: string;
  readonly address: string;
  readonly family?: 'inet' | 'inet6';
}

/** A volume attached to a server (`volumes` map, keyed by slot). */
export interface ScalewayServerVolume {
  readonly id: string;
  /** `l_ssd`, `sbs_volume`, `scratch`. */
  readonly volume_type: string;
  readonly boot?: boolean;
  readonly zone?: string;
}

/** An Instance server (`unmarshalServer`). */
export interface ScalewayServer {
  readonly id: string;
  readonly name: string;
  readonly commercial_type: string;
  readonly arch?: string;
  readonly state: ScalewayServerState | string;
  readonly state_detail?: string;
  readonly zone: string;
  readonly project?: string;
  readonly tags: readonly string[];
  readonly image?: { readonly id: string; readonly name?: string } | null;
  readonly public_ip?: ScalewayServerIp | null;
  readonly public_ips?: readonly ScalewayServerIp[];
  readonly private_ip?: string | null;
  readonly volumes?: Readonly<Record<string, ScalewayServerVolume>>;
  readonly allowed_actions?: readonly string[];
  readonly creation_date?: string;
}

/** A server type (`unmarshalServerType`), a value of the `servers` map of `/products/servers`. */
export interface ScalewayServerType {
  readonly ncpus: number;
  /** Bytes. */
  readonly ram: number;
  readonly arch?: string;
  readonly gpu?: number | null;
  /** EUR per hour. */
  readonly hourly_price?: number | null;
  /** EUR per month. */
  readonly monthly_price?: number | null;
  readonly end_of_service?: boolean;
  readonly volumes_constraint?: { readonly min_size?: number; readonly max_size?: number } | null;
}

/** A marketplace image (`/marketplace/v2/images`). */
export interface ScalewayMarketplaceImage {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly categories?: readonly string[];
  readonly created_at?: string | null;
  readonly updated_at?: string | null;
}

/** A marketplace image in one zone (`/marketplace/v2/local-images`); its id is the Instance image id. */
export interface ScalewayLocalImage {
  readonly id: string;
  readonly arch: string;
  readonly zone: string;
  readonly label: string;
  readonly type?: string;
  readonly compatible_commercial_types?: readonly string[];
}

/** An IAM SSH key (`/iam/v1alpha1/ssh-keys`). */
export interface ScalewaySshKey {
  readonly id: string;
  readonly name: string;
  readonly public_key: string;
  readonly fingerprint?: string;
  readonly project_id?: string;
  readonly created_at?: string;
}

/** A Block API volume (`/block/v1alpha1/zones/{zone}/volumes/{id}`). */
export interface ScalewayBlockVolume {
  readonly id: string;
  /** `available`, `in_use`, `deleting`, … */
  readonly status: string;
  readonly references?: readonly unknown[];
}
