/**
 * The Linode driver's pure parts: the status map (checked against every status in the official
 * document), prices and units, tags, regions, image ids and error bodies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_STATES } from '../../src/core/types.js';
import { parseLinodeError } from '../../providers/linode/errors.js';
import {
  cityOf,
  fromImageId,
  isPrivateIpv4,
  mapInstance,
  mapInstanceStatus,
  mbToGiB,
  parseLinodeTime,
  toImageId,
  typePriceIn,
} from '../../providers/linode/map.js';
import { generateRootPassword } from '../../providers/linode/password.js';
import { checkLinodeTags, decodeTags, encodeTag, idempotencyTag, instanceFilter } from '../../providers/linode/tags.js';
import type { LinodeInstance } from '../../providers/linode/api.js';
import { openApiDocumentPath } from '../fakes/openapi.js';

function documentedStatuses(): string[] {
  const text = readFileSync(openApiDocumentPath('linode'), 'utf8');
  const document = JSON.parse(text) as { components: { schemas: { Linode: { properties: { status: { enum: string[] } } } } } };
  return document.components.schemas.Linode.properties.status.enum;
}

describe('linode status map', () => {
  it('maps every status the official document lists (and billing_suspension) to a known state', () => {
    const statuses = [...documentedStatuses(), 'billing_suspension'];
    expect(statuses.length).toBeGreaterThanOrEqual(13);
    for (const status of statuses) {
      const state = mapInstanceStatus(status);
      expect(NODE_STATES).toContain(state);
      expect(state, status).not.toBe('unknown');
    }
    expect(['offline', 'shutting_down', 'provisioning', 'deleting'].map(mapInstanceStatus)).toEqual([
      'stopped',
      'stopping',
      'pending',
      'terminating',
    ]);
    expect(mapInstanceStatus('teleporting')).toBe('unknown');
  });
});

describe('linode prices and units', () => {
  const type = { price: { hourly: 0.0075, monthly: 5 }, region_prices: [{ id: 'br-gru', hourly: 0.009, monthly: 6 }] };

  it('uses the region price where there is one, else the base price, in USD', () => {
    expect(typePriceIn(type, 'us-east', '2026-11-22')).toEqual({
      hourly: 0.0075,
      monthly: 5,
      currency: 'USD',
      source: 'provider-api',
      asOf: '2026-11-22',
    });
    expect(typePriceIn(type, 'br-gru', '2026-11-22')).toMatchObject({ hourly: 0.009, monthly: 6 });
  });

  it('is null (never 0) when the figure is missing or zero', () => {
    expect(typePriceIn({ price: { hourly: null, monthly: null } }, 'us-east', '2026-11-22')).toBeNull();
    expect(typePriceIn({ price: { hourly: 0, monthly: 0 } }, 'us-east', '2026-11-22')).toBeNull();
  });

  it('turns binary megabytes into GiB', () => {
    expect([mbToGiB(1024), mbToGiB(25600), mbToGiB(1536)]).toEqual([1, 25, 1.5]);
  });
});

describe('linode tags, regions, times, addresses and image ids', () => {
  it('stores tags as key:value and reads them back, hiding polycloud’s idempotency tag', () => {
    expect(encodeTag('env', 'prod')).toBe('env:prod');
    expect(decodeTags(['env:prod', 'url:http://x', 'plain', idempotencyTag('k')])).toEqual({ env: 'prod', url: 'http://x', plain: '' });
    expect(idempotencyTag('k').length).toBeLessThanOrEqual(50);
    const context = { provider: 'linode' as const, operation: 'createNode' };
    expect(() => checkLinodeTags(context, 'tags', { 'a:b': 'c' })).toThrow(/tags\.a:b/);
    expect(() => checkLinodeTags(context, 'tags', { k: '' })).toThrow(/3-50/);
    expect(() => checkLinodeTags(context, 'tags', { env: 'prod' })).not.toThrow();
  });

  it('builds X-Filter objects from tags and regions', () => {
    expect(instanceFilter({})).toBeUndefined();
    expect(JSON.parse(instanceFilter({ tags: { env: 'prod' } }) ?? '')).toEqual({ tags: 'env:prod' });
    expect(JSON.parse(instanceFilter({ regions: ['us-east', 'eu-west'] }) ?? '')).toEqual({
      '+or': [{ region: 'us-east' }, { region: 'eu-west' }],
    });
  });

  it('reads cities from region labels, times as UTC, private addresses, and image ids both ways', () => {
    expect([cityOf('Newark, NJ'), cityOf('Tokyo 2, JP'), cityOf('Singapore')]).toEqual(['Newark', 'Tokyo', 'Singapore']);
    expect(parseLinodeTime('2026-01-01T00:01:01')?.toISOString()).toBe('2026-01-01T00:01:01.000Z');
    expect(parseLinodeTime(null)).toBeNull();
    expect(['192.168.130.5', '10.0.0.1', '172.20.1.1', '45.79.0.1'].map(isPrivateIpv4)).toEqual([true, true, true, false]);
    expect([toImageId('linode/ubuntu24.04'), toImageId('private/123')]).toEqual(['linode/ubuntu24.04', 'private/123']);
    const given = ['linode/ubuntu24.04', 'private/123', 'linode:ubuntu24.04', 'ubuntu24.04', 'private:123'];
    expect(given.map(fromImageId)).toEqual([
      'linode/ubuntu24.04',
      'private/123',
      'linode/ubuntu24.04',
      'linode/ubuntu24.04',
      'private/123',
    ]);
  });

  it('maps an instance in a region it does not know with a null country and price', () => {
    const instance: LinodeInstance = {
      id: 7,
      label: 'x-1',
      status: 'running',
      region: 'xx-new',
      type: 'g6-nanode-1',
      image: 'linode/debian12',
      ipv4: ['45.79.0.1', '192.168.140.2'],
      ipv6: '2600:3c03::1/128',
      tags: ['env:prod'],
      created: '2026-01-01T00:00:00',
    };
    const node = mapInstance(instance, new Map(), new Map(), '2026-11-22');
    expect(node).toMatchObject({
      id: '7',
      state: 'running',
      location: { id: 'xx-new', country: null },
      price: null,
      imageId: 'linode/debian12',
    });
    expect(node.publicIps).toEqual(['45.79.0.1', '2600:3c03::1']);
    expect(node.privateIps).toEqual(['192.168.140.2']);
  });
});

describe('linode errors and passwords', () => {
  it('reads error bodies with the field named as the caller passed it', () => {
    expect(parseLinodeError({ errors: [{ reason: 'region is not valid', field: 'region' }] }, 400)).toEqual({
      message: '"location": region is not valid',
      field: 'location',
    });
    expect(parseLinodeError({ errors: [{ reason: 'Linode busy.' }] }, 400)).toMatchObject({ kind: 'conflict' });
    expect(parseLinodeError({ errors: [{ reason: 'Account limit reached: Linodes' }] }, 403)).toMatchObject({ kind: 'quota' });
    expect(parseLinodeError({ errors: [{ reason: 'Not found' }] }, 404)).toEqual({ message: 'Not found' });
    expect(parseLinodeError('Bad Gateway', 502)).toBeUndefined();
  });

  it('generates distinct strong root passwords', () => {
    const passwords = new Set(Array.from({ length: 20 }, generateRootPassword));
    expect(passwords.size).toBe(20);
    for (const password of passwords) {
      expect(password).toHaveLength(32);
      for (const pattern of [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/]) expect(password).toMatch(pattern);
    }
  });
});

describe('linode instance mapping', () => {
  it('maps the official document’s own example instance', () => {
    const document = JSON.parse(readFileSync(openApiDocumentPath('linode'), 'utf8')) as {
      components: { schemas: { Linode: { properties: Record<string, { example?: unknown }> } } };
    };
    const instance = Object.fromEntries(
      Object.entries(document.components.schemas.Linode.properties).map(([key, schema]) => [key, schema.example]),
    ) as unknown as LinodeInstance;
    const regions = new Map([['us-east', { id: 'us-east', label: 'Newark, NJ', country: 'us', capabilities: [], status: 'ok' as const }]]);
    const types = new Map([
      [
        'g6-standard-1',
        {
          id: 'g6-standard-1',
          label: 'Linode 2GB',
          class: 'standard',
          vcpus: 1,
          memory: 2048,
          disk: 51200,
          gpus: 0,
          price: { hourly: 0.018, monthly: 12 },
        },
      ],
    ]);
    const node = mapInstance(instance, regions, types, '2026-11-22');
    expect(node).toMatchObject({
      id: '123',
      name: 'linode123',
      state: 'running',
      location: { id: 'us-east', region: 'us-east', country: 'US' },
      sizeId: 'g6-standard-1',
      imageId: 'linode/debian10',
      publicIps: ['203.0.113.1', '192.0.2.1', 'c001:d00d::1337'],
      privateIps: [],
      tags: { 'example tag': '', 'another example': '' },
      price: { hourly: 0.018, monthly: 12, currency: 'USD', source: 'provider-api', asOf: '2026-11-22' },
    });
    expect(node.createdAt?.toISOString()).toBe('2025-10-15T13:52:10.825Z');
  });
});
