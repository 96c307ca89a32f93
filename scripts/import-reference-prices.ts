/**
 * One-off importer: builds the bundled catalogs from the reference data set
 * (`aws-ec2-linux-ondemand.json`, `gce-ondemand.json`, compiled from openly licensed public
 * sources). Run by a maintainer with an explicit path; nothing at build, test or run time reads
 * that directory.
 *
 *   npx tsx scripts/import-reference-prices.ts <reference-dir> [out-dir]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch } from '../src/core/types.js';
import type { CatalogData, CatalogSource, CatalogType } from '../src/pricing/catalog-data.js';
import { DEFAULT_CATALOG_DIR, writeCatalogModule } from './catalog-file.js';

interface ReferenceType {
  vcpus: number;
  memoryGiB: number;
  arch: string[];
  sharedCore?: boolean;
  gpus?: Record<string, number>;
  localSsdGiB?: number;
  prices: Record<string, number>;
}

interface ReferenceFile {
  source: string;
  license: string;
  asOf: string;
  currency: string;
  basis: string;
  priceAsOf?: { 'us-east-1': string; otherRegions: string };
  sources?: { role: string; repo: string; commit: string; path: string; date: string; license: string }[];
  notes?: string[];
  types: Record<string, ReferenceType>;
}

const [referenceDir, outDir = DEFAULT_CATALOG_DIR] = process.argv.slice(2);
if (referenceDir === undefined) {
  console.error('usage: tsx scripts/import-reference-prices.ts <reference-dir> [out-dir]');
  process.exit(2);
}

const generatedAt = new Date().toISOString();
const aws = JSON.parse(await readFile(join(referenceDir, 'aws-ec2-linux-ondemand.json'), 'utf8')) as ReferenceFile;
const gce = JSON.parse(await readFile(join(referenceDir, 'gce-ondemand.json'), 'utf8')) as ReferenceFile;

const awsTypes = mapTypes(aws.types);
// MIT requires its notice to travel with substantial portions of the data (the non-us-east-1 prices).
const mitNotice = `Prices outside us-east-1 derive from vantage-sh/ec2instances.info, under this licence:\n\n${(
  await readFile(join(referenceDir, 'licenses', 'ec2instances.info.LICENSE'), 'utf8')
).trim()}`;
const otherDate = aws.priceAsOf?.otherRegions ?? aws.asOf;
const regionAsOf: Record<string, string> = {};
for (const type of Object.values(awsTypes)) {
  for (const region of Object.keys(type.prices)) if (region !== 'us-east-1') regionAsOf[region] = otherDate;
}
const awsCatalog: CatalogData = {
  format: 1,
  provider: 'aws',
  currency: aws.currency,
  basis: `${aws.basis}; USD per hour`,
  asOf: aws.priceAsOf?.['us-east-1'] ?? aws.asOf,
  regionAsOf: sortKeys(regionAsOf),
  generatedAt,
  sources: (aws.sources ?? []).map((source): CatalogSource => ({
    role: source.role,
    origin: `https://github.com/${source.repo}`,
    commit: source.commit,
    path: source.path,
    date: source.date,
    license: source.license,
  })),
  notes: aws.notes ?? [],
  notices: [mitNotice],
  types: awsTypes,
};

const gceMatch = /^(.+)@([0-9a-f]{40})$/.exec(gce.source);
const gceCatalog: CatalogData = {
  format: 1,
  provider: 'gce',
  currency: gce.currency,
  basis: `${gce.basis}; USD per hour`,
  asOf: gce.asOf,
  generatedAt,
  sources: [
    {
      role: 'price per machine type and region',
      origin: `https://github.com/${gceMatch?.[1] ?? gce.source}`,
      ...(gceMatch ? { commit: gceMatch[2] } : {}),
      path: 'pricing.yml',
      date: gce.asOf,
      license: gce.license,
    },
  ],
  notes: [
    'Shared-core types carry the fraction of a core as vcpus (e2-micro 0.25, e2-small 0.5, e2-medium 1) and sharedCore: true; the Compute API reports guestCpus (e2-small = 2).',
    'custom-* and m4n-* machine types are not included.',
  ],
  types: mapTypes(gce.types),
};

for (const catalog of [awsCatalog, gceCatalog]) {
  const file = await writeCatalogModule(catalog, outDir, 100);
  const count = Object.values(catalog.types).reduce((sum, type) => sum + Object.keys(type.prices).length, 0);
  console.log(`${file}: ${Object.keys(catalog.types).length} types, ${count} prices`);
}

function mapTypes(types: Record<string, ReferenceType>): Record<string, CatalogType> {
  const out: Record<string, CatalogType> = {};
  for (const name of Object.keys(types).sort()) {
    const type = types[name]!;
    const arch: Arch = type.arch.includes('arm64') ? 'arm64' : 'x86_64';
    out[name] = {
      vcpus: type.vcpus,
      memoryGiB: type.memoryGiB,
      arch,
      ...(type.sharedCore ? { sharedCore: true } : {}),
      ...(type.gpus ? { gpus: type.gpus } : {}),
      ...(type.localSsdGiB ? { localSsdGiB: type.localSsdGiB } : {}),
      prices: sortKeys(type.prices),
    };
  }
  return out;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
