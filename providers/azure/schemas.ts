/**
 * The shapes every Azure list entry must have before it is mapped (valibot): locations, VM sizes,
 * image SKUs and virtual machines, as the ARM clients returned them. A malformed entry (`{}`,
 * `null`, `42`, a missing name) is one `CloudError` naming the field, never a `TypeError` in a
 * mapper or a node named `""`. Only what the mappers read is required.
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck } from '../../src/kit.js';

const name = v.pipe(v.string(), v.nonEmpty());

const AzureLocationSchema = v.object({
  name,
  displayName: v.optional(v.string()),
  metadata: v.optional(v.object({ regionType: v.optional(v.string()), physicalLocation: v.optional(v.string()) })),
});
const AzureVmSizeSchema = v.object({ name, numberOfCores: v.number(), memoryInMB: v.number() });
const AzureSkuSchema = v.object({ name });
const AzureVmSchema = v.object({ name, location: name, tags: v.optional(v.record(v.string(), v.string())) });

/** What is wrong with a location entry, or `undefined`. */
export const checkAzureLocation = entryCheck(AzureLocationSchema, 'a location');
/** What is wrong with a VM size entry, or `undefined`. */
export const checkAzureVmSize = entryCheck(AzureVmSizeSchema, 'a VM size');
/** What is wrong with an image SKU entry, or `undefined`. */
export const checkAzureSku = entryCheck(AzureSkuSchema, 'an image SKU');
/** What is wrong with a virtual machine (listed or read), or `undefined`. */
export const checkAzureVm = entryCheck(AzureVmSchema, 'a virtual machine');
