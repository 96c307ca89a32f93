/**
 * The shapes every Vultr list entry must have before it is mapped (valibot): regions, plans,
 * operating systems, instances and SSH keys. A malformed entry (`{}`, `null`, `42`, a missing id)
 * is one `CloudError` naming the field, never a `TypeError` in a mapper. Only what the mappers
 * read is required; the types follow Vultr's OpenAPI document (prices as numbers, since the API
 * sends fractional ones such as 2.5 although the 2023 document says integer).
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck } from '../../src/kit.js';

const VultrRegionSchema = v.object({ id: v.string(), city: v.string(), country: v.string(), continent: v.string() });

const VultrPlanSchema = v.object({
  id: v.string(),
  vcpu_count: v.number(),
  ram: v.number(),
  disk: v.number(),
  disk_count: v.optional(v.number()),
  monthly_cost: v.optional(v.number()),
  hourly_cost: v.optional(v.number()),
  type: v.optional(v.string()),
  locations: v.array(v.string()),
});

const VultrOsSchema = v.object({ id: v.pipe(v.number(), v.integer()), name: v.string(), arch: v.string(), family: v.string() });

const VultrInstanceSchema = v.object({
  id: v.string(),
  label: v.string(),
  region: v.string(),
  plan: v.string(),
  status: v.string(),
  power_status: v.string(),
  server_status: v.string(),
  os_id: v.optional(v.number()),
  main_ip: v.optional(v.string()),
  v6_main_ip: v.optional(v.string()),
  internal_ip: v.optional(v.string()),
  date_created: v.optional(v.string()),
  tags: v.optional(v.array(v.string())),
});

const VultrSshKeySchema = v.object({ id: v.string(), name: v.string(), ssh_key: v.string(), date_created: v.optional(v.string()) });

/** What is wrong with a region entry, or `undefined`. */
export const checkVultrRegion = entryCheck(VultrRegionSchema, 'a region');
/** What is wrong with a plan entry, or `undefined`. */
export const checkVultrPlan = entryCheck(VultrPlanSchema, 'a plan');
/** What is wrong with an operating-system entry, or `undefined`. */
export const checkVultrOs = entryCheck(VultrOsSchema, 'an operating system');
/** What is wrong with an instance (listed, read or created), or `undefined`. */
export const checkVultrInstance = entryCheck(VultrInstanceSchema, 'an instance');
/** What is wrong with an SSH key, or `undefined`. */
export const checkVultrSshKey = entryCheck(VultrSshKeySchema, 'an SSH key');
