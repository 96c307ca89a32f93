/**
 * Vultr's cursor paging: every list answer carries `meta.links.next`, an opaque cursor (not a
 * URL) sent back as `?cursor=…`, or `''` on the last page. The transport follows it on the
 * configured endpoint, refuses a cursor it has already followed (a loop) and stops at the page
 * cap (`bounds.maxPages`).
 *
 * @module
 */
import { CloudError, type PagingStyle } from '../../src/kit.js';
import type { VultrMeta } from './api.js';

/** `per_page` is 1–500 on every list ("Default is 100 and Max is 500"). */
export const VULTR_MAX_PAGE_SIZE = 500;

/** Vultr's paging style. Anything but a string in `meta.links.next` is a malformed answer, never a silent end of the list. */
export const vultrPaging: PagingStyle = {
  sizeParam: 'per_page',
  minPageSize: 1,
  maxPageSize: VULTR_MAX_PAGE_SIZE,
  next: (where) => (page) => {
    const next = (page.data as { meta?: VultrMeta } | undefined)?.meta?.links?.next;
    if (next === '') return undefined;
    if (typeof next === 'string') return { query: { cursor: next } };
    throw new CloudError(`malformed response: "meta.links.next" must be a cursor string, got ${JSON.stringify(next) ?? 'nothing'}`, {
      provider: where.provider,
      operation: where.operation,
      code: 'malformed-response',
      retryable: true,
    });
  },
};
