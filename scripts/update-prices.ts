/**
 * `npm run prices:update`: rebuilds the bundled price catalogs from the official sources — the
 * AWS Price List offer files and the Cloud Billing Catalog API — and rewrites
 * `providers/<provider>/price-catalog.ts` atomically. A malformed or truncated source file aborts that
 * provider's update with a clear error and leaves its previous catalog untouched.
 *
 *   npm run prices:update -- [--provider aws|gce|all] [--aws-regions us-east-1,eu-west-1]
 *                            [--aws-endpoint URL] [--aws-format csv|json]
 *                            [--gce-endpoint URL] [--gce-api-key KEY] [--out DIR]
 *
 * The GCE key may also come from POLYCLOUD_GCE_BILLING_API_KEY.
 */
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import type { CatalogData, CatalogProvider } from '../src/pricing/catalog-data.js';
import { fetchAwsOfferCatalog } from '../providers/aws/price-offers.js';
import { loadAwsPriceTable } from '../providers/aws/prices.js';
import { fetchGceBillingCatalog } from '../providers/gce/price-billing.js';
import { GCE_BILLING_API_KEY_ENV, loadGcePriceTable } from '../providers/gce/prices.js';
import { redactSecrets } from '../src/core/secrets.js';
import { DEFAULT_CATALOG_DIR, readCatalogModule, writeCatalogModule } from './catalog-file.js';
import { mergeCatalogs } from './merge-catalog.js';

/** Options of {@link updatePrices}. */
export interface UpdatePricesOptions {
  /** Providers to refresh. Default: both. */
  readonly providers?: readonly CatalogProvider[];
  /** AWS regions to refresh; others keep their prices. Default: every region in the offer's region index. */
  readonly awsRegions?: readonly string[];
  /** Default: https://pricing.us-east-1.amazonaws.com */
  readonly awsEndpoint?: string;
  /** Edition of the AWS offer files: `csv` (streamed, default) or `json`. */
  readonly awsFormat?: 'csv' | 'json';
  /** Default: https://cloudbilling.googleapis.com */
  readonly gceEndpoint?: string;
  /** Cloud Billing API key. Default: POLYCLOUD_GCE_BILLING_API_KEY. */
  readonly gceApiKey?: string;
  /** Directory of the provider folders holding the data modules (`<dir>/<provider>/price-catalog.ts`). Default: providers */
  readonly outDir?: string;
  /** Told of progress, one line at a time. Default: nothing. */
  readonly log?: (line: string) => void;
}

/** What happened to one provider's catalog. */
export interface ProviderUpdate {
  readonly provider: CatalogProvider;
  readonly ok: boolean;
  /** The rewritten file (when ok). */
  readonly file?: string;
  readonly types?: number;
  readonly prices?: number;
  /** Why the previous catalog was kept (when not ok). */
  readonly error?: string;
}

/** Refreshes each provider independently; one failing never blocks or damages the other. */
export async function updatePrices(options: UpdatePricesOptions = {}): Promise<ProviderUpdate[]> {
  const outDir = options.outDir ?? DEFAULT_CATALOG_DIR;
  const log = options.log ?? (() => {});
  const results: ProviderUpdate[] = [];
  for (const provider of options.providers ?? (['aws', 'gce'] as const)) {
    try {
      const previous = await readCatalogModule(provider, outDir);
      const fresh = provider === 'aws' ? await fetchAws(options, previous) : await fetchGce(options, previous);
      const merged = mergeCatalogs(previous, fresh);
      const file = await writeCatalogModule(merged, outDir);
      const prices = countPrices(merged);
      log(`${provider}: wrote ${file} (${Object.keys(merged.types).length} types, ${prices} prices, as of ${merged.asOf})`);
      results.push({ provider, ok: true, file, types: Object.keys(merged.types).length, prices });
    } catch (error) {
      const message = redactSecrets(error instanceof Error ? error.message : String(error));
      log(`${provider}: update failed, previous catalog kept: ${message}`);
      results.push({ provider, ok: false, error: message });
    }
  }
  return results;
}

async function fetchAws(options: UpdatePricesOptions, previous: CatalogData | undefined): Promise<CatalogData> {
  const knownTypes = previous?.types ?? (await bundledSpecs('aws'));
  return fetchAwsOfferCatalog({
    ...(options.awsEndpoint === undefined ? {} : { endpoint: options.awsEndpoint }),
    ...(options.awsRegions === undefined ? {} : { regions: options.awsRegions }),
    ...(options.awsFormat === undefined ? {} : { format: options.awsFormat }),
    knownTypes,
  });
}

async function fetchGce(options: UpdatePricesOptions, previous: CatalogData | undefined): Promise<CatalogData> {
  const machineTypes = previous?.types ?? (await bundledSpecs('gce'));
  const apiKey = options.gceApiKey ?? process.env[GCE_BILLING_API_KEY_ENV];
  return fetchGceBillingCatalog({
    ...(options.gceEndpoint === undefined ? {} : { endpoint: options.gceEndpoint }),
    ...(apiKey ? { apiKey } : {}),
    machineTypes: Object.fromEntries(Object.entries(machineTypes).map(([name, { prices: _prices, ...spec }]) => [name, spec])),
  });
}

async function bundledSpecs(provider: CatalogProvider): Promise<CatalogData['types']> {
  const table = await (provider === 'aws' ? loadAwsPriceTable() : loadGcePriceTable());
  return Object.fromEntries(table.sizeIds().map((id) => [id, { ...table.spec(id)!, prices: {} }]));
}

function countPrices(data: CatalogData): number {
  return Object.values(data.types).reduce((sum, type) => sum + Object.keys(type.prices).length, 0);
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('prices:update')
    .description('Rebuild the bundled price catalogs from the official AWS and Compute Engine price sources.')
    .addOption(new Option('--provider <name>', 'which catalog to refresh').choices(['aws', 'gce', 'all']).default('all'))
    .option('--aws-regions <list>', 'comma-separated AWS regions to refresh (default: all in the region index)')
    .option('--aws-endpoint <url>', 'AWS Price List base URL (a mirror or a local fake)')
    .addOption(new Option('--aws-format <format>', 'edition of the AWS offer files').choices(['csv', 'json']).default('csv'))
    .option('--gce-endpoint <url>', 'Cloud Billing API base URL (a mirror or a local fake)')
    .option('--gce-api-key <key>', `Cloud Billing API key (default: $${GCE_BILLING_API_KEY_ENV})`)
    .option('--out <dir>', 'directory of the catalog data modules', DEFAULT_CATALOG_DIR)
    .parse(argv, { from: 'user' });
  const flags = program.opts<{
    provider: string;
    awsRegions?: string;
    awsEndpoint?: string;
    awsFormat: 'csv' | 'json';
    gceEndpoint?: string;
    gceApiKey?: string;
    out: string;
  }>();
  const results = await updatePrices({
    providers: flags.provider === 'all' ? ['aws', 'gce'] : [flags.provider as CatalogProvider],
    ...(flags.awsRegions
      ? {
          awsRegions: flags.awsRegions
            .split(',')
            .map((region) => region.trim())
            .filter(Boolean),
        }
      : {}),
    ...(flags.awsEndpoint ? { awsEndpoint: flags.awsEndpoint } : {}),
    awsFormat: flags.awsFormat,
    ...(flags.gceEndpoint ? { gceEndpoint: flags.gceEndpoint } : {}),
    ...(flags.gceApiKey ? { gceApiKey: flags.gceApiKey } : {}),
    outDir: flags.out,
    log: (line) => console.log(`prices:update ${line}`),
  });
  return results.every((result) => result.ok) ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
