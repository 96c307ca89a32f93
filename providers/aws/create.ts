/**
 * `createNode` on EC2: checks the AWS-specific parts of a request before any request, imports an
 * SSH key as a key pair when needed, and builds the `RunInstances` input with a `ClientToken`
 * derived from the idempotency key, so a repeated create never makes a second instance.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { RunInstancesCommandInput } from '@aws-sdk/client-ec2';
import { invalid, type CheckContext, type ResolvedCreateNodeRequest } from '../../src/kit.js';
import type { AwsProviderOptions } from './types.js';

export type { AwsProviderOptions } from './types.js';

const KNOWN_OPTIONS = new Set(['subnetId', 'securityGroupIds', 'keyName', 'iamInstanceProfile', 'spot', 'requireImdsV2']);
/** What instance, image, subnet and group ids look like. */
const AMI_ID = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** Checks the AWS-specific parts of a create request; runs before any request. */
export function validateAwsCreate(request: ResolvedCreateNodeRequest<AwsProviderOptions>, check: CheckContext): void {
  if (!AMI_ID.test(request.imageId)) invalid(check, 'image', 'an AMI id such as "ami-0abcdef1234567890"', request.imageId);
  if (!INSTANCE_TYPE.test(request.sizeId)) invalid(check, 'size', 'an EC2 instance type such as "t3.micro"', request.sizeId);
  for (const key of Object.keys(request.tags)) {
    if (key === 'Name')
      invalid(check, 'tags.Name', 'absent: EC2 keeps the node name in the Name tag; set "name" instead', request.tags[key]);
    if (key.toLowerCase().startsWith('aws:')) invalid(check, `tags.${key}`, 'a key not starting with "aws:" (reserved by AWS)', key);
  }
  const options = (request.providerOptions ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) invalid(check, `providerOptions.${key}`, `one of ${[...KNOWN_OPTIONS].join(', ')}`, key);
  }
  const { subnetId, securityGroupIds, keyName, iamInstanceProfile, spot, requireImdsV2 } = options;
  if (subnetId !== undefined && !(typeof subnetId === 'string' && /^subnet-[0-9a-f]{8,17}$/.test(subnetId))) {
    invalid(check, 'providerOptions.subnetId', 'a subnet id such as "subnet-0abc1234"', subnetId);
  }
  if (
    securityGroupIds !== undefined &&
    !(
      Array.isArray(securityGroupIds) &&
      securityGroupIds.length > 0 &&
      securityGroupIds.every((id) => typeof id === 'string' && /^sg-[0-9a-f]{8,17}$/.test(id))
    )
  ) {
    invalid(check, 'providerOptions.securityGroupIds', 'a non-empty array of security group ids such as "sg-0abc1234"', securityGroupIds);
  }
  if (keyName !== undefined && !(typeof keyName === 'string' && keyName.length > 0 && keyName.length <= 255)) {
    invalid(check, 'providerOptions.keyName', 'a key pair name of 1-255 characters', keyName);
  }
  if (iamInstanceProfile !== undefined && !(typeof iamInstanceProfile === 'string' && iamInstanceProfile.length > 0)) {
    invalid(check, 'providerOptions.iamInstanceProfile', 'an instance profile name or ARN', iamInstanceProfile);
  }
  if (spot !== undefined && typeof spot !== 'boolean') {
    const maxPrice = typeof spot === 'object' && spot !== null ? (spot as { maxPrice?: unknown }).maxPrice : spot;
    if (
      typeof spot !== 'object' ||
      spot === null ||
      (maxPrice !== undefined && !(typeof maxPrice === 'string' && /^\d+(\.\d+)?$/.test(maxPrice)))
    ) {
      invalid(check, 'providerOptions.spot', 'true, false or { maxPrice: "0.05" }', maxPrice);
    }
  }
  if (requireImdsV2 !== undefined && typeof requireImdsV2 !== 'boolean')
    invalid(check, 'providerOptions.requireImdsV2', 'a boolean', requireImdsV2);
  // EC2 authorises one key pair per instance. Further keys go into cloud-init user data, which
  // polycloud can only write when the caller did not bring user data of their own.
  const keysInUserData = request.sshKeys.length - (keyName === undefined ? 1 : 0);
  if (keysInUserData > 0 && request.userData !== undefined) {
    invalid(
      check,
      'sshKeys',
      keyName === undefined
        ? 'at most one key when userData is given (EC2 takes one key pair; add further keys in your user data)'
        : 'absent when providerOptions.keyName and userData are both given (add the keys in your user data)',
      request.sshKeys,
    );
  }
}

