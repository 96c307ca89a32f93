/**
 * The shape of a price catalog snapshot (bundled or freshly fetched) and its validation. The
 * bundled data modules, the refresh tool and the live sources all produce and check this shape,
 * so a malformed or truncated snapshot is rejected in one place.
 *
 * @module
 */
import { CloudError, type ErrorSource } from '../core/errors.js';
import type { Arch } from '../core/types.js';

/** Providers with a price catalog. */
export type CatalogProvider = 'aws' | 'gce';

/** Where a catalog's figures came from. */
export interface CatalogSource {
  /** What this source supplied, e.g. `price us-east-1`. */
  readonly role: string;
  /** URL of the official source, or `owner/repo` of an openly licensed data set. */
  readonly origin: string;
  /** Commit of the data set, when it is a repository. */
  readonly commit?: string;
  /** File inside the repository. */
  readonly path?: string;
  /** ISO date the data was valid on. */
  readonly date: string;
  /** Licence or terms of the data, e.g. `Apache-2.0`. */
  readonly license: string;
}

/** One machine type in a catalog. */
export interface CatalogType {
  /** vCPUs (for Compute shared-core types: the fraction of a core, e.g. 0.25 for e2-micro). */
  readonly vcpus: number;
  /** Memory in GiB (2^30 bytes). */
  readonly memoryGiB: number;
  /** CPU architecture of the type: `x86_64` or `arm64`. */
  readonly arch: Arch;
  /** True for shared-core / fractional-vCPU types. */
  readonly sharedCore?: boolean;
  /** Accelerators bundled with the type, by model, e.g. `{ l4: 1 }`. */
  readonly gpus?: Readonly<Record<string, number>>;
  /** Bundled local SSD in GiB. */
  readonly localSsdGiB?: number;
  /** Hourly on-demand price by region. A region without a price is absent (never 0). */
  readonly prices: Readonly<Record<string, number>>;
}

/** A whole catalog snapshot for one provider. */
export interface CatalogData {
  /** Format version of this shape. */
  readonly format: 1;
  /** The provider whose machine types and regions the snapshot prices. */
  readonly provider: CatalogProvider;
  /** ISO 4217 code of every price. */
  readonly currency: string;
  /** What the prices are, e.g. `On-demand, Linux, shared tenancy`. */
  readonly basis: string;
  /** ISO date the prices were valid on, unless {@link CatalogData.regionAsOf} says otherwise. */
  readonly asOf: string;
  /** Per-region dates where a region's prices are older or newer than {@link CatalogData.asOf}. */
  readonly regionAsOf?: Readonly<Record<string, string>>;
  /** ISO timestamp the snapshot was generated. */
  readonly generatedAt: string;
  /** Origins, licences and dates of the figures. */
  readonly sources: readonly CatalogSource[];
  /** Known limits of the data. */
  readonly notes: readonly string[];
  /** Licence notices the data's sources require to travel with it (e.g. MIT copyright notices). */
  readonly notices?: readonly string[];
  /** Every machine type by the provider's size id (e.g. `t3.micro`), with its shape and prices. */
  readonly types: Readonly<Record<string, CatalogType>>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A price catalog or official price file is malformed or truncated; the message says which
 * file and where. Not retryable: the same bytes would fail again.
 */
export class CatalogFormatError extends CloudError {
  override name = 'CatalogFormatError';
  constructor(
    detail: string,
    options: {
      /**
       * The provider whose catalog or price file is malformed.
       *
       * @defaultValue `'polycloud'`
       */
      provider?: ErrorSource;
      /**
       * The operation that read it.
       *
       * @defaultValue `'loadPriceCatalog'`
       */
      operation?: string;
    } = {},
  ) {
    super(detail, { provider: options.provider ?? 'polycloud', operation: options.operation ?? 'loadPriceCatalog', retryable: false });
  }
}

/**
 * Checks that a value is a complete, sane {@link CatalogData}: every price finite and positive,
 * dates ISO, at least `minTypes` types. Returns it typed, or throws {@link CatalogFormatError}.
 */
export function validateCatalogData(value: unknown, expectedProvider?: CatalogProvider, minTypes = 1): CatalogData {
  const fail = (where: string, what: string): never => {
    throw new CatalogFormatError(`price catalog ${where}: ${what}`, { provider: expectedProvider ?? 'polycloud' });
  };
  if (!isRecord(value)) return fail('root', 'not an object');
  if (value.format !== 1) fail('format', `expected 1, got ${JSON.stringify(value.format)}`);
  if (value.provider !== 'aws' && value.provider !== 'gce') fail('provider', `expected aws or gce, got ${JSON.stringify(value.provider)}`);
  if (expectedProvider !== undefined && value.provider !== expectedProvider) {
    fail('provider', `expected ${expectedProvider}, got ${String(value.provider)}`);
  }
  if (typeof value.currency !== 'string' || !/^[A-Z]{3}$/.test(value.currency)) fail('currency', 'not an ISO 4217 code');
  if (typeof value.asOf !== 'string' || !ISO_DATE.test(value.asOf)) fail('asOf', 'not an ISO date');
  if (typeof value.generatedAt !== 'string') fail('generatedAt', 'missing');
  if (typeof value.basis !== 'string') fail('basis', 'missing');
  if (!Array.isArray(value.sources) || value.sources.length === 0) fail('sources', 'missing');
  if (!Array.isArray(value.notes)) fail('notes', 'missing');
  if (value.regionAsOf !== undefined) {
    if (!isRecord(value.regionAsOf)) fail('regionAsOf', 'not an object');
    for (const [region, date] of Object.entries(value.regionAsOf as Record<string, unknown>)) {
      if (typeof date !== 'string' || !ISO_DATE.test(date)) fail(`regionAsOf.${region}`, 'not an ISO date');
    }
  }
  if (!isRecord(value.types)) return fail('types', 'not an object');
  const names = Object.keys(value.types);
  if (names.length < minTypes) fail('types', `${names.length} types, expected at least ${minTypes}`);
  for (const name of names) {
    const type = value.types[name];
    if (!isRecord(type)) return fail(`types.${name}`, 'not an object');
    if (!isPositive(type.vcpus)) fail(`types.${name}.vcpus`, 'not a positive number');
    if (!isPositive(type.memoryGiB)) fail(`types.${name}.memoryGiB`, 'not a positive number');
    if (type.arch !== 'x86_64' && type.arch !== 'arm64') fail(`types.${name}.arch`, 'not x86_64 or arm64');
    if (!isRecord(type.prices)) return fail(`types.${name}.prices`, 'not an object');
    for (const [region, price] of Object.entries(type.prices)) {
      if (!isPositive(price)) fail(`types.${name}.prices.${region}`, `not a positive price: ${JSON.stringify(price)}`);
    }
  }
  return value as unknown as CatalogData;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
