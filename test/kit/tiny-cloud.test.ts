/**
 * A provider from outside `providers/`, through public entry points only: registered with
 * `registerProvider`, created by name with `createDriver`, passing `polycloud/testing`.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock, createDriver, getProvider, isInvalidRequestError, listProviders, registerProvider } from 'polycloud';
import { runConformanceSuite, rejectionOf } from 'polycloud/testing';
import { TinyBackend, createTinyCloudDriver, type TinyCloudOptions } from './tiny-cloud.js';

const backend = new TinyBackend();
const clock = new VirtualClock();

registerProvider<TinyCloudOptions>({
  name: 'tinycloud',
  env: ['TINYCLOUD_TOKEN'],
  description: 'an in-memory test cloud',
  create: (options) => createTinyCloudDriver(backend, options),
});

runConformanceSuite('tinycloud (registered from outside providers/)', async () => ({
  driver: await createDriver('tinycloud', { clock }),
  location: 'north-1',
  otherLocation: 'south-1',
  size: 'large',
  image: 'tiny/ubuntu-24.04',
  pageSize: 2,
  maxPageSize: 50,
  missingNodeId: 'tc-999999',
  requestCount: () => backend.operations,
  driverWithUndefinedOptions: () => createDriver('tinycloud', { clock, transitionMs: undefined, pageSize: undefined }),
  cleanup: async () => {},
}));

describe('tinycloud through the registry', () => {
  it('is listed with its descriptor, like the built-in providers', () => {
    expect(getProvider('tinycloud')?.env).toEqual(['TINYCLOUD_TOKEN']);
    expect(listProviders().map((descriptor) => descriptor.name)).toEqual(expect.arrayContaining(['local', 'aws', 'tinycloud']));
  });

  it('has its own id formats checked by the core: a "/" in image ids, tc-<n> node ids', async () => {
    const driver = await createDriver('tinycloud', { clock });
    expect(driver.idPatterns.image.pattern.test('tiny/ubuntu-24.04')).toBe(true);
    const before = backend.operations;
    const error = await rejectionOf(driver.getNode('node-1'));
    expect(isInvalidRequestError(error), String(error)).toBe(true);
    expect(String(error)).toContain('"tc-" and a number');
    expect(backend.operations).toBe(before);
  });
});
