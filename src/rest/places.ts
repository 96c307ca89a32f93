/**
 * Checking a create's size, image and location against the provider's own lists before anything
 * changes on the account (SSH keys registered): a helper for `RestDriverSpec.checkPlaces`.
 *
 * @module
 */
import type { DriverContext } from '../core/driver.js';
import type { ResolvedCreateNodeRequest } from '../core/types.js';
import { invalid } from '../core/validate.js';
import type { EntryCheck, RestRuntime } from './spec.js';

/** A `RestDriverSpec.checkPlaces` implementation. */
export type CheckPlaces = (
  request: Pick<ResolvedCreateNodeRequest, 'locationId' | 'sizeId' | 'imageId'>,
  runtime: RestRuntime,
  context: DriverContext,
) => Promise<void>;

/** One catalog list to look an id up in. */
export interface PlaceList {
  /** The request field the id came from: `size`, `image`, `location`. */
  readonly field: 'size' | 'image' | 'location';
  /** The list path, e.g. `/v2/sizes`. */
  readonly path: string;
  /** The answer field holding the entries. */
  readonly key: string;
  /** Query parameters (filters) of the list. */
  readonly query?: Readonly<Record<string, string | number>>;
  /**
   * `false` when the list takes no page size.
   * @defaultValue the paging style's `maxPageSize` is asked for
   */
  readonly pageSize?: false;
  /** Checks each entry before `matches` sees it; a bad entry is a `malformed-response` error. */
  readonly validate?: EntryCheck;
  /** Whether an entry is the one asked for. */
  matches(entry: unknown, id: string): boolean;
  /** What a valid id is, for the error: `a DigitalOcean size slug`. */
  readonly expected: string;
}

/**
 * Reads each list (concurrently) and throws `InvalidRequestError` naming the field of the first
 * id not found. Reads only: nothing changes on the account.
 */
export async function checkPlacesIn(
  runtime: RestRuntime,
  context: DriverContext,
  wanted: readonly (readonly [PlaceList, string])[],
): Promise<void> {
  const found = await Promise.all(
    wanted.map(async ([list, id]) => {
      const entries = await runtime.listAll(context, list.path, list.key, {
        ...(list.query ? { query: list.query } : {}),
        ...(list.pageSize === false ? { pageSize: false as const } : {}),
        ...(list.validate ? { validate: list.validate } : {}),
      });
      return entries.some((entry) => list.matches(entry, id));
    }),
  );
  wanted.forEach(([list, id], index) => {
    if (!found[index]) invalid({ provider: runtime.provider, operation: context.operation }, list.field, list.expected, id);
  });
}
