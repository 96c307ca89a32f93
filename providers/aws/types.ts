/**
 * EC2 shapes as polycloud's public typings describe them: local structural types holding the
 * fields polycloud reads, so that `polycloud`'s declarations never name the optional peer
 * `@aws-sdk/client-ec2` (a project without it still type-checks with `skipLibCheck: false`).
 * The SDK's own objects are assignable to them.
 *
 * @module
 */
import type { Secret } from '../../src/kit.js';

/** An EC2 tag. */
export interface Ec2Tag {
  /** The tag's key. */
  readonly Key?: string | undefined;
  /** The tag's value. */
  readonly Value?: string | undefined;
}

/** One network interface of an instance, as far as polycloud reads it. */
export interface Ec2InstanceNetworkInterface {
  /** The interface's IPv6 addresses. */
  readonly Ipv6Addresses?:
    | readonly {
        /** One IPv6 address of the interface (`Node.publicIps`: AWS IPv6 addresses are globally routable). */
        readonly Ipv6Address?: string | undefined;
      }[]
    | undefined;
  /** The interface's private IPv4 addresses. */
  readonly PrivateIpAddresses?:
    | readonly {
        /** One private IPv4 address of the interface, in its subnet. */
        readonly PrivateIpAddress?: string | undefined;
      }[]
    | undefined;
}

/**
 * An EC2 instance (`DescribeInstances`), the `raw` of an `aws` node. The object at run time is the
 * SDK's complete `Instance`; these are the fields polycloud reads and users most often need.
 */
export interface Ec2Instance {
  /** The instance id, e.g. `i-0123456789abcdef0`. */
  readonly InstanceId?: string | undefined;
  /** The instance type, e.g. `t3.micro`. */
  readonly InstanceType?: string | undefined;
  /** The AMI it was launched from. */
  readonly ImageId?: string | undefined;
  /** The state, e.g. `{ Name: 'running', Code: 16 }`. */
  readonly State?:
    | {
        /** `pending`, `running`, `shutting-down`, `terminated`, `stopping` or `stopped`. */
        readonly Name?: string | undefined;
        /** EC2's number for the state (low byte): 0 pending, 16 running, 32 shutting-down, 48 terminated, 64 stopping, 80 stopped. */
        readonly Code?: number | undefined;
      }
    | undefined;
  /** Where it runs. */
  readonly Placement?:
    | {
        /** The Availability Zone, e.g. `eu-central-1a`. */
        readonly AvailabilityZone?: string | undefined;
      }
    | undefined;
  /** The public IPv4 address, if it has one. */
  readonly PublicIpAddress?: string | undefined;
  /** The primary private IPv4 address. */
  readonly PrivateIpAddress?: string | undefined;
  /** The public DNS name, if it has one. */
  readonly PublicDnsName?: string | undefined;
  /** Its network interfaces. */
  readonly NetworkInterfaces?: readonly Ec2InstanceNetworkInterface[] | undefined;
  /** Its tags. */
  readonly Tags?: readonly Ec2Tag[] | undefined;
  /** When it was launched. */
  readonly LaunchTime?: Date | undefined;
  /** The key pair it authorises. */
  readonly KeyName?: string | undefined;
  /** Its VPC. */
  readonly VpcId?: string | undefined;
  /** Its subnet. */
  readonly SubnetId?: string | undefined;
  /** The CPU architecture, e.g. `x86_64`. */
  readonly Architecture?: string | undefined;
}

/** An instance type (`DescribeInstanceTypes`), as far as polycloud reads it. */
export interface Ec2InstanceTypeInfo {
  /** The instance type, e.g. `t3.micro`. */
  readonly InstanceType?: string | undefined;
  /** Its vCPUs. */
  readonly VCpuInfo?: { readonly DefaultVCpus?: number | undefined } | undefined;
  /** Its memory. */
  readonly MemoryInfo?: { readonly SizeInMiB?: number | undefined } | undefined;
  /** Its architectures. */
  readonly ProcessorInfo?: { readonly SupportedArchitectures?: readonly string[] | undefined } | undefined;
  /** Its GPUs. */
  readonly GpuInfo?: { readonly Gpus?: readonly { readonly Count?: number | undefined }[] | undefined } | undefined;
  /** Its instance store. */
  readonly InstanceStorageInfo?: { readonly TotalSizeInGB?: number | undefined } | undefined;
  /** Whether it is a burstable (shared-core) type. */
  readonly BurstablePerformanceSupported?: boolean | undefined;
}

/** An AMI (`DescribeImages`), as far as polycloud reads it. */
export interface Ec2Image {
  /** The AMI id. */
  readonly ImageId?: string | undefined;
  /** The AMI name. */
  readonly Name?: string | undefined;
  /** The CPU architecture, e.g. `arm64`. */
  readonly Architecture?: string | undefined;
  /** When it was created (ISO 8601). */
  readonly CreationDate?: string | undefined;
}

/** An availability zone (`DescribeAvailabilityZones`), as far as polycloud reads it. */
export interface Ec2AvailabilityZone {
  /** The zone name, e.g. `eu-central-1a`. */
  readonly ZoneName?: string | undefined;
  /** `availability-zone`, `local-zone` or `wavelength-zone`. */
  readonly ZoneType?: string | undefined;
}

/** Static AWS credentials. Wrap the secret parts in `Secret` to keep them out of your own logs too. */
export interface AwsStaticCredentials {
  /** The access key id, e.g. `AKIA…`. */
  readonly accessKeyId: string;
  /** The secret access key. */
  readonly secretAccessKey: string | Secret;
  /** The session token of temporary credentials. */
  readonly sessionToken?: string | Secret;
  /** When temporary credentials expire. */
  readonly expiration?: Date;
}

/** The credentials a credential provider resolves to (the SDK's `AwsCredentialIdentity`). */
export interface AwsCredentialIdentity {
  /** The access key id. */
  readonly accessKeyId: string;
  /** The secret access key. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials. */
  readonly sessionToken?: string | undefined;
  /** When temporary credentials expire. */
  readonly expiration?: Date | undefined;
}

/** A function the SDK asks for credentials, e.g. `fromIni()` from `@aws-sdk/credential-providers`. */
export type AwsCredentialIdentityProvider = (identityProperties?: Record<string, unknown>) => Promise<AwsCredentialIdentity>;

/** AWS-specific create options, passed as `providerOptions` of `createNode`. All are optional. */
export interface AwsProviderOptions {
  /**
   * Launch into this VPC subnet (`subnet-…`).
   * @defaultValue the default subnet of the zone
   */
  readonly subnetId?: string;
  /**
   * Security groups (`sg-…`).
   * @defaultValue the VPC's default group
   */
  readonly securityGroupIds?: readonly string[];
  /**
   * An existing EC2 key pair to authorise.
   * @defaultValue the first of `sshKeys`, imported as a key pair named `polycloud-<hash of the key>`
   * (reused when it already exists)
   */
  readonly keyName?: string;
  /**
   * An IAM instance profile, by name or ARN.
   * @defaultValue none
   */
  readonly iamInstanceProfile?: string;
  /**
   * Run as a one-time Spot instance; `maxPrice` in USD per hour caps the bid.
   * @defaultValue on-demand
   */
  readonly spot?:
    | boolean
    | {
        /**
         * Highest price per hour, in USD as a decimal string (e.g. `"0.05"`), sent as `MaxPrice`.
         * @defaultValue the On-Demand price
         */
        readonly maxPrice?: string;
      };
  /**
   * Require IMDSv2 session tokens for the instance metadata service.
   * @defaultValue true
   */
  readonly requireImdsV2?: boolean;
}
