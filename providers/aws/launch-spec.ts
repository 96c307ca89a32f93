/**
 * How an EC2 instance was launched: its AMI (any build: the AMI is described by id and its name
 * read with the official families' patterns), its user data (`DescribeInstanceAttribute`) and
 * the public key of its key pair (`DescribeKeyPairs` with `IncludePublicKey`). A key pair whose
 * public key EC2 does not return is named in `unreadableKeyNames`, never silently dropped.
 *
 * @module
 */
import type { Ec2Instance as Instance } from './types.js';
import { isCloudError, userDataReadBack, type Image, type LaunchSpec, type Node } from '../../src/kit.js';
import type { Ec2Request } from './client.js';
import { IMAGE_FAMILIES } from './images.js';
import { mapAmiToImage } from './map.js';

/** Runs one EC2 request in a region, through the driver's transport (retries, errors, deadline). */
export type Ec2Caller = <T>(region: string, run: Ec2Request<T>) => Promise<T>;

/** Reads an instance's launch spec in its region. */
export async function readAwsLaunchSpec(node: Node<Instance>, call: Ec2Caller): Promise<LaunchSpec> {
  const region = node.location.region;
  const instanceId = node.id;
  const [image, userData, key] = await Promise.all([
    node.imageId ? describeImage(region, node.imageId, call) : Promise.resolve(null),
    call(region, (client, abort, sdk) =>
      client.send(new sdk.DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }), abort),
    ).then((output) => output.UserData?.Value),
    node.raw.KeyName ? publicKeyOf(region, node.raw.KeyName, call) : Promise.resolve(undefined),
  ]);
  const keyName = node.raw.KeyName;
  // Bounded and checked like every driver's read-back (EC2 itself caps user data at 16 KiB).
  const text = userDataReadBack(userData, 'base64', { provider: 'aws', operation: 'getLaunchSpec', location: region });
  return {
    image,
    ...(text === undefined ? {} : { userData: text }),
    sshKeys: key ? [key] : [],
    ...(keyName && !key ? { unreadableKeyNames: [keyName] } : {}),
  };
}

/** The AMI by id, with its OS read from its name when an official family publishes it; `null` when EC2 no longer has it. */
async function describeImage(region: string, imageId: string, call: Ec2Caller): Promise<Image | null> {
  const output = await call(region, (client, abort, sdk) => client.send(new sdk.DescribeImagesCommand({ ImageIds: [imageId] }), abort));
  const ami = output.Images?.find((each) => each.ImageId === imageId);
  if (!ami) return null;
  for (const family of Object.values(IMAGE_FAMILIES)) {
    const parsed = ami.Name && ami.OwnerId === family.owner ? family.parseName(ami.Name) : undefined;
    if (parsed) return mapAmiToImage(ami, region, { family: family.family, version: parsed.version });
  }
  // Not an official base image: its id and name are known, its OS is not.
  const { os: _os, ...unknownOs } = mapAmiToImage(ami, region, { family: '', version: '' });
  return unknownOs;
}

/** The public key of a key pair, or `undefined` when EC2 does not return it (pairs created before 2021, or deleted). */
async function publicKeyOf(region: string, keyName: string, call: Ec2Caller): Promise<string | undefined> {
  try {
    const output = await call(region, (client, abort, sdk) =>
      client.send(new sdk.DescribeKeyPairsCommand({ KeyNames: [keyName], IncludePublicKey: true }), abort),
    );
    return output.KeyPairs?.[0]?.PublicKey?.trim() || undefined;
  } catch (error) {
    // A deleted key pair: the node still runs, its key cannot be carried.
    if (isCloudError(error) && /InvalidKeyPair\.NotFound/.test(error.code ?? '')) return undefined;
    throw error;
  }
}
