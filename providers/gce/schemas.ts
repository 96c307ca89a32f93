/**
 * The shapes every Compute Engine list entry must have before it is mapped (valibot): regions,
 * zones, machine types, images and instances, as the client decoded them. A decoded `{}` has its
 * fields absent or `null`; checked here it is one `CloudError` naming the field, never a
 * `TypeError` in a mapper or a node without a name. Only what the mappers read is required.
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck } from '../../src/kit.js';

const name = v.pipe(v.string(), v.nonEmpty());

const GceRegionSchema = v.object({ name });
const GceZoneSchema = v.object({ name, region: name });
const GceMachineTypeSchema = v.object({ name, guestCpus: v.number(), memoryMb: v.number() });
const GceImageSchema = v.object({ name, family: v.nullish(v.string()), creationTimestamp: v.nullish(v.string()) });
const GceInstanceSchema = v.object({ name, zone: name, status: v.nullish(v.string()), machineType: v.nullish(v.string()) });

/** What is wrong with a region entry, or `undefined`. */
export const checkGceRegion = entryCheck(GceRegionSchema, 'a region');
/** What is wrong with a zone entry, or `undefined`. */
export const checkGceZone = entryCheck(GceZoneSchema, 'a zone');
/** What is wrong with a machine type entry, or `undefined`. */
export const checkGceMachineType = entryCheck(GceMachineTypeSchema, 'a machine type');
/** What is wrong with an image entry, or `undefined`. */
export const checkGceImage = entryCheck(GceImageSchema, 'an image');
/** What is wrong with an instance (listed, read or created), or `undefined`. */
export const checkGceInstance = entryCheck(GceInstanceSchema, 'an instance');
