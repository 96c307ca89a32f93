/**
 * The shapes every EC2 list entry must have before it is mapped (valibot): regions, zones,
 * instance types, AMIs, instances and key pairs, as the SDK parsed them from EC2's XML. An `<item>`
 * missing its id parses as an object without it; checked here, it is one `CloudError` naming the
 * field instead of a node with `id: ""` or a size silently left out. Only what the mappers read
 * is required.
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck } from '../../src/kit.js';

const AwsRegionSchema = v.object({ RegionName: v.string() });

const AwsZoneSchema = v.object({ ZoneName: v.string(), ZoneType: v.optional(v.string()) });

const AwsInstanceTypeSchema = v.object({
  InstanceType: v.string(),
  VCpuInfo: v.object({ DefaultVCpus: v.number() }),
  MemoryInfo: v.object({ SizeInMiB: v.number() }),
});

const AwsImageSchema = v.object({ ImageId: v.string(), Name: v.string(), OwnerId: v.string() });

const AwsInstanceSchema = v.object({
  InstanceId: v.string(),
  State: v.object({ Name: v.string() }),
  Tags: v.optional(v.array(v.object({ Key: v.optional(v.string()), Value: v.optional(v.string()) }))),
});

const AwsKeyPairSchema = v.object({ KeyName: v.string(), KeyPairId: v.string() });

/** What is wrong with a `DescribeRegions` entry, or `undefined`. */
export const checkAwsRegion = entryCheck(AwsRegionSchema, 'a region');
/** What is wrong with a `DescribeAvailabilityZones` entry, or `undefined`. */
export const checkAwsZone = entryCheck(AwsZoneSchema, 'an availability zone');
/** What is wrong with a `DescribeInstanceTypes` entry, or `undefined`. */
export const checkAwsInstanceType = entryCheck(AwsInstanceTypeSchema, 'an instance type');
/** What is wrong with a `DescribeImages` entry, or `undefined`. */
export const checkAwsImage = entryCheck(AwsImageSchema, 'an image');
/** What is wrong with an instance (described or launched), or `undefined`. */
export const checkAwsInstance = entryCheck(AwsInstanceSchema, 'an instance');
/** What is wrong with a `DescribeKeyPairs` entry, or `undefined`. */
export const checkAwsKeyPair = entryCheck(AwsKeyPairSchema, 'a key pair');
