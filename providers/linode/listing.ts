/**
 * Listing helpers: Linode's page size bounds and page cursor.
 *
 * @module
 */
import { CloudError } from '../../src/core/errors.js';

/** Linode's smallest and largest page. */
export const MIN_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 500;

/** Linode accepts 25 to 500 items per page. */
export function clampPageSize(size: number): number {
  return Math.max(MIN_PAGE_SIZE, Math.min(MAX_PAGE_SIZE, Math.floor(size)));
}

/**
 * The next page while `page < pages`; it goes to the configured endpoint with `page` set. An
 * answer without page numbers is malformed, never a silent end of the list.
 */
export function nextPageOf(operation: string) {
  return ({ data }: { readonly data: unknown }) => {
    const { page, pages } = (data ?? {}) as { page?: unknown; pages?: unknown };
    if (!Number.isInteger(page) || !Number.isInteger(pages)) {
      throw new CloudError(
        `malformed response: "page" and "pages" must be whole numbers, got ${JSON.stringify(page) ?? 'nothing'} and ${JSON.stringify(pages) ?? 'nothing'}`,
        {
          provider: 'linode',
          operation,
          code: 'malformed-response',
          retryable: true,
        },
      );
    }
    return (page as number) < (pages as number) ? { query: { page: (page as number) + 1 } } : undefined;
  };
}
