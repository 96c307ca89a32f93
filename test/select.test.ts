import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.js';
import { isInvalidRequestError } from '../src/core/errors.js';
import { equivalentSize, findImage, findSizes } from '../src/multicloud/select.js';
import type { Size } from '../src/core/types.js';
import { createLocalDriver } from '../providers/local/index.js';

const driver = () => createLocalDriver({ clock: new VirtualClock() });

/** Every (size, location) pair the driver offers, read location by location: the brute-force answer. */
async function everyOffer(cloud: ReturnType<typeof driver>): Promise<Size[]> {
  const all: Size[] = [];
  for (const location of await cloud.listLocations()) all.push(...(await cloud.listSizes({ location: location.id })));
  return all;
}

const size = (id: string, vcpus: number, memoryGiB: number, hourly: number | null, extra: Partial<Size> = {}): Size => ({
  id,
  name: id,
  provider: 'local',
  vcpus,
  memoryGiB,
  arch: 'x86_64',
  price: hourly === null ? null : { hourly, monthly: hourly * 730, currency: 'USD', source: 'catalog', asOf: '2026-11-01' },
  ...extra,
});

describe('findSizes', () => {
  it('returns the truly cheapest match across every location first, priced for its location', async () => {
    const cloud = driver();
    const found = await findSizes(cloud, { minVcpus: 2, minMemoryGiB: 4 });
    const brute = (await everyOffer(cloud)).filter((each) => each.vcpus >= 2 && each.memoryGiB >= 4);
    const cheapest = Math.min(...brute.map((each) => each.price?.hourly ?? Infinity));
    expect(found).toHaveLength(brute.length);
    expect(found[0]?.price?.hourly).toBe(cheapest);
    // nyc1 is the cheapest location of the standard catalog (multiplier 0.95): not the default fra1.
    expect(found[0]).toMatchObject({ id: 'a-2vcpu-4gb', priceLocation: 'nyc1' });
    const hourly = found.map((each) => each.price?.hourly ?? Infinity);
    expect(hourly).toEqual([...hourly].sort((a, b) => a - b));
    for (const each of found) expect(each.vcpus >= 2 && each.memoryGiB >= 4).toBe(true);
  });

  it('respects arch and location', async () => {
    const cloud = driver();
    const x86 = await findSizes(cloud, { minVcpus: 2, minMemoryGiB: 4, arch: 'x86_64' });
    expect(x86[0]).toMatchObject({ id: 's-2vcpu-4gb', priceLocation: 'nyc1', arch: 'x86_64' });
    expect(x86.every((each) => each.arch === 'x86_64')).toBe(true);

    const sydney = await findSizes(cloud, { minVcpus: 2, minMemoryGiB: 4, location: 'syd1' });
    expect(sydney.length).toBeGreaterThan(0);
    expect(sydney.every((each) => each.priceLocation === 'syd1')).toBe(true);
    // The Arm sizes are not offered in Sydney.
    expect(sydney.some((each) => each.arch === 'arm64')).toBe(false);
    expect(await findSizes(cloud, { arch: 'arm64', location: 'syd1' })).toEqual([]);
  });

  it('applies maxHourly, and returns nothing rather than a wrong size when nothing fits', async () => {
    const cloud = driver();
    const cheap = await findSizes(cloud, { minVcpus: 1, maxHourly: 0.01 });
    expect(cheap.length).toBeGreaterThan(0);
    expect(cheap.every((each) => (each.price?.hourly ?? Infinity) <= 0.01)).toBe(true);
    expect(await findSizes(cloud, { minVcpus: 64 })).toEqual([]);
    expect(await findSizes(cloud, { minVcpus: 2, maxHourly: 0.001 })).toEqual([]);
  });

  it('puts sizes of unknown price after the priced ones, and leaves them out under maxHourly', async () => {
    const cloud = driver();
    const partlyPriced = {
      ...cloud,
      listSizes: async (...args: Parameters<typeof cloud.listSizes>) =>
        (await cloud.listSizes(...args)).map((each) => (each.arch === 'arm64' ? { ...each, price: null } : each)),
    };
    const found = await findSizes(partlyPriced, { minVcpus: 2, minMemoryGiB: 4, location: 'fra1' });
    const firstUnknown = found.findIndex((each) => each.price === null);
    expect(firstUnknown).toBeGreaterThan(0);
    expect(found.slice(firstUnknown).every((each) => each.price === null)).toBe(true);
    expect(found[0]?.id).toBe('s-2vcpu-4gb');
    const capped = await findSizes(partlyPriced, { minVcpus: 2, minMemoryGiB: 4, location: 'fra1', maxHourly: 1 });
    expect(capped.some((each) => each.price === null)).toBe(false);
  });

  it('rejects bad criteria before any request', async () => {
    const cloud = driver();
    const before = cloud.cloud.operationCount;
    await expect(findSizes(cloud, { minVcpus: -1 })).rejects.toSatisfy(isInvalidRequestError);
    await expect(findSizes(cloud, { arch: 'sparc' as never })).rejects.toSatisfy(isInvalidRequestError);
    expect(cloud.cloud.operationCount).toBe(before);
  });
});

