/**
 * Scaleway's paging: `page` numbers from 1 and a total count — the `X-Total-Count` header on
 * Instance lists (`per_page` ≤ 100), `total_count` in the body on IAM and Marketplace lists
 * (`page_size`). The `Link` header holds paths relative to the zone, not to the API root, so the
 * next page is counted here instead of followed.
 *
 * @module
 */
import { CloudError, type PagingStyle } from '../../src/kit.js';

/** The largest Instance page (`per_page`). */
export const SCALEWAY_MAX_PAGE = 100;

/** Entries on one page: the longest list (or map, for server types) among the body's fields. */
function entriesOn(body: unknown): number {
  if (typeof body !== 'object' || body === null) return 0;
  let count = 0;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'total_count') continue;
    if (Array.isArray(value)) count = Math.max(count, value.length);
    else if (typeof value === 'object' && value !== null) count = Math.max(count, Object.keys(value).length);
  }
  return count;
}

/**
 * Page-number paging with a total: the next page is asked for while fewer entries than the total
 * have arrived and the last page was not empty. A total that is missing or not a whole number is a
 * malformed answer, never a silent end.
 */
export function scalewayPaging(): PagingStyle {
  return {
    sizeParam: 'per_page',
    minPageSize: 1,
    maxPageSize: SCALEWAY_MAX_PAGE,
    next: (where) => {
      let page = 1;
      let seen = 0;
      return (response) => {
        const header = response.headers['x-total-count'];
        const body = (typeof response.data === 'object' && response.data !== null ? response.data : {}) as { total_count?: unknown };
        const total = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) : body.total_count;
        if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
          throw new CloudError(
            `malformed response: a Scaleway list needs a whole "X-Total-Count" header or "total_count", got ${JSON.stringify(header ?? body.total_count) ?? 'nothing'}`,
            { provider: where.provider, operation: where.operation, code: 'malformed-response', retryable: true },
          );
        }
        const count = entriesOn(response.data);
        seen += count;
        if (count === 0 || seen >= total) return undefined;
        page += 1;
        return { query: { page } };
      };
    },
  };
}
