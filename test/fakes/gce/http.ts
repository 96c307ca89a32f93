/**
 * HTTP plumbing of the Compute fake: Google error bodies as exceptions, `maxResults` /
 * `pageToken` paging, list bodies and the `filter` parameter.
 */
import { FilterSyntaxError, parseFilter, type FilterPredicate } from './filter.js';

/** Compute's largest page. */
export const MAX_RESULTS = 500;

/** A request failure with its Google error body. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpFailure(404, 'notFound', `The resource '${what}' was not found`);
export const invalidField = (field: string, detail: string) =>
  new HttpFailure(400, 'invalid', `Invalid value for field '${field}': ${detail}`);

export function pageOf<T>(items: readonly T[], query: URLSearchParams): { page: T[]; nextPageToken?: string } {
  const raw = query.get('maxResults');
  const maxResults = raw === null ? MAX_RESULTS : Number(raw);
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_RESULTS)
    throw invalidField('maxResults', `'${raw}'. Must be less than or equal to 500`);
  const size = maxResults === 0 ? MAX_RESULTS : maxResults;
  let offset = 0;
  const token = query.get('pageToken');
  if (token) {
    const parsed = /^page-(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!parsed?.[1]) throw invalidField('pageToken', `'${token}'`);
    offset = Number(parsed[1]);
  }
  const page = items.slice(offset, offset + size);
  return offset + size < items.length ? { page, nextPageToken: Buffer.from(`page-${offset + size}`).toString('base64url') } : { page };
}

export function listBody(
  kind: string,
  id: string,
  selfLink: string,
  items: readonly unknown[],
  query: URLSearchParams,
): Record<string, unknown> {
  const { page, nextPageToken } = pageOf(items, query);
  return { kind, id, items: page, selfLink, ...(nextPageToken ? { nextPageToken } : {}) };
}

export function filterOf(query: URLSearchParams): FilterPredicate {
  try {
    return parseFilter(query.get('filter'));
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidField('filter', `'${query.get('filter')}'. ${error.message}`);
    throw error;
  }
}
