/**
 * The config file's option keys come from the providers' descriptors, never from a list in the
 * CLI: every built-in descriptor declares them (checked against its driver's options type at
 * compile time), a provider registered by a plugin with `optionKeys` is held to them with the same
 * "did you mean" hint, and one that declares none is left to its driver.
 */
import { describe, expect, it } from 'vitest';
import { configOptionKeys, parseConfig } from '../../src/cli/schema.js';
import { BUILT_IN_PROVIDERS } from '../../src/core/builtins.js';
import { isConfigurationError } from '../../src/core/errors.js';
import { createDriver, listProviders, registerProvider } from '../../src/core/registry.js';

/** The message of the error `parseConfig` throws for `config`, or `undefined` when it accepts it. */
function problemWith(config: unknown): string | undefined {
  try {
    parseConfig(config, 'test.json');
    return undefined;
  } catch (error) {
    expect(isConfigurationError(error), String(error)).toBe(true);
    return (error as Error).message;
  }
}

describe('config option keys from the descriptors', () => {
  it('every built-in provider declares the keys a config file may set', () => {
    for (const descriptor of BUILT_IN_PROVIDERS) {
      const keys = configOptionKeys(descriptor.name);
      expect(keys, descriptor.name).toBeDefined();
      expect(keys?.length, descriptor.name).toBeGreaterThan(0);
      // Objects with methods cannot come from a file.
      expect(keys, descriptor.name).not.toContain('clock');
      expect(keys, descriptor.name).not.toContain('logger');
    }
  });

  it('rejects an unknown key of a built-in provider with the closest declared key', () => {
    expect(problemWith({ clouds: { a: { provider: 'aws', options: { regoins: ['eu-west-1'] } } } })).toContain(
      'clouds.a.options.regoins: unknown key "regoins" (did you mean "regions"?)',
    );
    expect(problemWith({ clouds: { a: { provider: 'gce', options: { project: 'my-project', bounds: { maxPages: 10 } } } } })).toBe(
      undefined,
    );
    expect(problemWith({ clouds: { a: { provider: 'openstack', options: { autUrl: 'https://keystone.example/v3' } } } })).toContain(
      '(did you mean "authUrl"?)',
    );
  });

  it('holds a plugin provider to the keys its descriptor declares, with no CLI change', async () => {
    registerProvider({
      name: 'acme-schema',
      optionKeys: ['apiKey', 'endpoint', 'datacenter'],
      create: async () => createDriver('local'),
    });
    expect(problemWith({ clouds: { a: { provider: 'acme-schema', options: { apiKey: 'k', endpoint: 'http://127.0.0.1:1' } } } })).toBe(
      undefined,
    );
    expect(problemWith({ clouds: { a: { provider: 'acme-schema', options: { datacentre: 'ams' } } } })).toContain(
      'clouds.a.options.datacentre: unknown key "datacentre" (did you mean "datacenter"?)',
    );
    expect(listProviders().find((each) => each.name === 'acme-schema')?.optionKeys).toEqual(['apiKey', 'endpoint', 'datacenter']);
  });

  it('leaves the options of a provider that declares no keys to its driver', () => {
    registerProvider({ name: 'acme-open', create: async () => createDriver('local') });
    expect(problemWith({ clouds: { a: { provider: 'acme-open', options: { anything: 1 } } } })).toBe(undefined);
  });

  it('refuses a descriptor whose optionKeys is not a list of names', () => {
    expect(() =>
      registerProvider({ name: 'acme-bad', optionKeys: 'endpoint' as never, create: async () => createDriver('local') }),
    ).toThrow(/"optionKeys" must be a list of non-empty strings/);
  });
});
