/**
 * Reading a file a user named (user data, a config) without trusting its size: `/dev/zero`, a
 * FIFO or a multi-gigabyte file is refused after at most `maxBytes + 1` bytes are read.
 *
 * @module
 */
import { open } from 'node:fs/promises';
import { InvalidRequestError, type ErrorSource } from './errors.js';

/**
 * Largest user-data file the CLI reads: above every provider's own limit (AWS 16 KiB, DigitalOcean
 * 64 KiB, Compute 256 KiB), so the driver's check still names the provider's limit.
 */
export const USER_DATA_FILE_MAX_BYTES = 1024 * 1024;

/** Where a bounded read is reported from, for its error. */
export interface BoundedReadContext {
  readonly provider: ErrorSource;
  readonly operation: string;
  /** The option or argument that named the file, e.g. `--user-data-file`. */
  readonly field: string;
}

/** The context of the CLI's `--user-data-file` read. */
export const USER_DATA_FILE: BoundedReadContext = { provider: 'polycloud', operation: 'createNode', field: '--user-data-file' };

/**
 * The file's content as UTF-8 text, read a chunk at a time and never more than `maxBytes + 1`
 * bytes.
 *
 * @throws InvalidRequestError naming `context.field` when the file is larger than `maxBytes`
 *   (or never ends) or cannot be read.
 */
export async function readFileBounded(path: string, maxBytes: number, context: BoundedReadContext): Promise<string> {
  const fail = (detail: string): never => {
    throw new InvalidRequestError(`"${context.field}" ${detail}`, {
      provider: context.provider,
      operation: context.operation,
      field: context.field,
    });
  };
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return fail(`cannot be read: ${(error as Error).message}`);
  }
  try {
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, 64 * 1024));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, maxBytes + 1 - total), null);
      if (bytesRead === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
      total += bytesRead;
      if (total > maxBytes) fail(`must name a file of at most ${maxBytes} bytes; ${path} is larger`);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}
