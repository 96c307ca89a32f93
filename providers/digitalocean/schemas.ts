/**
 * The shapes every DigitalOcean list entry must have before it is mapped (valibot): regions,
 * sizes, images, droplets, actions and SSH keys. A malformed entry (`{}`, `null`, `42`, a missing
 * id) is one `CloudError` naming the field, never a `TypeError` in a mapper. Only what the mappers
 * read is required; the API's other fields may come and go.
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck } from '../../src/kit.js';

const strings = v.array(v.string());

const DoRegionSchema = v.object({ slug: v.string(), name: v.string(), available: v.boolean() });

const DoSizeSchema = v.object({
  slug: v.string(),
  vcpus: v.number(),
  memory: v.number(),
  disk: v.number(),
  regions: strings,
  available: v.optional(v.boolean()),
  description: v.optional(v.string()),
  // Prices may be missing or zero: the mapper then gives `price: null`.
  price_hourly: v.optional(v.number()),
  price_monthly: v.optional(v.number()),
  gpu_info: v.optional(v.object({ count: v.optional(v.number()) })),
});

const DoImageSchema = v.object({
  id: v.number(),
  name: v.string(),
  slug: v.nullish(v.string()),
  distribution: v.optional(v.string()),
  regions: strings,
  status: v.optional(v.string()),
  created_at: v.optional(v.string()),
});

const DoDropletSchema = v.object({
  id: v.pipe(v.number(), v.integer()),
  name: v.string(),
  status: v.string(),
  region: v.object({ slug: v.string() }),
  tags: v.optional(strings),
  size_slug: v.nullish(v.string()),
  networks: v.optional(
    v.object({
      v4: v.optional(v.array(v.object({ ip_address: v.string(), type: v.string() }))),
      v6: v.optional(v.array(v.object({ ip_address: v.string(), type: v.string() }))),
    }),
  ),
});

const DoActionSchema = v.object({ id: v.number(), status: v.string() });

const DoSshKeySchema = v.object({ id: v.number(), name: v.string(), public_key: v.string(), fingerprint: v.string() });

/** What is wrong with a region entry, or `undefined`. */
export const checkDoRegion = entryCheck(DoRegionSchema, 'a region');
/** What is wrong with a size entry, or `undefined`. */
export const checkDoSize = entryCheck(DoSizeSchema, 'a size');
/** What is wrong with an image entry, or `undefined`. */
export const checkDoImage = entryCheck(DoImageSchema, 'an image');
/** What is wrong with a droplet (listed, read or created), or `undefined`. */
export const checkDroplet = entryCheck(DoDropletSchema, 'a droplet');
/** What is wrong with an action object, or `undefined`. */
export const checkAction = entryCheck(DoActionSchema, 'an action');
/** What is wrong with an account SSH key, or `undefined`. */
export const checkDoSshKey = entryCheck(DoSshKeySchema, 'an SSH key');
