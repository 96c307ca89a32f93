/**
 * Azure VM prices as a catalog: price items exactly as the Azure Retail Prices API returns them
 * (`{ Items: [...] }`, one item per meter), turned into a price per size and region by one rule —
 * Linux, pay-as-you-go (`type: 'Consumption'`), per hour; Windows, Spot, Low Priority, DevTest and
 * reservations are left out. The same rule serves the bundled snapshot, a snapshot the user gives
 * (e.g. pages saved from the API) and the live API.
 *
 * The bundled snapshot holds what the official documentation publishes (see
 * {@link BUNDLED_AZURE_PRICES}): its example items are a Windows DevTest meter, a reservation and a
 * Windows EUR meter, none of which is a Linux pay-as-you-go price, so the bundled catalog prices no
 * size (`null`, never 0). Figures come from `priceCatalog` (items saved from the API) or `live`.
 *
 * @module
 */
import { HOURS_PER_MONTH, type Price, type PriceSource } from '../../src/kit.js';

/** A price item of the Retail Prices API (the fields polycloud reads). */
export interface RetailPriceItem {
  /** The VM size the meter prices, e.g. `Standard_B2s` (`Size.id`). */
  readonly armSkuName?: string;
  /** ARM region name, e.g. `westeurope`. */
  readonly armRegionName?: string;
  /** Price per `unitOfMeasure` in `currencyCode`, before discounts; must be positive to count. */
  readonly retailPrice?: number;
  /** ISO 4217 currency of `retailPrice`, e.g. `USD`. */
  readonly currencyCode?: string;
  /** Billing unit; only `1 Hour` items are read as hourly prices. */
  readonly unitOfMeasure?: string;
  /** Price kind: `Consumption` (pay-as-you-go, the one polycloud reads), `Reservation` or `DevTestConsumption`. */
  readonly type?: string;
  /** Product name, e.g. `Virtual Machines BS Series`; a name with `Windows` marks a Windows price, left out. */
  readonly productName?: string;
  /** SKU name, e.g. `B2s` or `B2s Spot`; `Spot` and `Low Priority` items are left out. */
  readonly skuName?: string;
  /** Meter name, e.g. `B2s`; checked like `skuName` for Spot and Low Priority. */
  readonly meterName?: string;
  /** When the price took effect, ISO 8601; dates the `Price` (`asOf`), and the newest item wins. */
  readonly effectiveStartDate?: string;
  /** Whether this region is the meter's primary region. */
  readonly isPrimaryMeterRegion?: boolean;
  /** Azure service, `Virtual Machines` for VM prices; other services are left out. */
  readonly serviceName?: string;
}

/** Where a snapshot's items came from. */
export interface AzurePriceProvenance {
  /** URL or repository of the source. */
  readonly origin: string;
  /** ISO date the items were taken. */
  readonly date: string;
  /** Licence or terms of the source. */
  readonly license: string;
  /** Anything a reader of the figures must know. */
  readonly note?: string;
}

/** A price catalog in the Retail Prices API's own format. */
export interface AzurePriceSnapshot {
  /** Where the items came from, when and under what terms. */
  readonly provenance: AzurePriceProvenance;
  /** Items as the API returns them (`Items` of its pages), any number of regions. */
  readonly items: readonly RetailPriceItem[];
}

/**
 * The snapshot bundled with polycloud: the example items of Microsoft's documentation page
 * "Azure Retail Prices REST API overview" (learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices,
 * ms.date 2021-12-13, CC-BY-4.0), copied field for field. None is a Linux pay-as-you-go price.
 */
export const BUNDLED_AZURE_PRICES: AzurePriceSnapshot = {
  provenance: {
    origin: 'https://learn.microsoft.com/rest/api/cost-management/retail-prices/azure-retail-prices (API response examples)',
    date: '2021-12-13',
    license: 'CC-BY-4.0 (Microsoft documentation)',
    note: 'The documentation publishes three example items, none a Linux pay-as-you-go price: every size is unpriced (null) unless a catalog of items saved from the API is given, or prices are live.',
  },
  items: [
    {
      currencyCode: 'USD',
      retailPrice: 0.176346,
      armRegionName: 'westeurope',
      effectiveStartDate: '2020-08-01T00:00:00Z',
      meterName: 'F16s Spot',
      productName: 'Virtual Machines FS Series Windows',
      skuName: 'F16s Spot',
      serviceName: 'Virtual Machines',
      unitOfMeasure: '1 Hour',
      type: 'DevTestConsumption',
      isPrimaryMeterRegion: true,
      armSkuName: 'Standard_F16s',
    },
    {
      currencyCode: 'USD',
      retailPrice: 25007.0,
      armRegionName: 'southcentralus',
      effectiveStartDate: '2020-08-01T00:00:00Z',
      meterName: 'E64 v4',
      productName: 'Virtual Machines Ev4 Series',
      skuName: 'E64 v4',
      serviceName: 'Virtual Machines',
      unitOfMeasure: '1 Hour',
      type: 'Reservation',
      isPrimaryMeterRegion: true,
      armSkuName: 'Standard_E64_v4',
    },
    {
      currencyCode: 'EUR',
      retailPrice: 0.6176,
      armRegionName: 'westeurope',
      effectiveStartDate: '2021-04-01T00:00:00Z',
      meterName: 'F16s Spot',
      productName: 'Virtual Machines FS Series Windows',
      skuName: 'F16s Spot',
      serviceName: 'Virtual Machines',
      unitOfMeasure: '1 Hour',
      type: 'Consumption',
      isPrimaryMeterRegion: true,
      armSkuName: 'Standard_F16s',
    },
  ],
};

/** Whether an item is the Linux, pay-as-you-go, per-hour price of a VM size. */
export function isLinuxOnDemand(item: RetailPriceItem): boolean {
  return (
    item.type === 'Consumption' &&
    item.unitOfMeasure === '1 Hour' &&
    typeof item.retailPrice === 'number' &&
    Number.isFinite(item.retailPrice) &&
    item.retailPrice > 0 &&
    typeof item.armSkuName === 'string' &&
    typeof item.armRegionName === 'string' &&
    (item.serviceName === undefined || item.serviceName === 'Virtual Machines') &&
    !/windows/i.test(item.productName ?? '') &&
    !/spot|low priority/i.test(`${item.skuName ?? ''} ${item.meterName ?? ''}`)
  );
}

/** Prices by `region/size`, from items of any regions. */
export type AzurePriceTable = ReadonlyMap<string, Price>;

/** The key of a size in a region. */
export function priceKey(region: string, size: string): string {
  return `${region.toLowerCase()}/${size}`;
}

/**
 * The price table of `items`: Linux pay-as-you-go hourly prices, monthly = hourly × 730, dated by
 * the item's `effectiveStartDate` (else `fallbackDate`). Where several items qualify for one size
 * and region, the newest wins.
 */
export function priceTableFromItems(items: readonly RetailPriceItem[], source: PriceSource, fallbackDate: string): Map<string, Price> {
  const table = new Map<string, Price>();
  for (const item of items) {
    if (!isLinuxOnDemand(item)) continue;
    const hourly = item.retailPrice as number;
    const asOf = (item.effectiveStartDate ?? fallbackDate).slice(0, 10);
    const key = priceKey(item.armRegionName as string, item.armSkuName as string);
    const known = table.get(key);
    if (known && known.asOf > asOf) continue;
    table.set(key, {
      hourly,
      monthly: Math.round(hourly * HOURS_PER_MONTH * 10_000) / 10_000,
      currency: item.currencyCode ?? 'USD',
      source,
      asOf,
    });
  }
  return table;
}
