/**
 * The shape a virtual machine from ARM must have before it is mapped (valibot), so a malformed
 * answer (`{}`, `null`, `42`, an empty body) is one `CloudError` naming the field instead of a
 * `TypeError` in the mapper or a node with an empty id.
 *
 * @module
 */
import * as v from 'valibot';
import { entryCheck, malformedResponse } from '../../src/kit.js';
import type { AzureVirtualMachine } from './map.js';

const VirtualMachineSchema = v.object({
  name: v.pipe(v.string(), v.minLength(1)),
  location: v.string(),
  // The mapper tolerates the rest missing (a node then has no size, image, addresses or tags shown).
  tags: v.optional(v.record(v.string(), v.string())),
});

const checkVirtualMachine = entryCheck(VirtualMachineSchema, 'a virtual machine');

/**
 * The VM, checked; a `CloudError` (`code: 'malformed-response'`, retryable: the same request may
 * well get a whole answer next time) naming the field when it is not one.
 */
export function checkedVm(value: unknown, operation: string): AzureVirtualMachine {
  const problem = checkVirtualMachine(value);
  if (problem !== undefined) throw malformedResponse(problem, { provider: 'azure', operation }, 200);
  return value as AzureVirtualMachine;
}
