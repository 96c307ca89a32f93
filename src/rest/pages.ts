/**
 * Pagination cursors for the REST drivers, and the rule that keeps page links on the configured
 * endpoint.
 *
 * Real APIs answer with absolute `next` links on their own host (DigitalOcean's
 * `links.pages.next` is `https://api.digitalocean.com/v2/droplets?page=2…`). polycloud never
 * sends a request (and the token) to a host taken from a response: it takes the link's path and
 * query, applies them to the configured endpoint, and refuses a link whose path is not the
 * listing being paged (that would be a different request, not the next page).
 *
 * @module
 */
import { CloudError } from '../core/errors.js';
import type { ProviderName } from '../core/types.js';

/** A value of a query parameter; `undefined` leaves the parameter out, an array repeats it. */
export type QueryValue = string | number | boolean | undefined | readonly string[];

/** Query parameters of a request. */
export type Query = Readonly<Record<string, QueryValue>>;

/**
 * Where the next page is. `link`: a URL (absolute or relative) the provider returned, e.g.
 * DigitalOcean's `links.pages.next`. `query`: parameters to merge into the first request's query,
 * e.g. `{ page: 2 }` for Hetzner's `meta.pagination.next_page` or Linode's `page`/`pages`.
 */
export type PageCursor =
  | {
      /** The next page's URL as the provider sent it; only its path and query are used. */
      readonly link: string;
    }
  | {
      /** Parameters merged over the first request's query to ask for the next page. */
      readonly query: Query;
    };

/** Reads where the next page is from a page; `undefined` on the last page. */
export type NextPage<T> = (page: { readonly data: T; readonly headers: Readonly<Record<string, string>> }) => PageCursor | undefined;

/**
 * The request for the page a `link` points to, on `endpoint`: the link's path (relative to the
 * endpoint's own base path) must be `path`, the listing being paged; its query parameters are
 * merged over `query` so filters survive even when a provider leaves them out of its links.
 *
 * @throws CloudError when the link is unreadable or points to a different path.
 */
export function pageFromLink(
  link: string,
  endpoint: string,
  path: string,
  query: Query,
  context: { readonly provider: ProviderName; readonly operation: string },
): {
  /** The listing's path, `path` as given (the link was checked to point to it). */
  readonly path: string;
  /** `query` with the link's query parameters merged over it. */
  readonly query: Query;
} {
  let url: URL;
  try {
    url = new URL(link, `${endpoint}/`);
  } catch {
    throw refuse(`unreadable pagination link ${JSON.stringify(link)}`, context);
  }
  const basePath = new URL(endpoint).pathname.replace(/\/+$/, '');
  const linkPath = basePath && url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : url.pathname;
  if (linkPath !== path) {
    throw refuse(`pagination link ${JSON.stringify(url.pathname)} is not a page of ${JSON.stringify(path)}`, context);
  }
  const merged: Record<string, QueryValue> = { ...query };
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    merged[key] = values.length === 1 ? values[0] : values;
  }
  return { path, query: merged };
}

/** Serialises a query in key order of insertion; `undefined` values are left out. */
export function encodeQuery(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const each of value as readonly string[]) params.append(key, each);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function refuse(detail: string, context: { readonly provider: ProviderName; readonly operation: string }): CloudError {
  return new CloudError(detail, { provider: context.provider, operation: context.operation, code: 'bad-pagination' });
}
