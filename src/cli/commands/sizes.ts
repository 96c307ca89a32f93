/**
 * `polycloud sizes`: the cheapest sizes across every configured cloud and location that meet
 * vCPU / memory / architecture / price / place criteria.
 *
 * @module
 */
import type { Command } from 'commander';
import { InvalidRequestError } from '../../core/errors.js';
import type { Arch, ProviderName } from '../../core/types.js';
import { action, collect, collectList, contextOf, parseNumber } from '../context.js';
import { EXIT, formatHourly, formatMonthly, printFailures, table, toJson } from '../output.js';

interface SizesOptions {
  minVcpus?: string;
  minMemory?: string;
  arch?: string;
  maxHourly?: string;
  country?: string[];
  region?: string[];
  cloud?: string[];
  provider?: string[];
  currency?: string;
  rate?: string[];
  limit?: string;
}

export function registerSizes(program: Command): void {
  program
    .command('sizes')
    .description('Find the cheapest sizes across every configured cloud and location')
    .option('--min-vcpus <n>', 'at least this many vCPUs')
    .option('--min-memory <GiB>', 'at least this much memory, in GiB')
    .option('--arch <arch>', 'x86_64 or arm64')
    .option('--max-hourly <amount>', 'at most this hourly price, in the ranking currency')
    .option('--country <codes>', 'only locations in these countries, e.g. DE,FR (ISO 3166-1 alpha-2)', collectList)
    .option('--region <ids>', 'only these locations', collectList)
    .option('--cloud <names>', 'only these clouds', collectList)
    .option('--provider <names>', 'only these providers, e.g. aws,hetzner', collectList)
    .option('--currency <code>', 'rank in this currency (default: the one most offers are priced in)')
    .option('--rate <CUR=rate>', 'exchange rate into the ranking currency, e.g. EUR=1.08 (repeatable; none are built in)', collect)
    .option('--limit <n>', 'show at most this many offers in the table; 0 shows them all (--json always has all)', '20')
    .action(
      action(async (options: SizesOptions, command: Command) => {
        const minVcpus = parseNumber('min-vcpus', options.minVcpus);
        const minMemoryGiB = parseNumber('min-memory', options.minMemory);
        const maxHourly = parseNumber('max-hourly', options.maxHourly);
        const limit = parseNumber('limit', options.limit) ?? 20;
        if (!Number.isInteger(limit))
          throw new InvalidRequestError(`--limit must be a whole number, got ${JSON.stringify(options.limit)}`, {
            provider: 'polycloud',
            operation: 'cli',
            field: 'limit',
          });
        const { multi, output } = await contextOf(command);
        const result = await multi.findOffers({
          ...(minVcpus !== undefined ? { minVcpus } : {}),
          ...(minMemoryGiB !== undefined ? { minMemoryGiB } : {}),
          ...(maxHourly !== undefined ? { maxHourly } : {}),
          ...(options.arch ? { arch: options.arch as Arch } : {}),
          ...(options.country ? { countries: options.country } : {}),
          ...(options.region ? { regions: options.region } : {}),
          ...(options.cloud ? { clouds: options.cloud } : {}),
          ...(options.provider ? { providers: options.provider as ProviderName[] } : {}),
          ...(options.currency ? { currency: options.currency } : {}),
          ...(options.rate ? { exchangeRates: parseRates(options.rate) } : {}),
        });
        if (output.json) {
          output.out(toJson(result));
        } else {
          const shown = limit === 0 ? result.offers : result.offers.slice(0, limit);
          output.out(
            shown.length === 0
              ? 'No size matches.'
              : table(
                  ['CLOUD', 'LOCATION', 'COUNTRY', 'SIZE', 'VCPUS', 'MEMORY', 'ARCH', 'PRICE/HOUR', 'PRICE/MONTH', 'NOTE'],
                  shown.map((offer) => [
                    offer.cloud,
                    offer.location.id,
                    offer.location.country,
                    offer.size.id,
                    offer.size.vcpus,
                    `${offer.size.memoryGiB} GiB`,
                    offer.size.arch ?? '?',
                    formatHourly(offer.price),
                    formatMonthly(offer.price),
                    offer.rank === 'priced'
                      ? offer.converted
                        ? `≈ ${offer.comparableHourly?.toFixed(4)} ${result.currency}`
                        : ''
                      : offer.rank === 'other-currency'
                        ? `not ranked: no ${offer.price?.currency}→${result.currency} rate`
                        : 'price unknown',
                  ]),
                ),
          );
          if (result.offers.length > shown.length) output.out(`… ${result.offers.length - shown.length} more (use --limit or --json)`);
          printFailures(output, result.failures);
        }
        return result.failures.length > 0 ? EXIT.failed : EXIT.ok;
      }),
    );
}

function parseRates(pairs: readonly string[]): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z]{3})=(\d+(?:\.\d+)?)$/.exec(pair);
    if (!match)
      throw new InvalidRequestError(`--rate must look like EUR=1.08, got ${JSON.stringify(pair)}`, {
        provider: 'polycloud',
        operation: 'cli',
        field: 'rate',
      });
    rates[(match[1] as string).toUpperCase()] = Number(match[2]);
  }
  return rates;
}
