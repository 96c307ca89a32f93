/**
 * The shapes every Linode list entry must have before it is mapped (valibot): regions, types,
 * images, instances and profile SSH keys. A malformed entry (`{}`, `null`, `42`, a missing id) is
 * one `CloudError` naming the field, never a `TypeError` in a mapper. Only what the mappers read
 * is required.
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck } from '../../src/kit.js';

const price = v.object({ hourly: v.nullish(v.number()), monthly: v.nullish(v.number()) });

const LinodeRegionSchema = v.object({ id: v.string(), label: v.string(), country: v.string() });

const LinodeTypeSchema = v.object({
  id: v.string(),
  label: v.string(),
  class: v.string(),
  vcpus: v.number(),
  memory: v.number(),
  disk: v.number(),
  gpus: v.optional(v.number()),
  price: v.nullish(price),
  region_prices: v.optional(v.array(v.object({ id: v.string(), hourly: v.nullish(v.number()), monthly: v.nullish(v.number()) }))),
});

const LinodeImageSchema = v.object({
  id: v.string(),
  label: v.string(),
  vendor: v.nullable(v.string()),
  is_public: v.boolean(),
  deprecated: v.boolean(),
  status: v.optional(v.string()),
  created: v.nullish(v.string()),
});

const LinodeInstanceSchema = v.object({
  id: v.pipe(v.number(), v.integer()),
  label: v.string(),
  status: v.string(),
  region: v.string(),
  type: v.nullable(v.string()),
  image: v.nullable(v.string()),
  ipv4: v.optional(v.array(v.string())),
  ipv6: v.nullish(v.string()),
  tags: v.optional(v.array(v.string())),
});

const LinodeSshKeySchema = v.object({
  id: v.pipe(v.number(), v.integer()),
  label: v.string(),
  ssh_key: v.string(),
  created: v.nullish(v.string()),
});

/** What is wrong with a region entry, or `undefined`. */
export const checkLinodeRegion = entryCheck(LinodeRegionSchema, 'a region');
/** What is wrong with a type entry, or `undefined`. */
export const checkLinodeType = entryCheck(LinodeTypeSchema, 'a type');
/** What is wrong with an image entry, or `undefined`. */
export const checkLinodeImage = entryCheck(LinodeImageSchema, 'an image');
/** What is wrong with an instance (listed, read or created), or `undefined`. */
export const checkInstance = entryCheck(LinodeInstanceSchema, 'an instance');
/** What is wrong with a profile SSH key, or `undefined`. */
export const checkLinodeSshKey = entryCheck(LinodeSshKeySchema, 'an SSH key');
