/**
 * Listing instances page by page: `aggregatedList` across every zone, or `list` per zone
 * (concurrently, bounded) when the driver or the query names zones. Label and status filters go
 * to the API. A zone Compute reports as unreachable is a failure, never a silent gap.
 *
 * @module
 */
import { fanOutPages, PartialFailureError, ProviderUnavailableError, type CloudError, type Node, type NodeState } from '../../src/kit.js';
import type { GceApi, GceCallContext } from './api.js';
import { mapGceError } from './errors.js';
import { buildInstanceFilter, lastSegment, regionOfZone } from './map.js';
import type { GceInstance, GceScopedInstances } from './types.js';
import { checkGceInstance } from './schemas.js';
import { checkEntries } from '../../src/kit.js';

/** What to list. */
export interface InstanceListing {
  readonly context: GceCallContext;
  readonly concurrency: number;
  /** `maxResults` per request. */
  readonly pageSize: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly states?: readonly NodeState[];
  /** Zones the driver is configured for. */
  readonly zones?: readonly string[];
  /** Regions the driver is configured for. */
  readonly regions?: readonly string[];
  /** Zones the query asks for. */
  readonly targetZones?: readonly string[];
  readonly map: (instance: GceInstance) => Node<GceInstance>;
}

/** The scope warning Compute gives for a zone it could not list (others, like `NO_RESULTS_ON_PAGE`, are benign). */
const UNREACHABLE_WARNING = 'UNREACHABLE';

/** Yields every page of instances matching the listing. */
export async function* listInstancePages(api: GceApi, listing: InstanceListing): AsyncGenerator<readonly Node<GceInstance>[]> {
  const filter = buildInstanceFilter(listing.tags, listing.states);
  if (filter === null) return; // no Compute status maps to the states, or a tag no label can carry
  const zones = zonesToList(listing);
  if (zones) {
    if (zones.length === 0) return;
    yield* fanOutPages(zones, (zone) => zonePages(api, listing, zone, filter), {
      concurrency: listing.concurrency,
      provider: 'gce',
      operation: listing.context.operation,
      mapError: (error, zone) => mapGceError(error, { operation: listing.context.operation, location: zone }),
    });
    return;
  }
  yield* aggregatedPages(api, listing, filter);
}

/** The zones to list one by one, or `undefined` to use `aggregatedList`. */
function zonesToList(listing: InstanceListing): readonly string[] | undefined {
  const inScope = (zone: string) =>
    (!listing.zones || listing.zones.includes(zone)) && (!listing.regions || listing.regions.includes(regionOfZone(zone)));
  if (listing.targetZones) return listing.targetZones.filter(inScope);
  return listing.zones;
}

async function* zonePages(
  api: GceApi,
  listing: InstanceListing,
  zone: string,
  filter: string | undefined,
): AsyncGenerator<readonly Node<GceInstance>[]> {
  for await (const page of api.pages<GceInstance[]>({ ...listing.context, location: zone }, (sdk, pageToken, call) =>
    sdk.instances.list(
      { project: sdk.project, zone, maxResults: listing.pageSize, ...(filter ? { filter } : {}), ...(pageToken ? { pageToken } : {}) },
      call,
    ),
  )) {
    yield page.items.map(listing.map);
  }
}

async function* aggregatedPages(
  api: GceApi,
  listing: InstanceListing,
  filter: string | undefined,
): AsyncGenerator<readonly Node<GceInstance>[]> {
  const delivered: Node<GceInstance>[] = [];
  const unreachable = new Map<string, string>();
  for await (const page of api.pages<Record<string, GceScopedInstances>>(listing.context, (sdk, pageToken, call) =>
    sdk.instances.innerApiCalls.aggregatedList(
      { project: sdk.project, maxResults: listing.pageSize, ...(filter ? { filter } : {}), ...(pageToken ? { pageToken } : {}) },
      call,
    ),
  )) {
    const nodes: Node<GceInstance>[] = [];
    for (const [scope, scoped] of Object.entries(page.items ?? {})) {
      const code = scoped.warning?.code;
      if (code === UNREACHABLE_WARNING) {
        unreachable.set(lastSegment(scope), `${code}: ${scoped.warning?.message ?? ''}`);
      }
      for (const instance of checkEntries(checkGceInstance, scoped.instances ?? [], {
        provider: 'gce',
        operation: listing.context.operation,
      })) {
        if (listing.regions && !listing.regions.includes(regionOfZone(lastSegment(instance.zone)))) continue;
        nodes.push(listing.map(instance));
      }
    }
    for (const scope of page.unreachables) unreachable.set(lastSegment(scope), 'UNREACHABLE');
    delivered.push(...nodes);
    yield nodes;
  }
  const failures: CloudError[] = [...unreachable.entries()]
    .filter(([zone]) => !listing.regions || listing.regions.includes(regionOfZone(zone)))
    .map(
      ([zone, detail]) =>
        new ProviderUnavailableError(`Compute could not list zone ${zone} (${detail})`, {
          provider: 'gce',
          operation: listing.context.operation,
          location: zone,
        }),
    );
  if (failures.length > 0) {
    throw new PartialFailureError(delivered, failures, { provider: 'gce', operation: listing.context.operation });
  }
}
