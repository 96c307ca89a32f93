/**
 * The AWS EC2 driver, on the modular AWS SDK v3 (`EC2Client` and single commands; never the
 * aggregated `EC2` class). It covers every configured region concurrently, pushes node filters
 * to EC2, retries with polycloud's one policy (SDK retries off) and never creates a second
 * instance for one idempotency key (EC2 `ClientToken`).
 *
 * @module polycloud/providers/aws
 */
import type { Filter } from '@aws-sdk/client-ec2';
import {
  fullCapabilities,
  checkEndpoint,
  defineDriver,
  fanOut,
  fanOutPages,
  idPattern,
  InvalidRequestError,
  isConflictError,
  isNodeNotFoundError,
  checkLivePriceOptions,
  mergeDefaults,
  NodeNotFoundError,
  safeLogger,
  type Clock,
  type Driver,
  type DriverContext,
  type Image,
  type Location,
  type Logger,
  type Node,
  type PriceCatalog,
  type PriceSourceOption,
  type RetryOptions,
  type Size,
} from '../../src/kit.js';
import { loadAwsPriceTable, type AwsLivePriceOptions } from './prices.js';
import { createEc2Transport, type Ec2CallContext, type Ec2Request } from './client.js';
import type { AwsCredentialIdentityProvider, AwsProviderOptions, AwsStaticCredentials, Ec2Instance, Ec2InstanceTypeInfo } from './types.js';
import { keyPairNameFor, runInstancesInput, splitSshKeys, validateAwsCreate } from './create.js';
import { mapAwsError } from './errors.js';
import type { TransportBounds } from '../../src/kit.js';
import { awsKeyPairs } from './key-pairs.js';
import { checkAwsImage, checkAwsInstance, checkAwsInstanceType, checkAwsRegion, checkAwsZone } from './schemas.js';
import { checkEntries, checkEntry, invalid, isInvalidRequestError, isNotFoundError } from '../../src/kit.js';
import { imageSearch } from './images.js';
import { readAwsLaunchSpec } from './launch-spec.js';
import { ec2StatesFor, mapAmiToImage, mapInstanceToNode, mapInstanceTypeToSize, mapRegionToLocation, mapZoneToLocation } from './map.js';

/** Options of the AWS EC2 driver. All are optional. */
export interface AwsDriverOptions {
  /**
   * Regions the driver covers: listings fan out over all of them.
   * @defaultValue every region enabled for the account, from `DescribeRegions` (asked once, in
   * {@link AwsDriverOptions.defaultRegion})
   */
  readonly regions?: readonly string[];
  /**
   * The region for account-wide calls (`DescribeRegions`) and for `listSizes` / `listImages` without a
   * location. When neither this, `regions` nor the SDK gives one, the first call that needs a region
   * is a `ConfigurationError`.
   * @defaultValue the first of `regions`, else the region the AWS SDK resolves (`AWS_REGION`, then
   * the profile's `region` in `~/.aws/config`)
   */
  readonly defaultRegion?: string;
  /**
   * Credentials.
   * @defaultValue the AWS default provider chain (environment, SSO, shared files, container and instance roles)
   */
  readonly credentials?: AwsStaticCredentials | AwsCredentialIdentityProvider;
  /**
   * The shared-config profile the default chain reads.
   * @defaultValue `AWS_PROFILE`, else `default`
   */
  readonly profile?: string;
  /**
   * Send every request here instead of EC2's regional endpoints (https, or http on loopback).
   * @defaultValue EC2
   */
  readonly endpoint?: string;
  /**
   * Most regions asked at once. Each region has its own EC2 endpoint and request limits, so by default
   * every enabled region (there are fewer than 40) is asked at the same time.
   * @defaultValue 40
   */
  readonly maxConcurrency?: number;
  /**
   * Retries of failed requests (all EC2 calls polycloud makes are safe to repeat).
   * @defaultValue `DEFAULT_RETRY`
   */
  readonly retry?: RetryOptions;
  /**
   * Where sizes and nodes get their prices.
   * @defaultValue `catalog`, polycloud's bundled snapshot
   */
  readonly priceSource?: PriceSourceOption;
  /**
   * How live prices are fetched when `priceSource` is `live`: the AWS Price List endpoint, the
   * regions whose offer files are read, the file format, cache TTL and retries.
   * @defaultValue every region of `https://pricing.us-east-1.amazonaws.com`, as CSV, cached 6 hours
   */
  readonly livePrices?: AwsLivePriceOptions;
  /**
   * How long a region's instance types (`listSizes`) are kept before EC2 is asked again; `0` asks every
   * time. Prices are looked up afresh on every call.
   * @defaultValue 3600000 ms (1 hour)
   */
  readonly sizeCacheTtlMs?: number;
  /**
   * Give up on a single request after this long, connect to last byte of the body.
   * @defaultValue 30000 ms
   */
  readonly requestTimeoutMs?: number;
  /**
   * Largest answer (decompressed), most pages and longest time of one listing.
   * @defaultValue `DEFAULT_BOUNDS`
   */
  readonly bounds?: TransportBounds;
  /**
   * The clock `waitForNode` sleeps on.
   * @defaultValue the system clock
   */
  readonly clock?: Clock;
  /**
   * Where retries and degraded prices are reported.
   * @defaultValue nothing is logged
   */
  readonly logger?: Logger;
}

