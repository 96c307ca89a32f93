/**
 * Answers the ARM clients cannot decode. The generated clients deserialize every entry of a list
 * before polycloud sees it, so a `null` or `42` among them is a `TypeError` inside a
 * `…Deserializer` function of `@azure/arm-*`. That is the server's fault, not a bug: it becomes
 * the same `CloudError` (`code: 'malformed-response'`) as an entry that fails its schema, naming
 * the shape and what came instead.
 *
 * @module
 */
import { malformedEntryError, type CloudError } from '../../src/kit.js';

/** The malformed-response error for a decoding failure inside an ARM client, or `undefined` for any other error. */
export function armDecodeFailure(
  error: unknown,
  where: { readonly operation: string; readonly location?: string },
): CloudError | undefined {
  if (!(error instanceof TypeError) || typeof error.stack !== 'string') return undefined;
  const frame = /at (\w+)Deserializer \(.*@azure[\\/]arm-/.exec(error.stack);
  if (!frame) return undefined;
  // "Cannot read properties of null (reading 'name')": the entry itself was not an object.
  const received = /properties of (\w+)/.exec(error.message)?.[1] ?? 'something else';
  const shape = (frame[1] as string).replace(/^_/, '');
  return malformedEntryError(`${shape === '' ? 'an entry' : `a ${shape}`} with a malformed shape: expected an object, got ${received}`, {
    provider: 'azure',
    operation: where.operation,
    ...(where.location ? { location: where.location } : {}),
  });
}
