/**
 * What every part of the `scaleway` driver shares: its runtime type, per-zone request helpers
 * (every request names its zone, so a failure says which zone failed), and the catalogs it
 * caches (server types per zone, the marketplace).
 *
 * @module
 */
import {
  field,
  invalid,
  urlPath,
  type DriverContext,
  type EntryCheck,
  type Query,
  type RestRequest,
  type RestRuntime,
} from '../../src/kit.js';
import type { ScalewayMarketplaceImage, ScalewayServerType } from './api.js';
import type { ScalewayConfig, ScalewayDriverOptions } from './config.js';
import { checkMarketplaceImage, checkServerType } from './schemas.js';
import { isKnownZone } from './zones.js';

/** How long a zone's server types (and the marketplace) are reused before they are asked for again, in ms. */
export const CATALOG_TTL_MS = 60 * 60 * 1000;

interface Cached<T> {
  readonly at: number;
  readonly value: Promise<T>;
}

/** Per-driver state: the resolved configuration and the catalog caches. */
export interface ScalewayState {
  readonly config: ScalewayConfig;
  readonly types: Map<string, Cached<Record<string, ScalewayServerType>>>;
  /** Server types that have arrived, by zone: what a node is priced with. */
  readonly knownTypes: Map<string, Record<string, ScalewayServerType>>;
  marketplace?: Cached<ScalewayMarketplaceImage[]>;
}

/** The runtime every spec function of the driver receives. */
export type ScalewayRuntime = RestRuntime<ScalewayDriverOptions, ScalewayState>;

/** The Instance API path of `rest` in `zone`, every segment encoded. */
export function instancePath(zone: string, ...rest: string[]): string {
  return urlPath`/instance/v1/zones/${zone}` + rest.map((segment) => `/${encodeURIComponent(segment)}`).join('');
}

/** Refuses a zone Scaleway does not document, naming `fieldName`, before any request. */
export function checkZone(runtime: ScalewayRuntime, context: DriverContext, fieldName: string, zone: string): void {
  if (!isKnownZone(zone)) invalid(runtime.where(context), fieldName, 'a Scaleway zone such as "fr-par-1"', zone);
}

/** A request about one zone: its failures name the zone. */
export function zoneRequest(
  runtime: ScalewayRuntime,
  context: DriverContext,
  zone: string,
  request: Omit<RestRequest, 'operation' | 'signal'>,
) {
  return runtime.client.request({
    ...request,
    location: zone,
    operation: context.operation,
    ...(context.signal ? { signal: context.signal } : {}),
  });
}

/**
 * Every page of a Scaleway list (Instance, Marketplace, IAM), each entry checked, with the zone
 * (when there is one) named in failures. `pageSize: false` leaves the page size to the API.
 */
export async function* scalewayPages(
  runtime: ScalewayRuntime,
  context: DriverContext,
  list: {
    path: string;
    field: string;
    zone?: string;
    query?: Query;
    pageSize?: number | false;
    validate?: EntryCheck;
    shape?: 'array' | 'object';
  },
): AsyncGenerator<unknown[]> {
  const where = { ...runtime.where(context), ...(list.zone ? { location: list.zone } : {}) };
  const first: RestRequest = {
    method: 'GET',
    path: list.path,
    query: { ...list.query, ...(list.pageSize === false ? {} : { per_page: list.pageSize ?? runtime.pageSize }) },
    operation: context.operation,
    ...(list.zone ? { location: list.zone } : {}),
    ...(context.signal ? { signal: context.signal } : {}),
  };
  for await (const page of runtime.client.paginate(first, runtime.paging.next(where))) {
    // Server types come as a map keyed by type name: its entries are [name, type] pairs.
    const entries: unknown[] =
      list.shape === 'object' ? Object.entries(field(page, list.field, 'object', where)) : field(page, list.field, 'array', where);
    for (const entry of entries)
      runtime.checkEntry(context, list.shape === 'object' ? (entry as [string, unknown])[1] : entry, list.validate);
    yield entries;
  }
}

async function cached<T>(
  runtime: ScalewayRuntime,
  get: () => Cached<T> | undefined,
  set: (entry: Cached<T> | undefined) => void,
  load: () => Promise<T>,
): Promise<T> {
  const now = runtime.clock.now();
  const hit = get();
  if (hit && now - hit.at < CATALOG_TTL_MS) return hit.value;
  const entry = { at: now, value: load() };
  set(entry);
  // A failed load is not kept: the next call asks again.
  entry.value.catch(() => get() === entry && set(undefined));
  return entry.value;
}

/** The server types of a zone (`/products/servers`, every page), cached for {@link CATALOG_TTL_MS}. */
export function serverTypes(runtime: ScalewayRuntime, context: DriverContext, zone: string): Promise<Record<string, ScalewayServerType>> {
  const { types, knownTypes } = runtime.state;
  return cached(
    runtime,
    () => types.get(zone),
    (entry) => (entry ? types.set(zone, entry) : types.delete(zone)),
    async () => {
      const all: Record<string, ScalewayServerType> = {};
      for await (const page of scalewayPages(runtime, context, {
        path: instancePath(zone, 'products', 'servers'),
        field: 'servers',
        zone,
        shape: 'object',
        validate: checkServerType,
      })) {
        for (const [name, type] of page as [string, ScalewayServerType][]) all[name] = type;
      }
      knownTypes.set(zone, all);
      return all;
    },
  );
}

/** Every marketplace image (`/marketplace/v2/images`: names and labels), cached for {@link CATALOG_TTL_MS}. */
export function marketplaceImages(runtime: ScalewayRuntime, context: DriverContext): Promise<ScalewayMarketplaceImage[]> {
  return cached(
    runtime,
    () => runtime.state.marketplace,
    (entry) => {
      runtime.state.marketplace = entry;
    },
    async () => {
      const all: ScalewayMarketplaceImage[] = [];
      for await (const page of scalewayPages(runtime, context, {
        path: '/marketplace/v2/images',
        field: 'images',
        query: { include_eol: false },
        pageSize: false,
        validate: checkMarketplaceImage,
      })) {
        all.push(...(page as ScalewayMarketplaceImage[]));
      }
      return all;
    },
  );
}