/** An AWS EC2 driver; `raw` on its nodes is the SDK's `Instance` (typed as {@link Ec2Instance}). */
export type AwsDriver = Driver<Ec2Instance, AwsProviderOptions>;
export type { AwsProviderOptions } from './types.js';
export type {
  AwsStaticCredentials,
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  Ec2Instance,
  Ec2InstanceNetworkInterface,
  Ec2Tag,
} from './types.js';

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** EC2 instance ids: `i-` and 8 or 17 hex digits. */
const INSTANCE_ID_PATTERN = idPattern(
  /^i-[0-9a-f]{8}([0-9a-f]{9})?$/,
  '"i-" and 8 or 17 hex digits (an EC2 instance id such as "i-0123456789abcdef0")',
);
/** DescribeInstances takes 5 to 1000 results per page. */
const MIN_PAGE = 5;
const MAX_PAGE = 1000;
/** How many instance ids the driver remembers the region of. */
const REGION_MEMORY = 10_000;

/** Defaults of {@link AwsDriverOptions}; an option given as `undefined` keeps its default. */
const AWS_DEFAULTS = {
  maxConcurrency: 40,
  priceSource: 'catalog',
  sizeCacheTtlMs: 3_600_000,
  requestTimeoutMs: 30_000,
} as const satisfies AwsDriverOptions;

