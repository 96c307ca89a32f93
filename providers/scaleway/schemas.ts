/**
 * Shapes Scaleway entries must have before they are mapped (valibot), so a malformed entry is
 * one `CloudError` naming the field, never a node with `id: "undefined"` or a `TypeError`.
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck } from '../../src/kit.js';

/** What is wrong with a server entry, or `undefined`. */
export const checkServer = entryCheck(
  v.object({
    id: v.string(),
    name: v.string(),
    state: v.string(),
    zone: v.string(),
    commercial_type: v.string(),
    // The mapper tolerates the rest missing (a node then shows no tags, addresses or image).
    tags: v.optional(v.array(v.string())),
  }),
  'a server',
);

/** What is wrong with a server type (a value of the `servers` map), or `undefined`. */
export const checkServerType = entryCheck(
  v.object({ ncpus: v.number(), ram: v.number(), hourly_price: v.optional(v.nullable(v.number())) }),
  'a server type',
);

/** What is wrong with a local image, or `undefined`. */
export const checkLocalImage = entryCheck(
  v.object({ id: v.string(), arch: v.string(), zone: v.string(), label: v.string() }),
  'a local image',
);

/** What is wrong with a marketplace image, or `undefined`. */
export const checkMarketplaceImage = entryCheck(v.object({ id: v.string(), name: v.string(), label: v.string() }), 'a marketplace image');

/** What is wrong with an IAM SSH key, or `undefined`. */
export const checkSshKey = entryCheck(v.object({ id: v.string(), name: v.string(), public_key: v.string() }), 'an SSH key');
