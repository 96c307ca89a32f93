/**
 * The CSV edition of an AWS EC2 regional offer file (`…/<region>/index.csv`), read line by line:
 * five metadata lines (`"FormatVersion","v1.0"`, …, `"Publication Date","…"`, `"OfferCode","AmazonEC2"`),
 * a header line, then one line per price dimension with the product's attributes. Same data as
 * the JSON edition, but streamable: the large regions' files do not fit in one string.
 *
 * @module
 */
import { CatalogFormatError, type Arch } from '../../src/kit.js';

/** One instance type's Linux on-demand facts in a region. */
export interface OfferInstance {
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly arch: Arch;
  readonly hourly: number;
}

/** Columns the reader needs; a header without them is not an EC2 offer file. */
const REQUIRED = [
  'SKU',
  'TermType',
  'Unit',
  'PricePerUnit',
  'Currency',
  'Product Family',
  'Instance Type',
  'vCPU',
  'Memory',
  'Tenancy',
  'Operating System',
  'Pre Installed S/W',
  'CapacityStatus',
] as const;

const OPTIONAL = ['Physical Processor', 'Region Code', 'License Model', 'operation', 'MarketOption'] as const;

type Columns = Record<(typeof REQUIRED)[number] | (typeof OPTIONAL)[number], number>;

/**
 * Reads a CSV offer file and returns the Linux / shared / no-software / `Used` on-demand hourly
 * price of every instance type, with its publication date. Throws {@link CatalogFormatError}
 * (naming `where`) for a file that is not a complete EC2 offer: wrong preamble, missing columns,
 * a row cut short, a non-numeric price, or no prices at all.
 */
export async function readAwsOfferCsv(
  lines: AsyncIterable<string>,
  region: string,
  where: string,
  archOf: (instanceType: string, physicalProcessor: string) => Arch,
): Promise<{ publicationDate: string; types: Map<string, OfferInstance> }> {
  const fail = (what: string): never => {
    throw new CatalogFormatError(`${where}: ${what}`, { provider: 'aws', operation: 'fetchPrices' });
  };
  const meta = new Map<string, string>();
  let column: Columns | undefined;
  let width = 0;
  let lineNumber = 0;
  const types = new Map<string, OfferInstance>();
  for await (const line of lines) {
    lineNumber += 1;
    if (line === '') continue;
    const fields = parseCsvLine(line, () => fail(`line ${lineNumber}: unterminated quoted field (truncated?)`));
    if (column === undefined) {
      if (fields[0] === 'SKU') {
        const index = (name: string) => fields.indexOf(name);
        for (const name of REQUIRED) if (index(name) < 0) fail(`header has no "${name}" column`);
        if (meta.get('OfferCode') !== 'AmazonEC2') fail(`OfferCode is ${JSON.stringify(meta.get('OfferCode'))}, expected "AmazonEC2"`);
        column = Object.fromEntries([...REQUIRED, ...OPTIONAL].map((name) => [name, index(name)])) as Columns;
        width = fields.length;
      } else if (fields.length === 2) {
        meta.set(fields[0]!, fields[1]!);
      } else {
        fail(`line ${lineNumber}: expected metadata or the header line`);
      }
      continue;
    }
    if (fields.length !== width) fail(`line ${lineNumber}: ${fields.length} fields, expected ${width} (truncated or malformed)`);
    const at = (name: keyof Columns) => {
      const position = column![name];
      return position >= 0 ? (fields[position] ?? '') : '';
    };
    if (
      at('TermType') !== 'OnDemand' ||
      at('Unit') !== 'Hrs' ||
      !at('Product Family').startsWith('Compute Instance') ||
      at('Operating System') !== 'Linux' ||
      at('Tenancy') !== 'Shared' ||
      at('Pre Installed S/W') !== 'NA' ||
      at('CapacityStatus') !== 'Used' ||
      !['', 'No License required'].includes(at('License Model')) ||
      !['', 'RunInstances'].includes(at('operation')) ||
      !['', 'OnDemand'].includes(at('MarketOption')) ||
      !['', region].includes(at('Region Code'))
    ) {
      continue;
    }
    const priceText = at('PricePerUnit');
    const hourly = Number(priceText);
    if (priceText === '' || !Number.isFinite(hourly) || hourly < 0)
      fail(`line ${lineNumber}: price is not a number: ${JSON.stringify(priceText)}`);
    if (at('Currency') !== 'USD') fail(`line ${lineNumber}: currency ${at('Currency')}, expected USD`);
    // A $0 Linux rate marks a reservation-only or capacity-block SKU, not a free instance.
    if (hourly === 0) continue;
    const vcpus = Number(at('vCPU'));
    const memoryGiB = parseMemoryGiB(at('Memory'));
    if (!(vcpus > 0) || memoryGiB === undefined) continue;
    const instanceType = at('Instance Type');
    types.set(instanceType, { vcpus, memoryGiB, arch: archOf(instanceType, at('Physical Processor')), hourly });
  }
  if (column === undefined) fail('no header line (empty or truncated file)');
  const publicationDate = (meta.get('Publication Date') ?? '').slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(publicationDate)) fail('no ISO "Publication Date"');
  if (types.size === 0) fail(`no Linux on-demand instance prices for ${region} (truncated or not an EC2 offer file?)`);
  return { publicationDate, types };
}

/** Splits one CSV line (RFC 4180 quoting, `""` for a quote inside a quoted field). */
export function parseCsvLine(line: string, onUnterminated: () => never): string[] {
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    if (line[position] === '"') {
      let value = '';
      position += 1;
      for (;;) {
        const quote = line.indexOf('"', position);
        if (quote < 0) return onUnterminated();
        value += line.slice(position, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          position = quote + 2;
        } else {
          position = quote + 1;
          break;
        }
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', position);
      fields.push(line.slice(position, comma < 0 ? line.length : comma));
      position = comma < 0 ? line.length : comma;
    }
    if (position >= line.length) return fields;
    if (line[position] !== ',') return onUnterminated();
    position += 1;
    if (position === line.length) {
      fields.push('');
      return fields;
    }
  }
}

/** `"16 GiB"`, `"0.5 GiB"`, `"1,952 GiB"` → GiB. */
export function parseMemoryGiB(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^([\d,.]+)\s*GiB$/i.exec(value.trim());
  const gib = match ? Number(match[1]!.replace(/,/g, '')) : Number.NaN;
  return gib > 0 ? gib : undefined;
}
