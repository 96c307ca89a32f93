/**
 * The open provider registry: any name can be registered and created, the built-in providers are
 * descriptors like any other, and options stay typed per built-in name.
 */
import { describe, expect, it } from 'vitest';
import {
  createDriver,
  getProvider,
  isConfigurationError,
  isInvalidRequestError,
  listProviders,
  registerProvider,
  type Driver,
} from '../../src/index.js';
import { createLocalDriver } from '../../providers/local/index.js';
import { rejectionOf } from '../conformance/suite.js';

describe('provider registry', () => {
  it('lists the six built-in providers as descriptors, with the environment variables the CLI reads', () => {
    const names = listProviders().map((descriptor) => descriptor.name);
    expect(names.slice(0, 6)).toEqual(['local', 'aws', 'gce', 'digitalocean', 'hetzner', 'linode']);
    expect(getProvider('aws')?.packages).toEqual(['@aws-sdk/client-ec2']);
    expect(getProvider('hetzner')?.env).toEqual(['HCLOUD_TOKEN']);
    expect(getProvider('nimbus')).toBeUndefined();
  });

  it('creates a driver for a provider registered under any name, passing its options', async () => {
    const received: unknown[] = [];
    registerProvider<{ region?: string }>({
      name: 'registry-test-cloud',
      env: ['REGISTRY_TEST_CLOUD_TOKEN'],
      create: (options) => {
        received.push(options);
        return createLocalDriver() as unknown as Driver;
      },
    });
    const driver = await createDriver('registry-test-cloud', { region: 'here' });
    expect(driver.provider).toBe('local');
    expect(received).toEqual([{ region: 'here' }]);
    expect(listProviders().map((descriptor) => descriptor.name)).toContain('registry-test-cloud');
  });

  it('refuses a malformed descriptor with InvalidRequestError naming the field', () => {
    for (const [descriptor, field] of [
      [{ name: 'Bad Name', create: () => createLocalDriver() }, 'name'],
      [{ name: 'no-create' }, 'create'],
      [{ name: 'bad-env', create: () => createLocalDriver(), env: [''] }, 'env'],
    ] as const) {
      let error: unknown;
      try {
        registerProvider(descriptor as never);
      } catch (caught) {
        error = caught;
      }
      expect(isInvalidRequestError(error), String(error)).toBe(true);
      expect((error as { field?: string }).field).toBe(field);
    }
  });

  it('turns a missing package the descriptor declares into a ConfigurationError naming it', async () => {
    registerProvider({
      name: 'needs-sdk',
      packages: ['@example/not-installed-sdk'],
      create: async () => {
        // A specifier held in a variable so no bundler or type checker resolves it.
        const specifier = '@example/not-installed-sdk';
        await import(specifier);
        return createLocalDriver();
      },
    });
    const error = await rejectionOf(createDriver('needs-sdk'));
    expect(isConfigurationError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('npm install @example/not-installed-sdk');
    expect((error as { operation?: string }).operation).toBe('configure');
  });

  it('type-checks options per built-in name', () => {
    // These lines are checked by `npm run typecheck`; they never run.
    const typed = () => {
      void createDriver('aws', { regions: ['us-east-1'] });
      // @ts-expect-error: `region` is not an AWS driver option (it is `regions`).
      void createDriver('aws', { region: 'us-east-1' });
      // @ts-expect-error: `pageSize` must be a number.
      void createDriver('local', { pageSize: 'ten' });
      void createDriver('vultr', { catalogTtlMs: 60_000 });
      // @ts-expect-error: `catalogTtl` is not a Vultr driver option (it is `catalogTtlMs`).
      void createDriver('vultr', { catalogTtl: 60_000 });
      void createDriver('some-registered-cloud', { anything: true });
    };
    expect(typeof typed).toBe('function');
  });
});