/** Creates an AWS EC2 driver. */
export function createAwsDriver(given: AwsDriverOptions = {}): AwsDriver {
  const options = mergeDefaults(AWS_DEFAULTS, given);
  const configure = { provider: 'aws' as const, operation: 'configure' };
  const configuredRegions = checkRegions(options.regions);
  const givenRegion = options.defaultRegion ?? configuredRegions?.[0];
  if (givenRegion !== undefined && !REGION_PATTERN.test(givenRegion)) {
    throw new InvalidRequestError(`"defaultRegion" must be a region such as "us-east-1", got ${JSON.stringify(givenRegion)}`, {
      ...configure,
      field: 'defaultRegion',
    });
  }
  const endpoint = options.endpoint === undefined ? undefined : checkEndpoint(options.endpoint, 'aws');
  const concurrency = options.maxConcurrency ?? 40;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidRequestError(`"maxConcurrency" must be a whole number, 1 or more, got ${String(concurrency)}`, {
      ...configure,
      field: 'maxConcurrency',
    });
  }
  if (options.sizeCacheTtlMs !== undefined && !(Number.isFinite(options.sizeCacheTtlMs) && options.sizeCacheTtlMs >= 0)) {
    throw new InvalidRequestError(`"sizeCacheTtlMs" must be a number of milliseconds, 0 or more, got ${String(options.sizeCacheTtlMs)}`, {
      ...configure,
      field: 'sizeCacheTtlMs',
    });
  }
  const priceSource = options.priceSource ?? 'catalog';
  if (priceSource !== 'catalog' && priceSource !== 'live') {
    throw new InvalidRequestError(`"priceSource" must be "catalog" or "live", got ${JSON.stringify(priceSource)}`, {
      ...configure,
      field: 'priceSource',
    });
  }
  checkLivePriceOptions('aws', options.livePrices);
  const logger = safeLogger(options.logger);
  const transport = createEc2Transport({
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    logger,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.bounds ? { bounds: options.bounds } : {}),
  });

  let resolvedRegion: Promise<string> | undefined;
  /** The default region: given, else the SDK's own resolution (AWS_REGION, then the profile's `region`). */
  const defaultRegion = (): Promise<string> => {
    if (givenRegion !== undefined) return Promise.resolve(givenRegion);
    resolvedRegion ??= transport.sdkRegion();
    resolvedRegion.catch(() => (resolvedRegion = undefined));
    return resolvedRegion;
  };

  const regionOfNode = new Map<string, string>();
  const remember = (node: Node<Ec2Instance>): Node<Ec2Instance> => {
    regionOfNode.delete(node.id);
    regionOfNode.set(node.id, node.location.region);
    if (regionOfNode.size > REGION_MEMORY) regionOfNode.delete(regionOfNode.keys().next().value as string);
    return node;
  };

  let regionList: Promise<readonly string[]> | undefined;
  /** The covered regions: configured, or asked of EC2 once. */
  const regions = (context: DriverContext): Promise<readonly string[]> => {
    if (configuredRegions) return Promise.resolve(configuredRegions);
    regionList ??= defaultRegion()
      .then((region) =>
        transport.call(region, { operation: context.operation }, (client, abort, sdk) =>
          client.send(new sdk.DescribeRegionsCommand({}), abort),
        ),
      )
      .then((output) =>
        checkEntries(checkAwsRegion, output.Regions, { provider: 'aws', operation: context.operation })
          .map((region) => region.RegionName)
          .filter((name): name is string => !!name)
          .sort(),
      );
    regionList.catch(() => (regionList = undefined));
    return regionList;
  };

  let priceCatalog: Promise<PriceCatalog | null> | undefined;
  /** The price catalog, loaded once; a catalog that cannot be loaded leaves prices unknown (`null`), never invented. */
  const prices = (): Promise<PriceCatalog | null> => {
    priceCatalog ??= loadAwsPriceTable(priceSource, options.livePrices ? { livePrices: options.livePrices } : {}).catch(
      (error: unknown) => {
        logger.warn(`aws: prices are unknown, the ${priceSource} price catalog could not be loaded: ${String((error as Error).message)}`);
        priceCatalog = undefined;
        return null;
      },
    );
    return priceCatalog;
  };

  const sizeCacheTtlMs = options.sizeCacheTtlMs ?? 3_600_000;
  const now = () => (options.clock ?? Date).now();
  const instanceTypes = new Map<string, { readonly at: number; readonly infos: readonly Ec2InstanceTypeInfo[] }>();
  /** A region's instance types: several pages on EC2, so kept for `sizeCacheTtlMs` (prices are applied fresh each time). */
  const instanceTypesIn = async (region: string, context: DriverContext): Promise<readonly Ec2InstanceTypeInfo[]> => {
    const cached = instanceTypes.get(region);
    if (cached && now() - cached.at < sizeCacheTtlMs) return cached.infos;
    const infos: Ec2InstanceTypeInfo[] = [];
    for await (const page of transport.pages(region, callContext(context), (config, abort, sdk) =>
      sdk.paginateDescribeInstanceTypes({ ...config, pageSize: 100 }, {}, abort),
    )) {
      infos.push(
        ...checkEntries(checkAwsInstanceType, page.InstanceTypes, { provider: 'aws', operation: context.operation, location: region }),
      );
    }
    if (sizeCacheTtlMs > 0) instanceTypes.set(region, { at: now(), infos });
    return infos;
  };

  /** Resolves a location id (region or zone) against the covered regions; `InvalidRequestError` naming `field` otherwise. */
  const placeOf = async (locationId: string, field: string, context: DriverContext): Promise<{ region: string; zone?: string }> => {
    const covered = await regions(context);
    if (covered.includes(locationId)) return { region: locationId };
    const region = covered
      .filter((each) => locationId.startsWith(each) && /^(?:[a-z]|-[a-z0-9-]+)$/.test(locationId.slice(each.length)))
      .sort((a, b) => b.length - a.length)[0];
    if (region) return { region, zone: locationId };
    throw new InvalidRequestError(
      `"${field}" must be one of the regions ${covered.join(', ')} or one of their zones, got ${JSON.stringify(locationId)}`,
      {
        provider: 'aws',
        operation: context.operation,
        field,
      },
    );
  };

  /** The instance type is offered in `region` and the AMI exists there; `InvalidRequestError` naming the field otherwise. Reads only. */
  const checkLaunchPlaces = async (region: string, request: { sizeId: string; imageId: string }, context: DriverContext) => {
    const where = { provider: 'aws', operation: context.operation } as const;
    const [types, images] = await Promise.all([
      instanceTypesIn(region, context),
      transport
        .call(region, callContext(context), (client, abort, sdk) =>
          client.send(new sdk.DescribeImagesCommand({ ImageIds: [request.imageId] }), abort),
        )
        .then((output) => checkEntries(checkAwsImage, output.Images, { ...where, location: region }))
        .catch((error: unknown) => {
          // EC2 answers an unknown or malformed AMI id with an error rather than an empty list.
          if (isInvalidRequestError(error) || isNotFoundError(error)) return [];
          throw error;
        }),
    ]);
    if (!types.some((info) => info.InstanceType === request.sizeId))
      invalid(where, 'size', `an instance type offered in ${region}`, request.sizeId);
    if (!images.some((image) => image.ImageId === request.imageId))
      invalid(where, 'image', `an AMI id available in ${region}`, request.imageId);
  };

  const callContext = (context: DriverContext, nodeId?: string): Ec2CallContext => ({
    operation: context.operation,
    ...(context.signal ? { signal: context.signal } : {}),
    ...(nodeId ? { nodeId } : {}),
  });

  /** One instance in one region, or `undefined` when EC2 says it is not there. */
  const describeIn = async (region: string, id: string, context: DriverContext): Promise<Node<Ec2Instance> | undefined> => {
    try {
      const output = await transport.call(region, callContext(context, id), (client, abort, sdk) =>
        client.send(new sdk.DescribeInstancesCommand({ InstanceIds: [id] }), abort),
      );
      const instances = output.Reservations?.flatMap((reservation) => reservation.Instances ?? []);
      const instance = checkEntries(checkAwsInstance, instances, { provider: 'aws', operation: context.operation, location: region }).find(
        (each) => each.InstanceId === id,
      );
      return instance ? remember(mapInstanceToNode(instance, region, await prices())) : undefined;
    } catch (error) {
      if (isNodeNotFoundError(error)) return undefined;
      throw error;
    }
  };

  /**
   * Finds an instance: in the region it was last seen in (one request), else in every covered
   * region at once. An instance never changes region, so a miss in its known region is final.
   */
  const findNode = async (id: string, context: DriverContext): Promise<Node<Ec2Instance>> => {
    const notFound = () => new NodeNotFoundError(id, { provider: 'aws', operation: context.operation });
    const known = regionOfNode.get(id);
    if (known) {
      const node = await describeIn(known, id, context);
      if (!node) {
        regionOfNode.delete(id);
        throw notFound();
      }
      return node;
    }
    const found: Node<Ec2Instance>[] = [];
    try {
      await fanOut(
        await regions(context),
        async (region) => {
          const node = await describeIn(region, id, context);
          if (node) found.push(node);
          return node ? [node] : [];
        },
        { concurrency, provider: 'aws', operation: context.operation },
      );
    } catch (error) {
      // An instance lives in one region: when that region answered, the others' failures do not matter.
      if (found[0]) return found[0];
      throw error;
    }
    if (!found[0]) throw notFound();
    return found[0];
  };

  /** Runs a state change on an instance in its region. */
  const act = async (id: string, context: DriverContext, run: Ec2Request<unknown>): Promise<void> => {
    const region = regionOfNode.get(id) ?? (await findNode(id, context)).location.region;
    await transport.call(region, callContext(context, id), run);
  };

  /** Imports a public key as a key pair named after its hash; an existing pair of that name is reused. */
  const importKeyPair = async (region: string, publicKey: string, context: DriverContext): Promise<string> => {
    const KeyName = keyPairNameFor(publicKey);
    try {
      await transport.call(region, callContext(context), (client, abort, sdk) =>
        client.send(new sdk.ImportKeyPairCommand({ KeyName, PublicKeyMaterial: Buffer.from(publicKey, 'utf8') }), abort),
      );
    } catch (error) {
      if (!(isConflictError(error) && error.code === 'InvalidKeyPair.Duplicate')) throw error;
    }
    return KeyName;
  };

  return defineDriver<Ec2Instance, AwsProviderOptions>({
    provider: 'aws',
    capabilities: fullCapabilities({ idempotency: 'native', locationKind: 'region', keyPairs: true }),
    // EC2 allows 50 tags per resource; one is the Name tag. User data is limited to 16 KiB before base64.
    limits: {
      maxNameLength: 255,
      maxTags: 49,
      maxTagKeyLength: 128,
      maxTagValueLength: 256,
      maxUserDataBytes: 16 * 1024,
      minPageSize: MIN_PAGE,
      maxPageSize: MAX_PAGE,
    },
    idPatterns: { node: INSTANCE_ID_PATTERN },
    ...(options.clock ? { clock: options.clock } : {}),
    description: {
      regions: configuredRegions ?? 'all enabled',
      defaultRegion: givenRegion ?? 'from the AWS configuration',
      endpoint: endpoint ?? 'aws',
      priceSource,
    },

    async listLocations(context) {
      const covered = await regions(context);
      const zones = await fanOut(
        covered,
        async (region) => {
          const output = await transport.call(region, callContext(context), (client, abort, sdk) =>
            client.send(new sdk.DescribeAvailabilityZonesCommand({}), abort),
          );
          return checkEntries(checkAwsZone, output.AvailabilityZones, { provider: 'aws', operation: context.operation, location: region })
            .map((zone) => mapZoneToLocation(zone, region))
            .filter((zone): zone is Location => zone !== undefined);
        },
        { concurrency, provider: 'aws', operation: context.operation },
      );
      return [...covered.map(mapRegionToLocation), ...zones];
    },

    async listSizes(query, context) {
      const { region } =
        query.location === undefined ? { region: await defaultRegion() } : await placeOf(query.location, 'query.location', context);
      const catalog = await prices();
      const sizes = (await instanceTypesIn(region, context))
        .map((info) => mapInstanceTypeToSize(info, region, catalog))
        .filter((size): size is Size => size !== undefined);
      return sizes.sort((a, b) => a.vcpus - b.vcpus || a.memoryGiB - b.memoryGiB || a.id.localeCompare(b.id));
    },

    async listImages(query, context) {
      const { region } =
        query.location === undefined ? { region: await defaultRegion() } : await placeOf(query.location, 'query.location', context);
      const search = imageSearch(query);
      if (search.names.length === 0) return [];
      const filters: Filter[] = [
        { Name: 'name', Values: [...search.names] },
        { Name: 'state', Values: ['available'] },
        { Name: 'image-type', Values: ['machine'] },
        ...(query.arch ? [{ Name: 'architecture', Values: [query.arch] }] : []),
      ];
      // The newest build of each family, version and architecture is the current base image.
      const newest = new Map<string, { image: Image; build: string }>();
      for await (const page of transport.pages(region, callContext(context), (config, abort, sdk) =>
        sdk.paginateDescribeImages({ ...config, pageSize: 1000 }, { Owners: [...search.owners], Filters: filters }, abort),
      )) {
        for (const ami of checkEntries(checkAwsImage, page.Images, { provider: 'aws', operation: context.operation, location: region })) {
          const family = search.families.find((each) => each.owner === ami.OwnerId);
          const parsed = family && ami.Name ? family.parseName(ami.Name) : undefined;
          if (!family || !parsed || (query.version !== undefined && parsed.version !== query.version)) continue;
          const image = mapAmiToImage(ami, region, { family: family.family, version: parsed.version });
          const key = `${family.family} ${parsed.version} ${parsed.arch}`;
          const current = newest.get(key);
          const newer =
            current === undefined ||
            parsed.build.localeCompare(current.build, undefined, { numeric: true }) > 0 ||
            (parsed.build === current.build && (image.createdAt?.getTime() ?? 0) > (current.image.createdAt?.getTime() ?? 0));
          if (newer) newest.set(key, { image, build: parsed.build });
        }
      }
      // By family, then newest version first, then architecture.
      return [...newest.values()]
        .map((each) => each.image)
        .sort(
          (a, b) =>
            (a.os?.family ?? '').localeCompare(b.os?.family ?? '') ||
            (b.os?.version ?? '').localeCompare(a.os?.version ?? '', undefined, { numeric: true }) ||
            (a.arch ?? '').localeCompare(b.arch ?? ''),
        );
    },

    async *listNodePages(query, context) {
      const covered = await regions(context);
      // Only the regions holding the locations asked for are asked. Zones are filtered by the core:
      // moto ignores the `availability-zone` filter on DescribeInstances, so it could not be tested here.
      const asked = new Set<string>();
      for (const location of query.locations ?? covered) asked.add((await placeOf(location, 'query.location', context)).region);
      const states = query.states ? ec2StatesFor(query.states) : undefined;
      // Every EC2 state maps to a portable one; states EC2 never reports (e.g. rebooting) match nothing.
      if (states && states.length === 0) return;
      const pageSize = query.pageSize ?? MAX_PAGE;
      yield* fanOutPages(
        [...asked],
        async function* (region) {
          const Filters: Filter[] = [
            ...(states ? [{ Name: 'instance-state-name', Values: states }] : []),
            ...Object.entries(query.tags ?? {}).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] })),
          ];
          for await (const page of transport.pages(region, callContext(context), (config, abort, sdk) =>
            sdk.paginateDescribeInstances({ ...config, pageSize }, Filters.length > 0 ? { Filters } : {}, abort),
          )) {
            const instances = (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
            const checked = checkEntries(checkAwsInstance, instances, { provider: 'aws', operation: context.operation, location: region });
            // The price catalog loads with the first node to price, not before the first request.
            const catalog = checked.length > 0 ? await prices() : null;
            yield checked.map((instance) => remember(mapInstanceToNode(instance, region, catalog)));
          }
        },
        {
          concurrency,
          provider: 'aws',
          operation: context.operation,
          mapError: (error, region) => mapAwsError(error, { operation: context.operation, region }),
        },
      );
    },

    getNode: (id, context) => findNode(id, context),

    async createNode(request, context) {
      const { region, zone } = await placeOf(request.locationId, 'location', context);
      const { importKey, userDataKeys } = splitSshKeys(request);
      // Importing a key pair changes the account: first make sure the launch cannot be refused for its type or image.
      if (importKey && request.providerOptions?.keyName === undefined) await checkLaunchPlaces(region, request, context);
      const keyName = request.providerOptions?.keyName ?? (importKey ? await importKeyPair(region, importKey, context) : undefined);
      const input = runInstancesInput(request, zone ? { zone } : {}, keyName, userDataKeys);
      // Retrying is safe: the ClientToken makes EC2 answer a repeat with the instance it already launched.
      const output = await transport.call(region, callContext(context), (client, abort, sdk) =>
        client.send(new sdk.RunInstancesCommand(input), abort),
      );
      const instance = output.Instances?.[0];
      if (!instance) throw mapAwsError(new Error('RunInstances answered without an instance'), { operation: context.operation, region });
      checkEntry(checkAwsInstance, instance, { provider: 'aws', operation: context.operation, location: region });
      return remember(mapInstanceToNode(instance, region, await prices()));
    },

    rebootNode: (id, context) =>
      act(id, context, (client, abort, sdk) => client.send(new sdk.RebootInstancesCommand({ InstanceIds: [id] }), abort)),
    startNode: (id, context) =>
      act(id, context, (client, abort, sdk) => client.send(new sdk.StartInstancesCommand({ InstanceIds: [id] }), abort)),
    stopNode: (id, context) =>
      act(id, context, (client, abort, sdk) => client.send(new sdk.StopInstancesCommand({ InstanceIds: [id] }), abort)),
    async destroyNode(id, context) {
      try {
        await act(id, context, (client, abort, sdk) => client.send(new sdk.TerminateInstancesCommand({ InstanceIds: [id] }), abort));
      } catch (error) {
        // Destroying a node that is already gone succeeds.
        if (isNodeNotFoundError(error)) return;
        throw error;
      }
    },

    getLaunchSpec: (node, context) => readAwsLaunchSpec(node, (region, run) => transport.call(region, callContext(context, node.id), run)),
    ...awsKeyPairs({ transport, regions, defaultRegion, concurrency }),
    validateCreate: validateAwsCreate,
    mapError: (error, context) => mapAwsError(error, { operation: context.operation }),
  });
}

function checkRegions(regions: readonly string[] | undefined): readonly string[] | undefined {
  if (regions === undefined) return undefined;
  if (
    !Array.isArray(regions) ||
    regions.length === 0 ||
    !regions.every((region) => typeof region === 'string' && REGION_PATTERN.test(region))
  ) {
    throw new InvalidRequestError(`"regions" must be a non-empty list of regions such as ["us-east-1"], got ${JSON.stringify(regions)}`, {
      provider: 'aws',
      operation: 'configure',
      field: 'regions',
    });
  }
  return [...new Set(regions)];
}
export { AWS_REGIONS } from './regions.js';
export { loadAwsPriceTable } from './prices.js';
export type { AwsLivePriceOptions } from './prices.js';
