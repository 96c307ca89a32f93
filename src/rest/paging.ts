/**
 * Paging styles of REST APIs, as strategies a `defineRestDriver` spec picks from: where the page
 * size goes in the first request, the range the API accepts, and where the next page is. The
 * transport's `paginate` follows them (on the configured endpoint only, refusing loops).
 *
 * @module
 */
import { CloudError } from '../core/errors.js';
import type { ProviderName } from '../core/types.js';
import { invalid, type CheckContext } from '../core/validate.js';
import type { NextPage, Query } from './pages.js';

/** How one API pages its lists. */
export interface PagingStyle {
  /** The query parameter holding the page size, e.g. `per_page`. */
  readonly sizeParam: string;
  /** The smallest page the API serves. */
  readonly minPageSize: number;
  /** The largest page the API serves; lists ask for it unless told otherwise. */
  readonly maxPageSize: number;
  /** Reads where the page after `page` is; `undefined` on the last page. */
  next(where: { readonly provider: ProviderName; readonly operation: string }): NextPage<unknown>;
}

/**
 * A page size the API serves, else an `InvalidRequestError` naming `field`: a size out of range is
 * refused, never silently changed (the core's one `pageSize` rule).
 */
export function checkPageSize(context: CheckContext, field: string, value: unknown, style: PagingStyle): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < style.minPageSize || value > style.maxPageSize) {
    invalid(context, field, `a whole number from ${style.minPageSize} to ${style.maxPageSize}`, value);
  }
  return value;
}

/** The query of a first page of `size` entries. */
export function pageQuery(style: PagingStyle, size: number): Query {
  return { [style.sizeParam]: size };
}

function malformed(detail: string, where: { readonly provider: ProviderName; readonly operation: string }): CloudError {
  return new CloudError(`malformed response: ${detail}`, {
    provider: where.provider,
    operation: where.operation,
    code: 'malformed-response',
    retryable: true,
  });
}

/**
 * Link paging: each page names the next one with a URL (DigitalOcean's `links.pages.next`). Only
 * the link's path and query are used, on the configured endpoint.
 */
export function linkPaging(options: {
  /**
   * The query parameter holding the page size.
   * @defaultValue `'per_page'`
   */
  readonly sizeParam?: string;
  /**
   * The smallest page the API serves.
   * @defaultValue 1
   */
  readonly minPageSize?: number;
  /** The largest page the API serves; lists ask for it unless told otherwise. */
  readonly maxPageSize: number;
  /** The next page's link in a page's body, e.g. `(body) => body.links?.pages?.next`. */
  readonly link: (body: Record<string, unknown>) => unknown;
}): PagingStyle {
  return {
    sizeParam: options.sizeParam ?? 'per_page',
    minPageSize: options.minPageSize ?? 1,
    maxPageSize: options.maxPageSize,
    next: () => (page) => {
      const body = page.data;
      const next = typeof body === 'object' && body !== null ? options.link(body as Record<string, unknown>) : undefined;
      return typeof next === 'string' && next !== '' ? { link: next } : undefined;
    },
  };
}

/**
 * Page-number paging with a `meta.pagination` object (Hetzner Cloud): `next_page` is the next
 * page number, or `null` on the last page. Anything else is a malformed answer, never a silent
 * end of the list.
 */
export function metaPaging(options: {
  /**
   * The query parameter holding the page size.
   * @defaultValue `'per_page'`
   */
  readonly sizeParam?: string;
  /** The largest page the API serves; lists ask for it unless told otherwise. */
  readonly maxPageSize: number;
  /**
   * The query parameter holding the page number.
   * @defaultValue `'page'`
   */
  readonly pageParam?: string;
}): PagingStyle {
  const pageParam = options.pageParam ?? 'page';
  return {
    sizeParam: options.sizeParam ?? 'per_page',
    minPageSize: 1,
    maxPageSize: options.maxPageSize,
    next: (where) => (page) => {
      type Pagination = { page?: unknown; next_page?: unknown; last_page?: unknown };
      const pagination = (page.data as { meta?: { pagination?: Pagination } } | undefined)?.meta?.pagination;
      const next = pagination?.next_page;
      if (next === null || (pagination !== undefined && next === undefined && pagination.last_page === pagination.page)) return undefined;
      const current = typeof pagination?.page === 'number' ? pagination.page : 0;
      if (typeof next === 'number' && Number.isInteger(next) && next > current) return { query: { [pageParam]: next } };
      throw malformed(`"meta.pagination.next_page" must be a later page number or null, got ${JSON.stringify(next) ?? 'nothing'}`, where);
    },
  };
}

/**
 * Page-count paging (Linode): every page says its number and how many there are (`page`,
 * `pages`); the next page is asked for while `page < pages`. An answer without both numbers is
 * malformed, never a silent end of the list.
 */
export function pageCountPaging(options: {
  /**
   * The query parameter holding the page size.
   * @defaultValue `'page_size'`
   */
  readonly sizeParam?: string;
  /**
   * The smallest page the API serves.
   * @defaultValue 1
   */
  readonly minPageSize?: number;
  /** The largest page the API serves; lists ask for it unless told otherwise. */
  readonly maxPageSize: number;
  /**
   * The query parameter holding the page number.
   * @defaultValue `'page'`
   */
  readonly pageParam?: string;
}): PagingStyle {
  const pageParam = options.pageParam ?? 'page';
  return {
    sizeParam: options.sizeParam ?? 'page_size',
    minPageSize: options.minPageSize ?? 1,
    maxPageSize: options.maxPageSize,
    next: (where) => (response) => {
      const { page, pages } = (response.data ?? {}) as { page?: unknown; pages?: unknown };
      if (!Number.isInteger(page) || !Number.isInteger(pages)) {
        throw malformed(
          `"page" and "pages" must be whole numbers, got ${JSON.stringify(page) ?? 'nothing'} and ${JSON.stringify(pages) ?? 'nothing'}`,
          where,
        );
      }
      return (page as number) < (pages as number) ? { query: { [pageParam]: (page as number) + 1 } } : undefined;
    },
  };
}