describe('findImage', () => {
  it('finds the base image of an OS family, version and arch', async () => {
    const cloud = driver();
    expect(await findImage(cloud, { os: 'Ubuntu', version: '24.04', arch: 'arm64' })).toMatchObject({
      id: 'ubuntu-24.04-arm64',
      arch: 'arm64',
      os: { family: 'ubuntu', version: '24.04' },
    });
    expect((await findImage(cloud, { os: 'debian', version: '12', arch: 'x86_64' }))?.id).toBe('debian-12-x64');
  });

  it('returns undefined when the provider has no such image', async () => {
    const cloud = driver();
    expect(await findImage(cloud, { os: 'windows', version: '2022' })).toBeUndefined();
    expect(await findImage(cloud, { os: 'ubuntu', version: '20.04' })).toBeUndefined();
  });

  it('rejects a missing version', async () => {
    await expect(findImage(driver(), { os: 'ubuntu' } as never)).rejects.toSatisfy(isInvalidRequestError);
  });
});

describe('equivalentSize', () => {
  it('picks the cheapest candidate at or above the source, never a smaller one', () => {
    const source = size('src', 2, 4, 0.05);
    const candidates = [
      size('small-cheap', 1, 2, 0.001),
      size('big', 4, 8, 0.02),
      size('fit', 2, 4, 0.03),
      size('bigger-cheaper', 2, 8, 0.025),
    ];
    expect(equivalentSize(source, candidates)?.id).toBe('big');
    expect(
      equivalentSize(
        source,
        candidates.filter((each) => each.id !== 'big'),
      )?.id,
    ).toBe('bigger-cheaper');
  });

  it('prefers the closest fit between equal prices', () => {
    expect(equivalentSize(size('src', 2, 4, 0.05), [size('huge', 8, 32, 0.02), size('fit', 2, 4, 0.02)])?.id).toBe('fit');
  });

  it('keeps the architecture and the GPUs', () => {
    const arm = size('src', 2, 4, 0.05, { arch: 'arm64' });
    expect(equivalentSize(arm, [size('x86', 2, 4, 0.01)])).toBeUndefined();
    expect(equivalentSize(arm, [size('x86', 2, 4, 0.01), size('arm', 4, 8, 0.04, { arch: 'arm64' })])?.id).toBe('arm');
    // A size that states no architecture (an OpenStack flavor) may replace any; the image decides.
    expect(equivalentSize(arm, [size('flavor', 2, 4, null, { arch: undefined })])?.id).toBe('flavor');
    const gpu = size('src', 8, 32, 1, { gpus: 1 });
    expect(equivalentSize(gpu, [size('no-gpu', 16, 64, 0.5)])).toBeUndefined();
  });

  it('ranks unknown prices after known ones and returns undefined when nothing fits', () => {
    const source = size('src', 2, 4, 0.05);
    expect(equivalentSize(source, [size('unknown', 2, 4, null), size('priced', 4, 8, 0.2)])?.id).toBe('priced');
    expect(equivalentSize(source, [size('unknown', 2, 4, null)])?.id).toBe('unknown');
    expect(equivalentSize(source, [])).toBeUndefined();
  });
});
