/**
 * The shapes every OpenStack list entry must have before it is mapped (valibot): availability
 * zones, Nova flavors and servers, Glance images. A malformed entry (`{}`, `null`, `42`, a missing
 * id) is one `CloudError` naming the field, never a `TypeError` in a mapper. Only what the
 * mappers read is required.
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck, type EntryProblem } from '../../src/kit.js';

const id = v.pipe(v.string(), v.nonEmpty());

const ZoneSchema = v.object({
  zoneName: v.string(),
  zoneState: v.nullish(v.object({ available: v.optional(v.boolean()) })),
});

const NovaFlavorSchema = v.object({ id, name: v.nullish(v.string()), vcpus: v.number(), ram: v.number(), disk: v.number() });

const GlanceImageSchema = v.object({ id, name: v.nullish(v.string()), created_at: v.nullish(v.string()) });

const NovaServerSchema = v.object({
  id,
  name: v.string(),
  status: v.string(),
  addresses: v.nullish(v.record(v.string(), v.array(v.looseObject({})))),
  metadata: v.nullish(v.record(v.string(), v.string())),
});

/** What is wrong with an `os-availability-zone` entry, or `undefined`. */
export const checkZone = entryCheck(ZoneSchema, 'an availability zone');
/** What is wrong with a flavor entry, or `undefined`. */
export const checkNovaFlavor = entryCheck(NovaFlavorSchema, 'a flavor');
/** What is wrong with an image entry, or `undefined`. */
export const checkGlanceImage = entryCheck(GlanceImageSchema, 'an image');
/** What is wrong with a server (listed or read), or `undefined`. */
export const checkNovaServer = entryCheck(NovaServerSchema, 'a server');

/** What is wrong with any other listed entry (an object with a non-empty string id), or `undefined`. */
export const checkIdentified = entryCheck(v.object({ id }), 'an entry');

/** The check of each listed collection, by the answer's field. */
export const LIST_CHECKS: Readonly<Record<string, EntryProblem>> = {
  flavors: checkNovaFlavor,
  images: checkGlanceImage,
  servers: checkNovaServer,
};