/** EC2's ClientToken for an idempotency key: stable, at most 64 ASCII characters. */
export function clientTokenFor(idempotencyKey: string): string {
  return `polycloud-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 48)}`;
}

/** The key pair name polycloud imports a public key under: the same key always gets the same name. */
export function keyPairNameFor(publicKey: string): string {
  const [type, body] = publicKey.trim().split(/\s+/);
  return `polycloud-${createHash('sha256').update(`${type} ${body}`).digest('hex').slice(0, 32)}`;
}

/** Which key to import as the key pair, and which keys go into cloud-init user data. */
export function splitSshKeys(request: ResolvedCreateNodeRequest<AwsProviderOptions>): {
  importKey?: string;
  userDataKeys: readonly string[];
} {
  const keys = request.sshKeys;
  if (request.providerOptions?.keyName !== undefined) return { userDataKeys: keys };
  const [first, ...rest] = keys;
  return first === undefined ? { userDataKeys: [] } : { importKey: first, userDataKeys: rest };
}

/** The `RunInstances` input for a validated request. */
export function runInstancesInput(
  request: ResolvedCreateNodeRequest<AwsProviderOptions>,
  placement: { readonly zone?: string },
  keyName: string | undefined,
  userDataKeys: readonly string[],
): RunInstancesCommandInput {
  const options = request.providerOptions ?? {};
  const userData =
    request.userData ??
    (userDataKeys.length > 0
      ? `#cloud-config\nssh_authorized_keys:\n${userDataKeys.map((key) => `  - ${JSON.stringify(key)}`).join('\n')}\n`
      : undefined);
  const tags = [{ Key: 'Name', Value: request.name }, ...Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value }))];
  const spot = options.spot;
  return {
    ImageId: request.imageId,
    InstanceType: request.sizeId as RunInstancesCommandInput['InstanceType'],
    MinCount: 1,
    MaxCount: 1,
    ClientToken: clientTokenFor(request.idempotencyKey),
    TagSpecifications: [{ ResourceType: 'instance', Tags: tags }],
    ...(placement.zone ? { Placement: { AvailabilityZone: placement.zone } } : {}),
    ...(keyName ? { KeyName: keyName } : {}),
    // EC2 takes user data base64-encoded; the 16 KiB limit applies before encoding.
    ...(userData !== undefined ? { UserData: Buffer.from(userData, 'utf8').toString('base64') } : {}),
    ...(options.subnetId ? { SubnetId: options.subnetId } : {}),
    ...(options.securityGroupIds ? { SecurityGroupIds: [...options.securityGroupIds] } : {}),
    ...(options.iamInstanceProfile
      ? {
          IamInstanceProfile: options.iamInstanceProfile.startsWith('arn:')
            ? { Arn: options.iamInstanceProfile }
            : { Name: options.iamInstanceProfile },
        }
      : {}),
    ...(spot
      ? {
          InstanceMarketOptions: {
            MarketType: 'spot',
            SpotOptions: {
              SpotInstanceType: 'one-time',
              InstanceInterruptionBehavior: 'terminate',
              ...(typeof spot === 'object' && spot.maxPrice ? { MaxPrice: spot.maxPrice } : {}),
            },
          },
        }
      : {}),
    MetadataOptions: { HttpTokens: options.requireImdsV2 === false ? 'optional' : 'required', HttpEndpoint: 'enabled' },
  };
}
