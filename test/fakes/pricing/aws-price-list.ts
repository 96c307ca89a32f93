/**
 * A fake of the AWS Price List bulk API for EC2: serves `region_index.json` and regional offer
 * files (`/offers/v1.0/aws/AmazonEC2/current/<region>/index.json` and its CSV edition
 * `index.csv`) in the official formats, built
 * from a small table of instance prices plus the noise real files carry (Windows, RHEL,
 * dedicated tenancy, capacity reservations, reserved terms), so parsers must filter.
 */
import { startFakeServer, type FakeResponse, type FakeServer } from '../http-server.js';

/** One instance type's facts and Linux on-demand price in one region. */
export interface FakeInstancePrice {
  readonly hourly: number;
  readonly vcpu: number;
  /** e.g. `"1 GiB"`. */
  readonly memory: string;
  readonly physicalProcessor?: string;
}

/** Fault served for one region's offer file. */
export type OfferFault = 'truncated' | 'malformed' | 'bad-price' | 'server-error' | 'not-found';

export interface FakeAwsPriceListOptions {
  /** region → instance type → price. */
  readonly regions: Readonly<Record<string, Readonly<Record<string, FakeInstancePrice>>>>;
  /** Publication date of every offer file. Default: `2026-10-01T00:00:00Z`. */
  readonly publicationDate?: string;
}

export interface FakeAwsPriceList extends FakeServer {
  /** Makes answers for `region` fail this way (`undefined` to heal); with `times`, only the next `times` answers. */
  setFault(region: string, fault: OfferFault | undefined, times?: number): void;
}

const OFFER = '/offers/v1.0/aws/AmazonEC2/current';

