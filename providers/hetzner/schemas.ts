/**
 * The shape every Hetzner server entry must have before it is mapped (valibot), so a malformed
 * entry is one `CloudError` naming the field instead of a node with `id: "undefined"`.
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck } from '../../src/kit.js';

const HetznerServerSchema = v.object({
  id: v.pipe(v.number(), v.integer()),
  name: v.string(),
  status: v.string(),
  // The mapper tolerates the rest missing (a node then has no size, location or labels shown).
  labels: v.optional(v.record(v.string(), v.string())),
});

/** What is wrong with a server entry, or `undefined`. */
export const checkHetznerServer = entryCheck(HetznerServerSchema, 'a server');
