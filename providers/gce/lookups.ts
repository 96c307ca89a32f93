/**
 * The look-ups a create and a location filter need, cached per driver: prices, the project's
 * zones, machine types, and image ids resolved to a boot disk's `sourceImage`. Unknown values
 * become `InvalidRequestError`s naming the argument.
 *
 * @module
 */
import {
  InvalidRequestError,
  isInvalidRequestError,
  isNotFoundError,
  type DriverContext,
  type Logger,
  type PriceCatalog,
  type PriceSourceOption,
} from '../../src/kit.js';
import { loadGcePriceTable, type GceLivePriceOptions } from './prices.js';
import type { GceApi, GceCallContext } from './api.js';
import { isZoneId, lastSegment, parseImageId, type PriceLookup } from './map.js';
import type { GceImage, GceMachineType, GceZone } from './types.js';
import { checkGceZone } from './schemas.js';
import { checkEntries } from '../../src/kit.js';

/** An image id resolved for a boot disk. */
export interface ResolvedImage {
  /** `projects/<p>/global/images/family/<f>` or `projects/<p>/global/images/<name>`. */
  readonly sourceImage: string;
  /** The image the family currently points at, or the named image. */
  readonly image: GceImage;
  /** The family or image name. */
  readonly name: string;
}

/** The cached look-ups of one driver. */
export interface GceLookups {
  /** A read call's context: idempotent, with the caller's signal. */
  read(context: DriverContext, extra?: Partial<GceCallContext>): GceCallContext;
  /** Prices from the catalog, loaded once; `null` prices when it cannot be loaded. */
  prices(): Promise<PriceLookup>;
  /** Every zone of the project, fetched once. */
  zones(context: DriverContext): Promise<GceZone[]>;
  /** The zone given, or the first zone (by name) of the region given. */
  resolveZone(location: string, context: DriverContext, field: string): Promise<string>;
  /** Where a create goes: the zone given, or the first zone of the region given that offers the machine type. */
  placeSize(location: string, size: string, context: DriverContext): Promise<{ readonly zone: string; readonly type: GceMachineType }>;
  /** The zones a location filter stands for (a region stands for its zones). */
  zonesOf(locations: readonly string[], context: DriverContext): Promise<string[]>;
  /** A machine type of a zone. */
  machineType(zone: string, name: string, context: DriverContext): Promise<GceMachineType>;
  /** Resolves a Compute image path or self-link (family or image), or the alias `<project>:<family>` (family first, then image name). */
  resolveImage(imageId: string, context: DriverContext): Promise<ResolvedImage>;
}

function invalidField(context: DriverContext, field: string, detail: string): never {
  throw new InvalidRequestError(detail, { provider: 'gce', operation: context.operation, field });
}

