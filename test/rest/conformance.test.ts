/**
 * The toy REST provider of `test/rest/toy-provider.ts` — a spec of about a hundred lines, like the
 * one in docs/writing-a-driver.md — registered by name and passing the conformance suite over its
 * loopback fake.
 */
import { VirtualClock } from '../../src/core/clock.js';
import { createDriver, registerProvider } from '../../src/core/registry.js';
import { runConformanceSuite } from '../conformance/suite.js';
import { TOY_TOKEN, startToyFake, toyDriverFactory, type ToyOptions } from './toy-provider.js';

registerProvider<ToyOptions>({ name: 'toy-rest', env: ['TOY_TOKEN'], create: (options) => toyDriverFactory('meta')(options) });

runConformanceSuite('a defineRestDriver spec (toy provider, registered as "toy-rest")', async () => {
  const clock = new VirtualClock();
  const fake = await startToyFake({ paging: 'meta', clock, actionMs: 2_000 });
  const driver = await createDriver('toy-rest', { endpoint: `${fake.url}/v1`, token: TOY_TOKEN, clock });
  return {
    driver,
    location: 'z1',
    otherLocation: 'z2',
    size: 'small',
    image: 'ubuntu-24.04',
    pageSize: 2,
    missingNodeId: '999999',
    wait: { intervalMs: 500, maxIntervalMs: 2_000, timeoutMs: 120_000 },
    requestCount: () => fake.requests.length,
    cleanup: () => fake.close(),
  };
});