export async function startFakeAwsPriceList(options: FakeAwsPriceListOptions): Promise<FakeAwsPriceList> {
  const faults = new Map<string, { fault: OfferFault; remaining: number }>();
  const publicationDate = options.publicationDate ?? '2026-10-01T00:00:00Z';
  const server = await startFakeServer((request): FakeResponse => {
    if (request.method !== 'GET') return { status: 405, body: '' };
    if (request.path === `${OFFER}/region_index.json`) {
      return { status: 200, body: regionIndex(Object.keys(options.regions), publicationDate) };
    }
    const match = new RegExp(`^${OFFER}/([a-z0-9-]+)/index\\.(json|csv)$`).exec(request.path);
    const region = match?.[1];
    const format = match?.[2];
    if (region === undefined || !Object.hasOwn(options.regions, region)) {
      return { status: 404, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>NoSuchKey</Code></Error>' };
    }
    const entry = faults.get(region);
    const fault = entry?.fault;
    if (entry !== undefined && --entry.remaining <= 0) faults.delete(region);
    if (fault === 'server-error') return { status: 503, headers: { 'x-amz-request-id': 'FAKE503' }, body: 'Service Unavailable' };
    if (fault === 'not-found') return { status: 404, body: '<Error><Code>NoSuchKey</Code></Error>' };
    const offer = offerFile(region, options.regions[region]!, publicationDate);
    if (fault === 'malformed' && format === 'json') delete (offer as { terms?: unknown }).terms;
    if (fault === 'bad-price') corruptFirstPrice(offer);
    let text = format === 'csv' ? offerCsv(offer) : JSON.stringify(offer, null, 2);
    if (format === 'csv' && fault === 'malformed') text = text.replace('"PricePerUnit"', '"Price"');
    const body = fault === 'truncated' ? text.slice(0, Math.floor(text.length / 2)) : text;
    return { status: 200, headers: { 'content-type': format === 'csv' ? 'text/csv' : 'application/json' }, body };
  });
  return {
    ...server,
    setFault: (region, fault, times = Number.POSITIVE_INFINITY) => {
      if (fault === undefined) faults.delete(region);
      else faults.set(region, { fault, remaining: times });
    },
  };
}

function regionIndex(regions: readonly string[], publicationDate: string) {
  const version = publicationDate.replace(/\D/g, '').slice(0, 14);
  return {
    formatVersion: 'v1.0',
    disclaimer: 'This pricing list is for informational purposes only.',
    publicationDate,
    regions: Object.fromEntries(
      regions.map((region) => [
        region,
        { regionCode: region, currentVersionUrl: `/offers/v1.0/aws/AmazonEC2/${version}/${region}/index.json` },
      ]),
    ),
  };
}

interface Offer {
  formatVersion: string;
  disclaimer: string;
  offerCode: string;
  version: string;
  publicationDate: string;
  products: Record<string, { sku: string; productFamily: string; attributes: Record<string, string> }>;
  terms: { OnDemand: Record<string, Record<string, unknown>>; Reserved: Record<string, Record<string, unknown>> };
}

/** The offer file of one region: each price as the real Linux SKU, plus non-matching variants. */
function offerFile(region: string, prices: Readonly<Record<string, FakeInstancePrice>>, publicationDate: string): Offer {
  const offer: Offer = {
    formatVersion: 'v1.0',
    disclaimer:
      'This pricing list is for informational purposes only. All prices are subject to the additional terms included in the pricing pages on http://aws.amazon.com.',
    offerCode: 'AmazonEC2',
    version: publicationDate.replace(/\D/g, '').slice(0, 14),
    publicationDate,
    products: {},
    terms: { OnDemand: {}, Reserved: {} },
  };
  let counter = 0;
  const add = (instanceType: string, price: FakeInstancePrice, variant: Record<string, string>, hourly: number, effectiveDate: string) => {
    counter += 1;
    const sku = `${region.replace(/-/g, '').toUpperCase()}${String(counter).padStart(6, '0')}`;
    offer.products[sku] = {
      sku,
      productFamily: 'Compute Instance',
      attributes: {
        servicecode: 'AmazonEC2',
        location: `Region ${region}`,
        locationType: 'AWS Region',
        instanceType,
        currentGeneration: 'Yes',
        instanceFamily: 'General purpose',
        vcpu: String(price.vcpu),
        physicalProcessor: price.physicalProcessor ?? 'Intel Xeon Platinum 8175',
        memory: price.memory,
        storage: 'EBS only',
        networkPerformance: 'Up to 5 Gigabit',
        processorArchitecture: '64-bit',
        tenancy: 'Shared',
        operatingSystem: 'Linux',
        licenseModel: 'No License required',
        usagetype: `BoxUsage:${instanceType}`,
        operation: 'RunInstances',
        capacitystatus: 'Used',
        preInstalledSw: 'NA',
        regionCode: region,
        servicename: 'Amazon Elastic Compute Cloud',
        ...variant,
      },
    };
    const term = `${sku}.JRTCKXETXF`;
    offer.terms.OnDemand[sku] = {
      [term]: {
        offerTermCode: 'JRTCKXETXF',
        sku,
        effectiveDate,
        priceDimensions: {
          [`${term}.6YS6EN2CT7`]: {
            rateCode: `${term}.6YS6EN2CT7`,
            description: `$${hourly} per On Demand ${variant.operatingSystem ?? 'Linux'} ${instanceType} Instance Hour`,
            beginRange: '0',
            endRange: 'Inf',
            unit: 'Hrs',
            pricePerUnit: { USD: hourly.toFixed(10) },
            appliesTo: [],
          },
        },
        termAttributes: {},
      },
    };
    offer.terms.Reserved[sku] = {
      [`${sku}.4NA7Y494T4`]: {
        offerTermCode: '4NA7Y494T4',
        sku,
        effectiveDate,
        priceDimensions: {
          [`${sku}.4NA7Y494T4.6YS6EN2CT7`]: {
            unit: 'Hrs',
            pricePerUnit: { USD: (hourly * 0.6).toFixed(10) },
            description: 'Linux/UNIX (Amazon VPC), 1 year reserved',
            appliesTo: [],
          },
        },
        termAttributes: { LeaseContractLength: '1yr', OfferingClass: 'standard', PurchaseOption: 'No Upfront' },
      },
    };
  };
  const effectiveDate = publicationDate;
  for (const [instanceType, price] of Object.entries(prices)) {
    add(
      instanceType,
      price,
      { operatingSystem: 'Windows', licenseModel: 'No License required', usagetype: `BoxUsage:${instanceType}` },
      price.hourly * 1.9,
      effectiveDate,
    );
    add(instanceType, price, {}, price.hourly, effectiveDate);
    add(instanceType, price, { tenancy: 'Dedicated', usagetype: `DedicatedUsage:${instanceType}` }, price.hourly * 1.1, effectiveDate);
    add(instanceType, price, { operatingSystem: 'RHEL' }, price.hourly + 0.0144, effectiveDate);
    add(instanceType, price, { preInstalledSw: 'SQL Web' }, price.hourly + 0.02, effectiveDate);
    add(instanceType, price, { capacitystatus: 'UnusedCapacityReservation' }, price.hourly, effectiveDate);
    add(instanceType, price, { capacitystatus: 'AllocatedCapacityReservation' }, 0, effectiveDate);
  }
  // A non-instance product sharing the file, as in the real offer (EBS volumes, data transfer).
  offer.products.EBSGP3VOLUME0001 = {
    sku: 'EBSGP3VOLUME0001',
    productFamily: 'Storage',
    attributes: { servicecode: 'AmazonEC2', location: `Region ${region}`, volumeApiName: 'gp3', regionCode: region },
  };
  return offer;
}

function corruptFirstPrice(offer: Offer): void {
  for (const [sku, product] of Object.entries(offer.products)) {
    if (product.attributes.operatingSystem !== 'Linux' || product.attributes.tenancy !== 'Shared') continue;
    const term = Object.values(offer.terms.OnDemand[sku]!)[0] as { priceDimensions: Record<string, { pricePerUnit: { USD: string } }> };
    Object.values(term.priceDimensions)[0]!.pricePerUnit.USD = 'n/a';
    return;
  }
}

/** The real CSV edition's columns, in order. */
const CSV_COLUMNS = [
  'SKU',
  'OfferTermCode',
  'RateCode',
  'TermType',
  'PriceDescription',
  'EffectiveDate',
  'StartingRange',
  'EndingRange',
  'Unit',
  'PricePerUnit',
  'Currency',
  'RelatedTo',
  'LeaseContractLength',
  'PurchaseOption',
  'OfferingClass',
  'Product Family',
  'serviceCode',
  'Location',
  'Location Type',
  'Instance Type',
  'Current Generation',
  'Instance Family',
  'vCPU',
  'Physical Processor',
  'Clock Speed',
  'Memory',
  'Storage',
  'Network Performance',
  'Processor Architecture',
  'Tenancy',
  'EBS Optimized',
  'Operating System',
  'License Model',
  'usageType',
  'operation',
  'CapacityStatus',
  'MarketOption',
  'Pre Installed S/W',
  'Region Code',
  'serviceName',
  'Volume API Name',
];

/** JSON attribute name → CSV column. */
const ATTRIBUTE_COLUMNS: Record<string, string> = {
  servicecode: 'serviceCode',
  location: 'Location',
  locationType: 'Location Type',
  instanceType: 'Instance Type',
  currentGeneration: 'Current Generation',
  instanceFamily: 'Instance Family',
  vcpu: 'vCPU',
  physicalProcessor: 'Physical Processor',
  memory: 'Memory',
  storage: 'Storage',
  networkPerformance: 'Network Performance',
  processorArchitecture: 'Processor Architecture',
  tenancy: 'Tenancy',
  operatingSystem: 'Operating System',
  licenseModel: 'License Model',
  usagetype: 'usageType',
  operation: 'operation',
  capacitystatus: 'CapacityStatus',
  preInstalledSw: 'Pre Installed S/W',
  regionCode: 'Region Code',
  servicename: 'serviceName',
  volumeApiName: 'Volume API Name',
};

/** Renders an offer as the CSV edition: 5 metadata lines, the header, one row per price dimension. */
function offerCsv(offer: Offer): string {
  const quote = (value: string | undefined) => (value === undefined || value === '' ? '' : `"${value.replace(/"/g, '""')}"`);
  const lines = [
    `"FormatVersion","${offer.formatVersion}"`,
    `"Disclaimer",${quote(offer.disclaimer)}`,
    `"Publication Date","${offer.publicationDate}"`,
    `"Version","${offer.version}"`,
    `"OfferCode","${offer.offerCode}"`,
    CSV_COLUMNS.map(quote).join(','),
  ];
  for (const termType of ['OnDemand', 'Reserved'] as const) {
    for (const [sku, terms] of Object.entries(offer.terms[termType])) {
      const product = offer.products[sku]!;
      for (const term of Object.values(terms) as {
        offerTermCode: string;
        effectiveDate: string;
        priceDimensions: Record<string, Record<string, unknown>>;
        termAttributes: Record<string, string>;
      }[]) {
        for (const [rateCode, dimension] of Object.entries(term.priceDimensions)) {
          const row: Record<string, string> = {
            SKU: sku,
            OfferTermCode: term.offerTermCode,
            RateCode: rateCode,
            TermType: termType,
            PriceDescription: String(dimension.description ?? ''),
            EffectiveDate: term.effectiveDate.slice(0, 10),
            StartingRange: '0',
            EndingRange: 'Inf',
            Unit: String(dimension.unit),
            PricePerUnit: (dimension.pricePerUnit as { USD: string }).USD,
            Currency: 'USD',
            LeaseContractLength: term.termAttributes.LeaseContractLength ?? '',
            PurchaseOption: term.termAttributes.PurchaseOption ?? '',
            OfferingClass: term.termAttributes.OfferingClass ?? '',
            'Product Family': product.productFamily,
            MarketOption: 'OnDemand',
          };
          for (const [attribute, value] of Object.entries(product.attributes)) {
            const column = ATTRIBUTE_COLUMNS[attribute];
            if (column !== undefined) row[column] = value;
          }
          lines.push(CSV_COLUMNS.map((column) => quote(row[column])).join(','));
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
