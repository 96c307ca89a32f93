/**
 * Checking a create's region, VM size and marketplace image against ARM's own lists before
 * anything is made. ARM refuses a bad size, region or image only at the VM `PUT`, after the
 * resource group, network, public IP and network interface exist; reading the lists first means a
 * create that cannot succeed changes nothing on the subscription.
 *
 * @module
 */
import { checkEntries, invalid, isNotFoundError, type DriverContext, type ResolvedCreateNodeRequest } from '../../src/kit.js';
import { parseImageUrn, type AzureLocation } from './map.js';
import { checkAzureLocation, checkAzureSku, checkAzureVmSize } from './schemas.js';
import type { AzureApi, AzureCallContext } from './sdk.js';

const LOCATIONS_API_VERSION = '2022-12-01';

/** What the lists are read with. */
export interface AzurePlaceSource {
  readonly api: AzureApi;
  readonly subscriptionId: string;
  /** ARM endpoint without a trailing slash. */
  readonly endpoint: string;
  /** The read context of a driver call. */
  readonly read: (context: DriverContext, extra?: Partial<AzureCallContext>) => AzureCallContext;
}

/** The subscription's locations as ARM lists them (`Subscriptions_ListLocations`), each entry checked. */
export async function fetchAzureLocations(source: AzurePlaceSource, context: DriverContext): Promise<AzureLocation[]> {
  const { api, subscriptionId, endpoint } = source;
  const body = await api.call(source.read(context), async ({ resources, createPipelineRequest }, call) => {
    const url = `${endpoint}/subscriptions/${encodeURIComponent(subscriptionId)}/locations?api-version=${LOCATIONS_API_VERSION}`;
    const response = await resources.sendRequest(createPipelineRequest({ url, method: 'GET', abortSignal: call.abortSignal }));
    if (response.status !== 200) throw { statusCode: response.status, response };
    return JSON.parse(response.bodyAsText ?? '{}') as { value?: AzureLocation[] };
  });
  return checkEntries(checkAzureLocation, body.value, { provider: 'azure', operation: context.operation });
}

/** Checks a resolved create against ARM's lists; throws `InvalidRequestError` naming the field. */
export type AzurePlaceCheck = (
  request: Pick<ResolvedCreateNodeRequest, 'locationId' | 'sizeId' | 'imageId'>,
  context: DriverContext,
) => Promise<void>;

/**
 * Makes the check. Region names and each region's VM sizes are kept for the driver's life once
 * read (they change rarely; a failed read is not kept); image SKUs are read each time.
 * Only reads: the region first (the other lists are per region), then sizes and SKUs together.
 */
export function createAzurePlaceCheck(source: AzurePlaceSource): AzurePlaceCheck {
  let regions: Promise<Set<string>> | undefined;
  const sizesByRegion = new Map<string, Promise<Set<string>>>();
  const kept = <T>(promise: Promise<T>, forget: () => void): Promise<T> => {
    promise.catch(forget);
    return promise;
  };

  const regionNames = (context: DriverContext) =>
    (regions ??= kept(
      fetchAzureLocations(source, context).then((list) => new Set(list.map((each) => String(each.name).toLowerCase()))),
      () => (regions = undefined),
    ));

  const sizeNames = (location: string, context: DriverContext) => {
    let sizes = sizesByRegion.get(location);
    if (!sizes) {
      sizes = kept(
        (async () => {
          const names = new Set<string>();
          for await (const page of source.api.pages<{ name?: string }>(source.read(context, { location }), ({ compute }, call) =>
            compute.virtualMachineSizes.list(location, call),
          ))
            for (const size of checkEntries(checkAzureVmSize, page, { provider: 'azure', operation: context.operation, location }))
              names.add(String(size.name).toLowerCase());
          return names;
        })(),
        () => sizesByRegion.delete(location),
      );
      sizesByRegion.set(location, sizes);
    }
    return sizes;
  };

  /** The offer's SKUs in the region, or none when ARM does not know the publisher or offer there. */
  const skuNames = async (location: string, publisher: string, offer: string, context: DriverContext) => {
    try {
      const skus = (await source.api.call(source.read(context, { location }), ({ compute }, call) =>
        compute.virtualMachineImages.listSkus(location, publisher, offer, call),
      )) as { name?: string }[];
      return new Set(
        checkEntries(checkAzureSku, skus, { provider: 'azure', operation: context.operation, location }).map((sku) =>
          String(sku.name).toLowerCase(),
        ),
      );
    } catch (error) {
      if (isNotFoundError(error)) return new Set<string>();
      throw error;
    }
  };

  return async (request, context) => {
    const where = { provider: 'azure', operation: context.operation } as const;
    const location = request.locationId;
    if (!(await regionNames(context)).has(location.toLowerCase()))
      invalid(where, 'location', 'a region of the subscription such as "westeurope"', location);
    const image = parseImageUrn(request.imageId);
    const [sizes, skus] = await Promise.all([
      sizeNames(location, context),
      image ? skuNames(location, image.publisher, image.offer, context) : Promise.resolve(new Set<string>()),
    ]);
    if (!sizes.has(request.sizeId.toLowerCase())) invalid(where, 'size', `a VM size offered in ${location}`, request.sizeId);
    if (!image || !skus.has(image.sku.toLowerCase()))
      invalid(where, 'image', `a marketplace image offered in ${location}`, request.imageId);
  };
}