/** Creates the look-ups over an API layer. */
export function createLookups(
  api: GceApi,
  options: { readonly priceSource: PriceSourceOption; readonly livePrices?: GceLivePriceOptions; readonly logger: Required<Logger> },
): GceLookups {
  let pricesPromise: Promise<PriceLookup> | undefined;
  let zonesPromise: Promise<GceZone[]> | undefined;
  const machineTypes = new Map<string, Promise<GceMachineType>>();

  const read = (context: DriverContext, extra: Partial<GceCallContext> = {}): GceCallContext => ({
    operation: context.operation,
    idempotent: true,
    ...(context.signal ? { signal: context.signal } : {}),
    ...extra,
  });

  const zones = (context: DriverContext): Promise<GceZone[]> => {
    zonesPromise ??= (async () => {
      const found: GceZone[] = [];
      for await (const page of api.pages<GceZone[]>(read(context), (sdk, pageToken, call) =>
        sdk.zones.list({ project: sdk.project, ...(pageToken ? { pageToken } : {}) }, call),
      )) {
        found.push(...checkEntries(checkGceZone, page.items, { provider: 'gce', operation: context.operation }));
      }
      return found;
    })();
    zonesPromise.catch(() => {
      zonesPromise = undefined;
    });
    return zonesPromise;
  };

  /** The zone given, or the zones (up, by name) of the region given; an unknown location is an `InvalidRequestError`. */
  const candidateZones = async (location: string, context: DriverContext, field: string): Promise<string[]> => {
    const known = await zones(context);
    const found = isZoneId(location)
      ? known.filter((zone) => zone.name === location).map(() => location)
      : known
          .filter((zone) => lastSegment(zone.region) === location && zone.status !== 'DOWN')
          .map((zone) => zone.name ?? '')
          .sort();
    if (found.length === 0) {
      const project = await api.project(read(context));
      invalidField(context, field, `"${field}" must be a Compute zone or region of project ${project}, got ${JSON.stringify(location)}`);
    }
    return found;
  };

  const machineType = (zone: string, name: string, context: DriverContext): Promise<GceMachineType> => {
    const key = `${zone}/${name}`;
    let found = machineTypes.get(key);
    if (!found) {
      found = api
        .call(read(context, { location: zone }), (sdk, call) =>
          sdk.machineTypes.get({ project: sdk.project, zone, machineType: name }, call),
        )
        .then(([type]) => type);
      machineTypes.set(key, found);
      found.catch(() => machineTypes.delete(key));
    }
    return found.catch((error: unknown) => {
      if (isNotFoundError(error))
        invalidField(context, 'size', `"size" must be a machine type offered in ${zone}, got ${JSON.stringify(name)}`);
      throw error;
    });
  };

  /** Runs an image read; a 404 is `undefined`. */
  const findImage = async (context: DriverContext, run: Parameters<GceApi['call']>[1]): Promise<GceImage | undefined> => {
    try {
      return ((await api.call(read(context), run)) as [GceImage])[0];
    } catch (error) {
      if (isNotFoundError(error)) return undefined;
      throw error;
    }
  };

  return {
    read,
    zones,

    prices: () =>
      (pricesPromise ??= loadGcePriceTable(options.priceSource, options.livePrices ? { livePrices: options.livePrices } : {}).then(
        (catalog: PriceCatalog): PriceLookup =>
          (size, region) =>
            catalog.price(size, region),
        (error: unknown): PriceLookup => {
          options.logger.warn(`gce: prices unavailable, reporting null: ${(error as Error).message}`);
          pricesPromise = undefined;
          return () => null;
        },
      )),

    async resolveZone(location, context, field) {
      return (await candidateZones(location, context, field))[0] as string;
    },

    async placeSize(location, size, context) {
      const candidates = await candidateZones(location, context, 'location');
      for (const [index, zone] of candidates.entries()) {
        try {
          return { zone, type: await machineType(zone, size, context) };
        } catch (error) {
          // A region's zones do not all offer every machine type: try the next one.
          if (!isInvalidRequestError(error) || index === candidates.length - 1) throw error;
        }
      }
      return invalidField(context, 'location', `"location" has no zones, got ${JSON.stringify(location)}`);
    },

    async zonesOf(locations, context) {
      const known = await zones(context);
      const result = new Set<string>();
      for (const location of locations) {
        const matching = known
          .filter((zone) => zone.name === location || lastSegment(zone.region) === location)
          .map((zone) => zone.name ?? '');
        if (matching.length === 0)
          invalidField(context, 'query.location', `"query.location" must be a Compute zone or region, got ${JSON.stringify(location)}`);
        for (const zone of matching) result.add(zone);
      }
      return [...result];
    },

    machineType,

    async resolveImage(imageId, context) {
      const parsed = parseImageId(imageId);
      const unknown = () =>
        invalidField(
          context,
          'image',
          `"image" must be an image from listImages, a Compute image path ("projects/<project>/global/images/family/<family>" or ".../images/<name>") or "<project>:<family>", got ${JSON.stringify(imageId)}`,
        );
      if (!parsed) return unknown();
      if (parsed.family !== false) {
        const family = await findImage(context, (sdk, call) =>
          sdk.images.getFromFamily({ project: parsed.project, family: parsed.name }, call),
        );
        if (family)
          return { sourceImage: `projects/${parsed.project}/global/images/family/${parsed.name}`, image: family, name: parsed.name };
      }
      if (parsed.family !== true) {
        const named = await findImage(context, (sdk, call) => sdk.images.get({ project: parsed.project, image: parsed.name }, call));
        if (named) return { sourceImage: `projects/${parsed.project}/global/images/${parsed.name}`, image: named, name: parsed.name };
      }
      return unknown();
    },
  };
}
