/**
 * The shapes every Hetzner Cloud list entry must have before it is mapped (valibot): locations,
 * server types, images, servers and SSH keys. A malformed entry (`{}`, `null`, `42`, a missing
 * id) is one `CloudError` naming the field instead of a `TypeError` or a node with
 * `id: "undefined"`. Only what the mappers read is required.
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck } from '../../src/kit.js';

const labels = v.optional(v.record(v.string(), v.string()));
const priceAmounts = v.object({ net: v.optional(v.string()), gross: v.optional(v.string()) });

const HetznerLocationSchema = v.object({
  name: v.string(),
  description: v.string(),
  country: v.string(),
  city: v.string(),
});

const HetznerServerTypeSchema = v.object({
  id: v.number(),
  name: v.string(),
  description: v.optional(v.string()),
  cores: v.number(),
  memory: v.number(),
  disk: v.number(),
  deprecated: v.nullish(v.boolean()),
  prices: v.array(v.object({ location: v.string(), price_hourly: priceAmounts, price_monthly: priceAmounts })),
  cpu_type: v.optional(v.string()),
  architecture: v.optional(v.string()),
});

const HetznerImageSchema = v.object({
  id: v.pipe(v.number(), v.integer()),
  status: v.string(),
  name: v.nullable(v.string()),
  description: v.string(),
  os_flavor: v.optional(v.string()),
  os_version: v.nullish(v.string()),
  created: v.string(),
});

const HetznerServerSchema = v.object({
  id: v.pipe(v.number(), v.integer()),
  name: v.string(),
  status: v.string(),
  // The mapper tolerates the rest missing (a node then has no size, location or labels shown).
  labels,
});

const HetznerSshKeySchema = v.object({
  id: v.pipe(v.number(), v.integer()),
  name: v.string(),
  fingerprint: v.string(),
  public_key: v.string(),
  labels,
});

/** What is wrong with a location entry, or `undefined`. */
export const checkHetznerLocation = entryCheck(HetznerLocationSchema, 'a location');
/** What is wrong with a server type entry, or `undefined`. */
export const checkHetznerServerType = entryCheck(HetznerServerTypeSchema, 'a server type');
/** What is wrong with an image entry, or `undefined`. */
export const checkHetznerImage = entryCheck(HetznerImageSchema, 'an image');
/** What is wrong with a server entry, or `undefined`. */
export const checkHetznerServer = entryCheck(HetznerServerSchema, 'a server');
/** What is wrong with an SSH key entry, or `undefined`. */
export const checkHetznerSshKey = entryCheck(HetznerSshKeySchema, 'an SSH key');
