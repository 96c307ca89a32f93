/**
 * The Compute Engine JSON shapes the driver reads, as the `@google-cloud/compute` REST transport
 * decodes them (camelCase, 64-bit numbers as strings, enums as strings). Only the fields polycloud
 * uses are listed; the SDK objects carry more, and {@link GceInstance} is what `Node.raw` holds.
 *
 * @module
 */

/** A `compute#instance`. */
export interface GceInstance {
  /** Numeric instance id, as a decimal string (64-bit). */
  readonly id?: string | null;
  /** The instance's name, unique in its zone; `Node.id` is `<zone>/<name>`. */
  readonly name?: string | null;
  /** URL of the zone, e.g. `https://www.googleapis.com/compute/v1/projects/p/zones/us-central1-a`. */
  readonly zone?: string | null;
  /** `PROVISIONING`, `STAGING`, `RUNNING`, `STOPPING`, `STOPPED`, `SUSPENDING`, `SUSPENDED`, `REPAIRING`, `TERMINATED`, … */
  readonly status?: string | null;
  /** URL of the machine type. */
  readonly machineType?: string | null;
  /** RFC 3339 time with an offset. */
  readonly creationTimestamp?: string | null;
  /** The instance's labels (`Node.tags`). */
  readonly labels?: Readonly<Record<string, string>> | null;
  /** Network interfaces, whose addresses give `Node.publicIps` and `Node.privateIps`. */
  readonly networkInterfaces?: readonly GceNetworkInterface[] | null;
  /** Instance metadata, e.g. `ssh-keys`, `user-data` or `startup-script`. */
  readonly metadata?: {
    /** The metadata entries. */
    readonly items?:
      | readonly {
          /** Metadata key, e.g. `ssh-keys`. */
          readonly key?: string | null;
          /** Metadata value (up to 256 KB). */
          readonly value?: string | null;
        }[]
      | null;
  } | null;
  /** Full URL of the instance resource. */
  readonly selfLink?: string | null;
  readonly [field: string]: unknown;
}

/** A network interface of an instance. */
export interface GceNetworkInterface {
  /** Internal IPv4 address in the VPC (`Node.privateIps`). */
  readonly networkIP?: string | null;
  /** Internal IPv6 address, on dual-stack subnets (`Node.privateIps`). */
  readonly ipv6Address?: string | null;
  /** IPv4 external access; empty or absent for a node without an external address. */
  readonly accessConfigs?:
    | readonly {
        /** External IPv4 address (`Node.publicIps`); absent until assigned. */
        readonly natIP?: string | null;
        /** External IPv6 address, on an IPv6 access config. */
        readonly externalIpv6?: string | null;
      }[]
    | null;
  /** IPv6 external access, on dual-stack subnets. */
  readonly ipv6AccessConfigs?:
    | readonly {
        /** External IPv6 address (`Node.publicIps`). */
        readonly externalIpv6?: string | null;
      }[]
    | null;
}

/** One entry of `error.errors` in an operation. */
export interface GceOperationErrorItem {
  readonly code?: string | null;
  readonly message?: string | null;
  readonly location?: string | null;
}

/** A `compute#operation`. */
export interface GceOperation {
  readonly id?: string | null;
  readonly name?: string | null;
  readonly zone?: string | null;
  readonly operationType?: string | null;
  readonly targetLink?: string | null;
  /** `PENDING`, `RUNNING` or `DONE`. */
  readonly status?: string | null;
  readonly error?: { readonly errors?: readonly GceOperationErrorItem[] | null } | null;
  readonly httpErrorStatusCode?: number | null;
  readonly httpErrorMessage?: string | null;
}

/** A `compute#machineType`. */
export interface GceMachineType {
  readonly name?: string | null;
  readonly description?: string | null;
  readonly guestCpus?: number | null;
  readonly memoryMb?: number | null;
  readonly isSharedCpu?: boolean | null;
  /** `X86_64` or `ARM64`, when the API says. */
  readonly architecture?: string | null;
  readonly accelerators?:
    readonly { readonly guestAcceleratorType?: string | null; readonly guestAcceleratorCount?: number | null }[] | null;
  readonly zone?: string | null;
  readonly deprecated?: { readonly state?: string | null } | null;
}

/** A `compute#zone`. */
export interface GceZone {
  readonly name?: string | null;
  readonly description?: string | null;
  /** URL of the region. */
  readonly region?: string | null;
  /** `UP` or `DOWN`. */
  readonly status?: string | null;
}

/** A `compute#region`. */
export interface GceRegion {
  readonly name?: string | null;
  readonly description?: string | null;
  readonly zones?: readonly string[] | null;
  readonly status?: string | null;
}

/** A `compute#image`. */
export interface GceImage {
  readonly name?: string | null;
  readonly description?: string | null;
  readonly family?: string | null;
  /** `X86_64` or `ARM64`. */
  readonly architecture?: string | null;
  readonly creationTimestamp?: string | null;
  readonly status?: string | null;
  readonly diskSizeGb?: string | null;
  readonly selfLink?: string | null;
  /** License URLs; a public image's names its OS (e.g. `…/licenses/ubuntu-2204-lts`). */
  readonly licenses?: readonly string[] | null;
  /** Absent (or state `ACTIVE`) for current images. */
  readonly deprecated?: { readonly state?: string | null; readonly replacement?: string | null } | null;
}

/** A persistent disk (the fields read: the image a boot disk was made from). */
export interface GceDisk {
  readonly name?: string | null;
  /** The image URL the disk was created from, e.g. `https://…/projects/p/global/images/name`. */
  readonly sourceImage?: string | null;
  readonly licenses?: readonly string[] | null;
  readonly architecture?: string | null;
}

/** A scope of an aggregated list: instances or a warning (`NO_RESULTS_ON_PAGE`, `UNREACHABLE`, …). */
export interface GceScopedInstances {
  readonly instances?: readonly GceInstance[] | null;
  readonly warning?: { readonly code?: string | null; readonly message?: string | null } | null;
}
