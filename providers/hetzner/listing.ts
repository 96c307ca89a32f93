/**
 * Listing helpers: Hetzner's page cursor and its server status filter.
 *
 * @module
 */
import { CloudError } from '../../src/core/errors.js';
import type { NodeState } from '../../src/core/types.js';
import type { HetznerPagination, HetznerServerStatus } from './api.js';
import { mapServerStatus } from './map.js';

/**
 * Reads `meta.pagination.next_page` (a page number, or null on the last page); the next request
 * goes to the configured endpoint with `page` set. Anything else is a malformed answer, never a
 * silent end of the list.
 */
export function nextPageOf(operation: string) {
  return ({ data }: { readonly data: unknown }) => {
    const pagination = (data as { meta?: { pagination?: Partial<HetznerPagination> } } | undefined)?.meta?.pagination;
    const next = pagination?.next_page;
    if (next === null || (pagination !== undefined && next === undefined && pagination.last_page === pagination.page)) return undefined;
    if (typeof next === 'number' && Number.isInteger(next) && next > (pagination?.page ?? 0)) return { query: { page: next } };
    throw new CloudError(
      `malformed response: "meta.pagination.next_page" must be a later page number or null, got ${JSON.stringify(next) ?? 'nothing'}`,
      {
        provider: 'hetzner',
        operation,
        code: 'malformed-response',
        retryable: true,
      },
    );
  };
}

/** Hetzner statuses per polycloud state; a status filter is sent only when it is exactly one status. */
export function singleStatus(states: readonly NodeState[] | undefined): HetznerServerStatus | undefined {
  if (!states) return undefined;
  const all: HetznerServerStatus[] = [
    'running',
    'initializing',
    'starting',
    'stopping',
    'off',
    'deleting',
    'migrating',
    'rebuilding',
    'unknown',
  ];
  const wanted = all.filter((status) => states.includes(mapServerStatus(status)));
  return wanted.length === 1 ? wanted[0] : undefined;
}
