/**
 * AWS zones as locations in portable selection: EC2 lists instance types per region, nodes run
 * in its zones. `findSizes` and `MultiCloud.findOffers` must find the region's sizes in a zone
 * (they once filtered them away by the zone id, silently).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultiCloud } from '../../src/multicloud/index.js';
import { findSizes } from '../../src/multicloud/select.js';
import { createAwsTestDriver, startMoto, type MotoServer } from './harness.js';

describe('AWS zones in findSizes and findOffers (moto)', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  }, 120_000);
  afterAll(async () => {
    await moto?.stop();
  });

  it('finds the region’s sizes in one of its zones, priced for the zone, and offers them there', async () => {
    const driver = createAwsTestDriver(moto.url, { regions: ['us-east-1'] });
    const zone = (await driver.listLocations()).find((location) => location.kind === 'zone' && location.region === 'us-east-1');
    expect(zone?.id).toMatch(/^us-east-1[a-z]$/);
    const criteria = { minVcpus: 2, minMemoryGiB: 4, arch: 'x86_64' } as const;

    const inRegion = await findSizes(driver, { ...criteria, location: 'us-east-1' });
    const inZone = await findSizes(driver, { ...criteria, location: zone?.id ?? '' });
    expect(inRegion.length).toBeGreaterThan(0);
    expect(inZone.map((size) => size.id)).toEqual(inRegion.map((size) => size.id));
    expect(inZone.every((size) => size.priceLocation === zone?.id)).toBe(true);
    expect(inZone.every((size) => size.vcpus >= 2 && size.memoryGiB >= 4 && size.arch === 'x86_64')).toBe(true);
    // Without a location, every zone is searched too, not only the region.
    const everywhere = await findSizes(driver, criteria);
    expect(everywhere.some((size) => size.priceLocation === zone?.id)).toBe(true);

    const multi = new MultiCloud({ drivers: { aws: driver } });
    const { offers, failures } = await multi.findOffers({ ...criteria, regions: [zone?.id ?? ''] });
    expect(failures).toEqual([]);
    expect(offers.length).toBe(inZone.length);
    expect(offers.every((offer) => offer.location.id === zone?.id)).toBe(true);
  }, 180_000);
});
